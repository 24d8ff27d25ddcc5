"""A builtin that calls what it is given is pure only when what it calls is: a key hidden in
`**opts`, a function hidden in `*args`, or the callable of a two-argument `iter` may change
what a hoisted call reads (found by review: `max(xs, **opts)` counted as pure)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.models.rules_corpus import helpers

SOURCE = """
def total(xs):
    return sum(xs)


def keyed(ticks, state, opts):
    out = []
    for t in ticks:
        out.append(total(state) + max([t, t + 1], **opts))
    return out


def mapped(ticks, state, fargs):
    out = []
    for t in ticks:
        out.append(total(state) + sum(map(*fargs)))
    return out


def drained(ticks, state):
    out = []
    for t in ticks:
        out.append(total(state) + t + sum(iter(state.pop, 0)))
    return out


def plain(ticks, state):
    out = []
    for t in ticks:
        out.append(total(state) + max([t, t + 1], key=abs) + sum(iter([t])))
    return out
"""


def _growing(state: list[int]) -> Callable[[int], int]:
    def key(x: int) -> int:
        state.append(x)
        return x

    return key


CASES: list[tuple[str, Callable[[list[int]], tuple[Any, ...]]]] = [
    ("keyed", lambda s: ([1, 2, 3], s, {"key": _growing(s)})),
    ("mapped", lambda s: ([1, 2, 3], s, (_growing(s), [5, 6]))),
    ("drained", lambda s: ([1, 2, 3], s)),
]


@pytest.mark.parametrize(("function", "arguments"), CASES)
def test_a_callable_the_builtin_calls_may_change_the_state(
    function: str, arguments: Callable[[list[int]], tuple[Any, ...]]
) -> None:
    text = helpers.rewrite(SOURCE, "hoist-pure-call", function)
    if text is None:
        return  # refusing is right; a rewrite must still give the same answers
    before = helpers.run_module(SOURCE, f"hidden_before_{function}")
    after = helpers.run_module(text, f"hidden_after_{function}")
    state = [0, 4, 0, 7, 0, 9] if function == "drained" else [1]
    expected = before[function](*arguments(list(state)))
    assert after[function](*arguments(list(state))) == expected


def test_a_named_pure_key_and_a_one_argument_iter_still_hoist() -> None:
    text = helpers.rewrite(SOURCE, "hoist-pure-call", "plain")
    assert text is not None and "total_value" in helpers.body_of(text, "plain")
