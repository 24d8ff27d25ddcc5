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
