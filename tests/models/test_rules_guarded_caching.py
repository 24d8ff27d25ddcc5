"""cache-pure-function-guarded: a pure function with unannotated parameters, cached only for
str, int and float arguments and immutable results (checked at run time). Before/after, behaviour of
the cache, and where the precondition fails."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agent.engines.rules import Step, run_step
from agent.engines.rules.project import project_for
from tests.models.rules_corpus import helpers

rewrite = helpers.rewrite

CLEAN = """
import re


def f(raw, sep=" "):
    return re.sub(r"\\s+", sep, raw.strip().lower())


def g(lines):
    return [f(line) for line in lines]
"""


def test_guarded_cache_decorates_and_serves_only_str_int_and_float_calls() -> None:
    text = rewrite(CLEAN, "cache-pure-function-guarded", "f")
    assert text is not None
    assert "\n@_cache_scalar_calls(frozenset([(str,), (int,), (float,), (str, str), " in text
    assert "]))\ndef f(raw, sep=" in text
    namespace = helpers.run_module(text, "guarded_cache_mod")
    f = namespace["f"]
    assert f("  A  b ") == "a b" and f("  A  b ") == "a b"
    assert f.__wrapped__.__name__ == "f"
    assert f("  C  d ") is f("  C  d ")  # one argument: kept in the str table, handed back

    class Text(str):
        pass

    assert f(Text(" E  f")) == "e f" and f(Text(" E  f")) is not f(Text(" E  f"))  # not exact
    assert f("x  y", sep="-") == "x-y"  # keyword calls run the function
    with pytest.raises(AttributeError):
        f(1.5)  # served, but the call runs (and raises) as before: nothing is cached
    with pytest.raises(AttributeError):
        f(1.5)
    with pytest.raises(AttributeError):
        f(["a"])  # not served: runs as before


MONEY = """
def money(value, places=2):
    text = f"{value:,.{places}f}"
    return text.replace(",", " ") + " EUR"


def report(values):
    return [money(v) for v in values]
"""


def test_guarded_cache_serves_floats_without_mixing_equal_keys() -> None:
    """Before: `money` formats every value again. After: repeated float values are formatted
    once; 1 and 1.0 (equal, same hash) keep their own entries, and a float zero is never
    cached, so -0.0 and 0.0 still format as they did."""
    text = rewrite(MONEY, "cache-pure-function-guarded", "money")
    assert text is not None and "(float,)" in text and "(float, int)" in text
    money = helpers.run_module(text, "guarded_cache_money")["money"]
    original = helpers.run_module(MONEY, "guarded_cache_money_base")["money"]
    calls = [1234.5, 1234.5, 1, 1.0, 1, 0.0, -0.0, 0.0, -0.0, 0, float("nan"), float("inf")]
    calls += [-1e-9, 2.675, 2.675]
    assert [money(v) for v in calls] == [original(v) for v in calls]
    assert money(-0.0) == "-0.00 EUR" and money(0.0) == "0.00 EUR"
    assert money(1) == "1.00 EUR" and money(1.0) == "1.00 EUR"
    assert money(2.5, 0) == original(2.5, 0) == "2 EUR"
    for _ in range(2):  # a float width raises every time, as before (exceptions are not kept)
        with pytest.raises(ValueError):
            money(2.5, 1.0)


def test_guarded_cache_keeps_int_and_float_results_apart() -> None:
    source = (
        "def kind(x):\n    return repr(x * 2)\n\n\ndef use(xs):\n    return [kind(x) for x in xs]\n"
    )
    text = rewrite(source, "cache-pure-function-guarded", "kind")
    assert text is not None
    kind = helpers.run_module(text, "guarded_cache_kind")["kind"]
    assert [kind(1), kind(1.0), kind(1), kind(True)] == ["2", "2.0", "2", "2"]
    assert [kind(-0.0), kind(0.0), kind(-0.0)] == ["-0.0", "0.0", "-0.0"]


def test_guarded_cache_hands_out_a_new_copy_of_a_list_or_dict_result() -> None:
    """Guards the copies: a caller that changes the list or dict it got must not change what
    the next call gets, and a result holding a mutable value is never kept."""
    source = "def f(raw):\n    return [c for c in raw.split()]\n"
    text = rewrite(source, "cache-pure-function-guarded", "f")
    assert text is not None
    f = helpers.run_module(text, "guarded_cache_list")["f"]
    first = f("a b")
    first.append("c")
    assert f("a b") == ["a", "b"] and f("a b") is not f("a b")
    source = "def f(raw):\n    return {w: len(w) for w in raw.split()}\n"
    text = rewrite(source, "cache-pure-function-guarded", "f")
    assert text is not None
    f = helpers.run_module(text, "guarded_cache_dict")["f"]
    first = f("bb a")
    first["c"] = 1
    del first["a"]
    assert list(f("bb a").items()) == [("bb", 2), ("a", 1)]
    source = "def f(raw):\n    return [[c] for c in raw.split()]\n"
    text = rewrite(source, "cache-pure-function-guarded", "f")
    assert text is not None
    f = helpers.run_module(text, "guarded_cache_nested")["f"]
    first = f("a b")
    first[0].append("z")
    assert f("a b") == [["a"], ["b"]]


RECURSIVE = """
from fractions import Fraction


