"""A value kept across a loop's iterations (hoist-pure-call, hoist-pure-call-comp,
hoist-per-key) is computed again whenever the loop may have run the program's code by
iterating: the caller's generator can change, between two of its items, what the kept call
reads (a clock whose ticks advance the state a report totals). Regression tests for the
wrong answers the rules gave there, and for the sites that keep their speed: builtin
containers need no test, and a test on a name the loop never rebinds is exact."""

from __future__ import annotations

from typing import Any

import pytest

from tests.models.rules_corpus import helpers

SOURCE = """
def total(xs):
    return sum(xs)


def score(xs, k):
    return sum(xs) * k


def report(ticks, state):
    out = []
    for t in ticks:
        out.append(total(state) + t)
    return out


def shares(ticks, state):
    return [total(state) + t for t in ticks]


def per_key(ticks, state, keys):
    out = []
    for t in ticks:
        for k in keys:
            out.append(score(state, k))
    return out


def numbered(ticks, state):
    out = []
    for i, t in enumerate(ticks):
        out.append(total(state) + i)
    return out


def inner(rows, state):
    out = []
    for r in rows:
        for t in r:
            out.append(total(state) + t)
    return out


def advance(state, n):
    for i in range(n):
        state.append(10 + i)
        yield i
"""

CASES = [
    ("hoist-pure-call", "report", lambda s, it: (it(s, 4), s)),
    ("hoist-pure-call-comp", "shares", lambda s, it: (it(s, 4), s)),
    ("hoist-per-key", "per_key", lambda s, it: (it(s, 3), s, [1, 2])),
    ("hoist-per-key", "per_key", lambda s, it: ([0, 1, 2], s, it(s, 3))),
    ("hoist-pure-call", "numbered", lambda s, it: (it(s, 4), s)),
]


@pytest.mark.parametrize(("rule", "function", "arguments"), CASES)
def test_a_generator_that_changes_what_the_call_reads_is_seen(
    rule: str, function: str, arguments: Any
) -> None:
    """Regression: each rule kept the first value while the generator grew the state."""
    text = helpers.rewrite(SOURCE, rule, function)
    assert text is not None
    before = helpers.run_module(SOURCE, f"iter_before_{function}")
    after = helpers.run_module(text, f"iter_after_{function}")
    for module in (before, after):
        module["listed"] = lambda s, n: list(range(n))
    for it in ("advance", "listed"):
        expected = before[function](*arguments([1], before[it]))
        assert after[function](*arguments([1], after[it])) == expected


def test_builtin_containers_need_no_test() -> None:
    typed = SOURCE.replace("def report(ticks, state)", "def report(ticks: list, state)")
    text = helpers.rewrite(typed, "hoist-pure-call", "report")
    assert text is not None and "_PLAIN_ITERABLES" not in text
    untyped = helpers.rewrite(SOURCE, "hoist-pure-call", "report")
    assert untyped is not None and "type(ticks) not in _PLAIN_ITERABLES" in untyped


def test_only_iterables_the_loop_leaves_bound_are_tested() -> None:
    """`for t in r` over each row: a test where the call is would see only the current row,
    not a row iterated before it, so rows get none (the effect analysis's assumption, as
    documented in `iteration.py`); `rows` itself, bound once, does."""
    text = helpers.rewrite(SOURCE, "hoist-pure-call", "inner")
    assert text is not None
    assert "type(rows) not in _PLAIN_ITERABLES" in text and "type(r)" not in text


def test_an_iterable_read_through_a_computed_index_is_refused() -> None:
    source = SOURCE.replace("for t in ticks:", "for t in ticks[len(state) - 1]:", 1)
    assert "ticks[len(state) - 1]" in source
    assert helpers.rewrite(source, "hoist-pure-call", "report") is None
    literal = SOURCE.replace("for t in ticks:", "for t in ticks[0]:", 1)
    text = helpers.rewrite(literal, "hoist-pure-call", "report")
    assert text is not None and "type(ticks[0]) not in _PLAIN_ITERABLES" in text


def test_a_module_that_binds_a_named_type_is_refused() -> None:
    shadowing = SOURCE + "\n\nrange = None\n"
    assert helpers.rewrite(shadowing, "hoist-pure-call", "report") is None
