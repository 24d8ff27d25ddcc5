"""A value kept across a loop's iterations (hoist-pure-call, hoist-pure-call-comp,
hoist-per-key) is not used again once a loop around its call has iterated something that
may run the program's code: the caller's generator can change, between two of its items,
what the kept call reads (a clock whose ticks advance the state a report totals).
Regression tests for the wrong answers the rules gave there, and for the shapes a first
fix (a test of the iterable's name at the call) got wrong: an iterable read where the
original never read it, rebound, or made by a call."""

from __future__ import annotations

from collections import OrderedDict
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


def counted(ticks, state: list):
    out = []
    for t in ticks:
        out.append(len(state) + t)
    return out


def banned(ticks, state):
    return [t for t in ticks if t in state]


def position(ticks, state):
    out = []
    for t in ticks:
        out.append(state.index(10 + t) if 10 + t in state else -1)
    return out


def beside(ticks, state, rounds: list):
    out = []
    for n in rounds:
        out.append(total(state) + n)
        for t in ticks:
            break
    return out


def report_keys(ticks, state):
    out = []
    for t in ticks:
        out.append(total(state) + t.v)
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
    ("invariant-call-hoist", "counted", lambda s, it: (it(s, 4), s)),
    ("membership-set-guarded", "banned", lambda s, it: (it(s, 4), s)),
    ("index-map", "position", lambda s, it: (it(s, 4), s)),
    ("hoist-pure-call", "beside", lambda s, it: (it(s, 4), s, [0, 1, 2])),
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


def test_displays_and_ranges_need_no_note() -> None:
    ranged = SOURCE.replace(
        "for t in ticks:\n        out.append(total(state) + t)",
        "for t in range(3):\n        out.append(total(state) + t)",
    )
    text = helpers.rewrite(ranged, "hoist-pure-call", "report")
    assert text is not None and "_note_iterated" not in text
    untyped = helpers.rewrite(SOURCE, "hoist-pure-call", "report")
    assert untyped is not None and "in _note_iterated(ticks, _ran_code):" in untyped


SHAPES = """
def total(xs):
    return sum(xs)


def same(xs):
    return xs


def rows_of_generators(rows, state):
    out = []
    for r in rows:
        for t in r:
            out.append(total(state) + t)
    return out


def through_a_call(ticks, state):
    out = []
    for t in same(ticks):
        out.append(total(state) + t)
    return out


def rebound(ticks, state):
    out = []
    for t in ticks:
        out.append(total(state) + t)
        ticks = None
    return out


def conditional(ticks, state, extra_too):
    out = []
    for t in ticks:
        if extra_too:
            extra = [1]
            for e in extra:
                out.append(total(state) + e)
        out.append(total(state) + t)
    return out


def advance(state, n):
    for i in range(n):
        state.append(10 + i)
        yield i
"""


@pytest.mark.parametrize(
    ("function", "arguments"),
    [
        ("rows_of_generators", lambda s, m: ([m["advance"](s, 2), m["advance"](s, 2)], s)),
        ("through_a_call", lambda s, m: (m["advance"](s, 4), s)),
        ("rebound", lambda s, m: (m["advance"](s, 4), s)),
        ("conditional", lambda s, m: ([1, 2, 3], s, False)),
        ("conditional", lambda s, m: (m["advance"](s, 3), s, True)),
    ],
)
def test_shapes_the_first_fix_got_wrong(function: str, arguments: Any) -> None:
    """Regression: a row of a table, an iterable made by a call or rebound in the loop went
    untested, and `extra` (bound only when `extra_too`) was read where the original did not
    read it (an UnboundLocalError); the iterable is now noted where it is evaluated."""
    text = helpers.rewrite(SHAPES, "hoist-pure-call", function)
    assert text is not None
    before = helpers.run_module(SHAPES, f"shape_before_{function}")
    after = helpers.run_module(text, f"shape_after_{function}")
    assert after[function](*arguments([1], after)) == before[function](*arguments([1], before))


def test_a_module_that_binds_a_named_type_is_refused() -> None:
    shadowing = SOURCE + "\n\nrange = None\n"
    assert helpers.rewrite(shadowing, "hoist-pure-call", "report") is None


class _Hashed:
    """A key that records a reading in `state` each time it is hashed."""

    def __init__(self, state: list[int], v: int) -> None:
        self.state, self.v = state, v

    def __hash__(self) -> int:
        self.state.append(self.v)
        return self.v


def test_an_ordered_dict_is_noted() -> None:
    """Regression (second review): iterating an OrderedDict hashes each key again, which
    runs the program's `__hash__`; it was taken for a plain container."""
    text = helpers.rewrite(SOURCE, "hoist-pure-call", "report_keys")
    assert text is not None
    results = []
    for module in (helpers.run_module(SOURCE, "od_before"), helpers.run_module(text, "od_after")):
        state = [1]
        ticks = OrderedDict((_Hashed(state, v), None) for v in (1, 2, 3))
        del state[1:]
        results.append(module["report_keys"](ticks, state))
    assert results[0] == results[1]
