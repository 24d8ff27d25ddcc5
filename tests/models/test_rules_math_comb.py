"""math-comb: binomial coefficients and falling factorials spelled with math.factorial become
math.comb / math.perm, guarded to the ints where both agree. Before/after, and refusals."""

from __future__ import annotations

import math

import pytest

from tests.models.rules_corpus import helpers

rewrite = helpers.rewrite

CHOOSE = """
import math


def f(n, k):
    return math.factorial(n) // (math.factorial(k) * math.factorial(n - k))
"""


def test_math_comb_with_a_guard() -> None:
    text = rewrite(CHOOSE, "math-comb", "f")
    assert text is not None
    assert (
        "return (math.comb(n, k) if type(n) is int and type(k) is int and 0 <= k <= n "
        "else math.factorial(n) // (math.factorial(k) * math.factorial(n - k)))"
    ) in text
    before = helpers.run_module(CHOOSE, "comb_before")["f"]
    after = helpers.run_module(text, "comb_after")["f"]
    for n, k in [(0, 0), (10, 3), (60, 30), (5, 5), (True, 1)]:
        assert after(n, k) == before(n, k) == math.comb(n, k)
    for n, k in [(3, 5), (-1, 0), (4, -1), (4.0, 2)]:
        with pytest.raises((ValueError, TypeError)) as first:
            before(n, k)
        with pytest.raises(first.type):
            after(n, k)


@pytest.mark.parametrize(
    ("expr", "fn"),
    [
        ("factorial(n) // factorial(k) // factorial(n - k)", "comb"),
        ("factorial(n) // (factorial(n - k) * factorial(k))", "comb"),
        ("factorial(n) // factorial(n - k)", "perm"),
        ("factorial(n) / factorial(n - k)", "perm"),
    ],
)
def test_math_comb_shapes(expr: str, fn: str) -> None:
    source = f"from math import factorial\n\n\ndef f(n, k):\n    return {expr}\n"
    text = rewrite(source, "math-comb", "f")
    assert text is not None and f"math.{fn}(n, k)" in text
    before = helpers.run_module(source, "comb_shape_a")["f"]
    after = helpers.run_module(text, "comb_shape_b")["f"]
    for n, k in [(7, 2), (20, 20), (170, 3), (200, 100)]:
        try:
            expected = before(n, k)
        except OverflowError:
            with pytest.raises(OverflowError):
                after(n, k)
            continue
        assert after(n, k) == expected and type(after(n, k)) is type(expected)


@pytest.mark.parametrize(
    "source",
    [
        CHOOSE.replace("math.factorial(n - k)", "math.factorial(k - n)"),
        CHOOSE.replace("math.factorial(k) *", "math.factorial(k + 1) *"),
        CHOOSE.replace("//", "/").replace("(math.factorial(k) * ", "math.factorial(k) / ("),
        "def factorial(n):\n    return 1\n\n\ndef f(n, k):\n"
        "    return factorial(n) // (factorial(k) * factorial(n - k))\n",
        CHOOSE.replace("math.factorial(n) //", "math.factorial(g(n)) //"),
    ],
    ids=["swapped", "not-k", "double-rounding", "own-factorial", "call-argument"],
)
def test_math_comb_refuses(source: str) -> None:
    assert rewrite(source, "math-comb", "f") is None


OWN_FACTORIALS = {
    "for-up": "def fact(n):\n    result = 1\n    for i in range(2, n + 1):\n        result *= i\n"
    "    return result\n",
    "while-up": "def fact(m):\n    out = 1\n    k = 1\n    while k <= m:\n        out = out * k\n"
    "        k += 1\n    return out\n",
    "for-down": 'def fact(n):\n    """n!"""\n    p = 1\n    for j in range(n, 1, -1):\n'
    "        p = j * p\n    return p\n",
    "while-down": "def fact(n):\n    acc = 1\n    while n > 1:\n        acc *= n\n        n -= 1\n"
    "    return acc\n",
    "range-n": "def fact(n):\n    acc = 1\n    for i in range(n):\n        acc = acc * (i + 1)\n"
    "    return acc\n",
    "checked": 'def fact(n):\n    if not isinstance(n, int) or n < 0:\n        raise ValueError("n")\n'
    "    r = 1\n    for i in range(2, n + 1):\n        r *= i\n    return r\n",
    "checked-twice": "def fact(n):\n    if isinstance(n, bool):\n        raise TypeError(n)\n"
    "    if n < 0:\n        raise ValueError(n)\n    r = 1\n    for i in range(2, n + 1):\n"
    "        r *= i\n    return r\n",
}


@pytest.mark.parametrize("name", sorted(OWN_FACTORIALS))
def test_math_comb_own_factorial(name: str) -> None:
    """A hand-written factorial of the same module counts as math.factorial: the guard only
    takes the new path for ints 0 <= k <= n, where every spelling here returns n!."""
    source = OWN_FACTORIALS[name] + (
        "\n\ndef f(n, k):\n    return fact(n) // (fact(k) * fact(n - k))\n"
        "\n\ndef g(n, k):\n    return fact(n) // fact(n - k)\n"
    )
    text = rewrite(source, "math-comb", "f")
    assert text is not None and "math.comb(n, k)" in text
    perm = rewrite(source, "math-comb", "g")
    assert perm is not None and "math.perm(n, k)" in perm
    before = helpers.run_module(source, "own_fact_a")
    after = helpers.run_module(text, "own_fact_b")
    after_g = helpers.run_module(perm, "own_fact_c")
    for n, k in [(0, 0), (1, 0), (1, 1), (7, 3), (40, 20), (5, -1), (3, 5), (-2, -3), (6.0, 2)]:
        try:
            expected = before["f"](n, k)
        except Exception as exc:  # the original's own error, raised by the fallback too
            with pytest.raises(type(exc)):
                after["f"](n, k)
        else:
            assert after["f"](n, k) == expected
        try:
            expected_g = before["g"](n, k)
        except Exception as exc:
            with pytest.raises(type(exc)):
                after_g["g"](n, k)
        else:
            assert after_g["g"](n, k) == expected_g