def outcomes(total, hold_at, sides, bust):
    if total >= hold_at:
        return {total: Fraction(1)}
    p = Fraction(1, sides)
    out = {}
    for face in range(1, sides + 1):
        if face == bust:
            out[0] = out.get(0, 0) + p
            continue
        for banked, q in outcomes(total + face, min(hold_at, 20), sides, bust).items():
            out[banked] = out.get(banked, 0) + p * q
    return out


def win(score, turns, target, hold_at, sides, bust):
    if score >= target:
        return Fraction(1)
    if turns == 0:
        return Fraction(0)
    chance = Fraction(0)
    for banked, p in outcomes(0, min(hold_at, target - score), sides, bust).items():
        chance += p * win(score + banked, turns - 1, target, hold_at, sides, bust)
    return chance
"""


def test_guarded_cache_refuses_a_recursive_function() -> None:
    """Guards the recursion depth: cached, each level of a recursive function takes two
    interpreter frames, so a call the original answers at depth 600 would raise
    RecursionError (a review found `spread(600)` did)."""
    assert rewrite(RECURSIVE, "cache-pure-function-guarded", "outcomes") is None
    assert rewrite(RECURSIVE, "cache-pure-function-guarded", "win") is None


TABLE = """
from fractions import Fraction


def face_table(total, hold_at, sides, bust):
    out = {}
    for face in range(1, min(hold_at, sides) + 1):
        key = 0 if face == bust else total + face
        out[key] = out.get(key, 0) + Fraction(1, sides)
    return out


def tables(n):
    return [face_table(i % 3, 4, 6, 1) for i in range(n)]
"""


def test_guarded_cache_serves_four_parameters_and_a_dict_of_fractions() -> None:
    """Four parameters (all-int calls served), a dict of Fractions kept as a private copy:
    each caller gets its own dict, equal to the original's, however the others changed."""
    texts = {"mod.py": TABLE}
    step = Step("cache-pure-function-guarded", "mod.py", "face_table")
    run_step(texts, step, verify=False, project=project_for(texts))
    text = texts["mod.py"]
    assert "@_cache_scalar_calls(frozenset([" in text
    before = helpers.run_module(TABLE, "guarded_table_before")
    after = helpers.run_module(text, "guarded_table_after")
    for args in [(0, 4, 6, 1), (0, 4, 6, 1), (2, 3, 4, 2), (0, 4, 6, 1), (1.5, 4, 6, 1)]:
        want = before["face_table"](*args)
        got = after["face_table"](*args)
        assert list(got.items()) == list(want.items())
        got[99] = 1
        got.pop(0, None)
    assert after["tables"](7) == before["tables"](7)
    counted = text.replace("    out = {}\n", "    CALLS.append(total)\n    out = {}\n", 1)
    calls = helpers.run_module("CALLS = []\n" + counted, "guarded_table_counted")
    calls["tables"](9)
    assert sorted(calls["CALLS"]) == [0, 1, 2]  # each argument tuple computed once


def test_guarded_cache_follows_a_parameter_into_the_module_function_it_is_handed_to() -> None:
    """A parameter handed to a function of the module that uses it as a number keeps the
    cache worth having; one that the function iterates is a collection (the cache would
    never hit), so the rule refuses. `min(a, b)` compares and iterates nothing."""
    helper = "def unit(sides):\n    return Fraction(1, sides)\n\n\ndef face_table("
    scalar = TABLE.replace("def face_table(", helper, 1).replace(
        "Fraction(1, sides)\n    return out", "unit(sides)\n    return out"
    )
    assert "unit(sides)\n    return out" in scalar
    assert rewrite(scalar, "cache-pure-function-guarded", "face_table") is not None
    iterated = scalar.replace(
        "return Fraction(1, sides)", "return Fraction(1, sum(1 for _ in sides))"
    )
    assert rewrite(iterated, "cache-pure-function-guarded", "face_table") is None


@pytest.mark.parametrize(
    "source",
    [
        CLEAN.replace(
            'def f(raw, sep=" "):', 'def f(raw: str, sep: str = " ") -> str:'
        ),  # the plain rule's case
        CLEAN.replace("    return re.sub", "    print(raw)\n    return re.sub"),  # I/O
        CLEAN.replace("raw.strip().lower()", "raw.name"),  # not a str method: a record
        CLEAN.replace("raw.strip().lower()", "raw[0]"),  # indexed: a sequence
        CLEAN.replace("def f(raw, sep=", "def f(raw, *more, sep="),
        CLEAN.replace("[f(line) for line in lines]", "[f(lines) for line in lines]").replace(
            "def g(lines):", "def g(lines: list[str]):"
        ),  # called with a list
        CLEAN.replace("import re\n", "import re\n\ntype = print\n"),  # shadowed builtin
    ],
    ids=["annotated", "io", "record", "indexed", "star", "list-caller", "shadowed"],
)
def test_guarded_cache_refuses(source: str) -> None:
    assert rewrite(source, "cache-pure-function-guarded", "f") is None


def test_guarded_cache_refuses_a_float_parameter_used_as_a_record() -> None:
    source = MONEY.replace('f"{value:,.{places}f}"', 'f"{value.amount:,.{places}f}"')
    assert rewrite(source, "cache-pure-function-guarded", "money") is None


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(
        st.one_of(
            st.sampled_from([1, 1.0, True, 0, 0.0, -0.0, float("nan"), 2.675, -1e-9]),
            st.floats(allow_nan=True),
            st.integers(-5, 5),
        ),
        max_size=12,
    )
)
def test_guarded_float_cache_preserves_repeated_calls(values: list[object]) -> None:
    """Hypothesis, across repeated calls through one cache (the corpus calls a function once
    per example): the caller of the cached function formats every value as before."""
    corpus = (Path(__file__).parent / "rules_corpus" / "corpus_inline.py").read_text()
    text = rewrite(corpus, "cache-pure-function-guarded", "money", path="corpus_inline.py")
    assert text is not None
    before = helpers.run_module(corpus, "money_base")["money_lines"]
    after = helpers.run_module(text, "money_cached")["money_lines"]
    assert before(values) == after(values)


DOUBTED = """
import re


class NameError_(ValueError):
    pass


def normalize(name: str) -> str:
    if not isinstance(name, str):
        raise NameError_(f"names must be strings, got {name!r}")
    return re.sub(r"\\s+", " ", name.strip()).casefold()
"""


STEPS = """
def steps(n: int) -> int:
    if not isinstance(n, int):
        raise ValueError(f"not a count: {n!r}")
    return 0 if n <= 0 else 1 + steps(n - 1) + steps(n - 2)
"""


@pytest.mark.parametrize(
    ("rule", "source", "function"),
    [("cache-pure-function", DOUBTED, "normalize"), ("lru-cache", STEPS, "steps")],
    ids=["cache-pure-function", "lru-cache"],
)
def test_an_annotation_the_function_itself_doubts_is_not_trusted(
    rule: str, source: str, function: str
) -> None:
    """Regression: `name: str` with an isinstance check inside got `lru_cache`, so a list
    raised TypeError (unhashable) where the function raised its own error."""
    lines = source.splitlines(keepends=True)
    check = next(i for i, line in enumerate(lines) if "isinstance(" in line)
    trusted = "".join(lines[:check] + lines[check + 2 :])
    assert rewrite(trusted, rule, function) is not None  # the check is what stops it
    assert rewrite(source, rule, function) is None


def test_the_guarded_cache_serves_a_doubted_annotation_and_keeps_its_errors() -> None:
    text = rewrite(DOUBTED, "cache-pure-function-guarded", "normalize")
    assert text is not None
    after = helpers.run_module(text, "doubted_b")
    for bad in (["a"], {"a": 1}, None, 3):
        with pytest.raises(after["NameError_"]):
            after["normalize"](bad)
    assert after["normalize"]("  Ann   Lee ") == after["normalize"]("ann lee") == "ann lee"