@pytest.mark.parametrize(
    "fact",
    [
        # recursion: RecursionError for large n where math.comb returns
        "def fact(n):\n    if n <= 1:\n        return 1\n    return n * fact(n - 1)\n",
        # off by one: (n - 1)!
        "def fact(n):\n    r = 1\n    for i in range(1, n):\n        r *= i\n    return r\n",
        # a float product
        "def fact(n):\n    r = 1.0\n    for i in range(1, n + 1):\n        r *= i\n    return r\n",
        # a side effect
        "def fact(n):\n    r = 1\n    for i in range(1, n + 1):\n        r *= i\n"
        "        print(i)\n    return r\n",
        # rebound later in the module
        "def fact(n):\n    r = 1\n    for i in range(1, n + 1):\n        r *= i\n    return r\n"
        "\n\nfact = len\n",
        # decorated
        "import functools\n\n\n@functools.cache\ndef fact(n):\n    r = 1\n"
        "    for i in range(1, n + 1):\n        r *= i\n    return r\n",
        # `range` is not the builtin
        "def range(a, b):\n    return [a]\n\n\ndef fact(n):\n    r = 1\n"
        "    for i in range(1, n + 1):\n        r *= i\n    return r\n",
        # a check that raises for some counts (its error would be lost)
        "def fact(n):\n    if n > 20:\n        raise OverflowError(n)\n    r = 1\n"
        "    for i in range(1, n + 1):\n        r *= i\n    return r\n",
        # a check that returns instead of raising
        "def fact(n):\n    if n < 0:\n        return 0\n    r = 1\n"
        "    for i in range(1, n + 1):\n        r *= i\n    return r\n",
        # `isinstance` is not the builtin
        "def isinstance(a, b):\n    return False\n\n\ndef fact(n):\n"
        "    if not isinstance(n, int):\n        raise TypeError(n)\n    r = 1\n"
        "    for i in range(1, n + 1):\n        r *= i\n    return r\n",
    ],
    ids=[
        "recursive",
        "off-by-one",
        "float",
        "prints",
        "rebound",
        "decorated",
        "own-range",
        "raises-for-counts",
        "returns-in-check",
        "own-isinstance",
    ],
)
def test_math_comb_refuses_other_factorials(fact: str) -> None:
    source = fact + "\n\ndef f(n, k):\n    return fact(n) // (fact(k) * fact(n - k))\n"
    assert rewrite(source, "math-comb", "f") is None


def test_math_comb_refuses_a_shadowing_local() -> None:
    source = OWN_FACTORIALS["for-up"] + (
        "\n\ndef f(n, k, fact):\n    return fact(n) // (fact(k) * fact(n - k))\n"
    )
    assert rewrite(source, "math-comb", "f") is None


# --- math-factorial: the hand-written factorial itself -------------------------------------


@pytest.mark.parametrize("name", sorted(OWN_FACTORIALS))
def test_math_factorial_takes_the_fast_path_only_for_exact_ints(name: str) -> None:
    """Every accepted spelling returns n! for an exact int n >= 0; bools, floats, negative
    numbers and int subclasses still run the loop (with its result or its error)."""
    source = OWN_FACTORIALS[name]
    text = rewrite(source, "math-factorial", "fact")
    assert text is not None
    param = "m" if name == "while-up" else "n"
    fast = (
        f"    if type({param}) is int and {param} >= 0:\n        return math.factorial({param})\n"
    )
    assert fast in helpers.body_of(text, "fact")
    body = helpers.body_of(text, "fact")
    assert body.index(fast) > body.find("raise")  # after the checks, which keep their errors
    before = helpers.run_module(source, f"fact_{name}_before")["fact"]
    after = helpers.run_module(text, f"fact_{name}_after")["fact"]

    class Count(int):
        pass

    for n in (0, 1, 2, 7, 60, -1, -5, True, False, 3.0, Count(4), "x", None):
        try:
            expected = before(n)
        except Exception as exc:
            with pytest.raises(type(exc)):
                after(n)
        else:
            got = after(n)
            assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize(
    "fact",
    [
        "def fact(n):\n    if n <= 1:\n        return 1\n    return n * fact(n - 1)\n",
        "def fact(n):\n    r = 1\n    for i in range(1, n):\n        r *= i\n    return r\n",
        "def fact(n):\n    r = 1\n    for i in range(1, n + 1):\n        r *= i\n"
        "        print(i)\n    return r\n",
        "def type(x):\n    return x\n\n\ndef fact(n):\n    r = 1\n"
        "    for i in range(1, n + 1):\n        r *= i\n    return r\n",
    ],
    ids=["recursive", "off-by-one", "prints", "own-type"],
)
def test_math_factorial_refuses(fact: str) -> None:
    assert rewrite(fact, "math-factorial", "fact") is None
