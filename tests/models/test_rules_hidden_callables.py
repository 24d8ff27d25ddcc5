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


STDLIB = """
import bisect
import copy
import dataclasses
import heapq
import itertools
import json
import operator
import re


@dataclasses.dataclass
class Cell:
    x: int


def total(xs):
    return sum(xs)


def each(ticks, state, f):
    out = []
    for t in ticks:
        out.append(total(state) + {expr})
    return out
"""

STDLIB_CALLS = {
    "re-sub-function": "len(re.sub('a', f, 'aa'))",
    "pattern-sub-function": "len(re.compile('a').sub(f, 'aa'))",
    "nsmallest-key-by-position": "len(heapq.nsmallest(1, [t, t + 1], f))",
    "json-default": "len(json.dumps(object(), default=f))",
    "json-options": "len(json.dumps(object(), **f))",
    "json-hook": "len(json.loads('{}', object_hook=f))",
    "bisect-key": "bisect.bisect_left([1, 2], t, key=f)",
    "operator-call": "operator.call(f, 1)",
    "asdict-factory": "len(dataclasses.asdict(Cell(t), dict_factory=f))",
    "operator-setitem": "(operator.setitem(state, 0, state[0] + 1) or 0)",
    "operator-iadd": "len(operator.iadd(state, [1]))",
    "map-of-re-sub": "len(list(map(re.sub, ['a'], [f], ['a'])))",
}


def _grows(state: list[int]) -> Callable[..., Any]:
    def call(*args: Any) -> Any:
        state.append(1)
        return {} if not args or isinstance(args[0], list) else "b"

    return call


@pytest.mark.parametrize("expr", STDLIB_CALLS.values(), ids=STDLIB_CALLS.keys())
def test_a_standard_function_that_calls_what_it_is_given_is_not_pure_for_it(expr: str) -> None:
    """Regression: `re.sub` (or a pattern's `sub`, or `re.sub` handed to `map`) with a
    function, `nsmallest`'s key by position, `json`'s hooks
    (also hidden in `**opts`), `bisect`'s key, `operator.call` and `operator`'s in-place
    functions all counted as pure, and `total(state)` was hoisted out of a loop that grew it."""
    source = STDLIB.replace("{expr}", expr)
    text = helpers.rewrite(source, "hoist-pure-call", "each")
    if text is None:
        return
    f: Any = {"default": None} if "**f" in expr else None

    def run(module_text: str, name: str) -> object:
        state = [1]
        func = {"default": _grows(state)} if f is not None else _grows(state)
        return helpers.outcome(
            helpers.run_module(module_text, name)["each"], [1, 2, 3], state, func
        )

    assert run(text, "stdlib_after") == run(source, "stdlib_before")


@pytest.mark.parametrize(
    "call",
    [
        "re.sub('a', 'b', 'aa')",
        "re.sub('a', REPLACEMENT, 'aa')",
        "re.compile('a').sub('b', 'aa')",
        "list(itertools.chain(*[['a'], ['b']]))",
    ],
    ids=["literal", "constant", "pattern", "starred-chain"],
)
def test_a_replacement_string_still_lets_the_call_hoist(call: str) -> None:
    source = "REPLACEMENT = 'b'\n" + STDLIB.replace("{expr}", f"len({call})")
    text = helpers.rewrite(source, "hoist-pure-call", "each")
    assert text is not None and "total_value" in helpers.body_of(text, "each")


MEMO = """
import copy


def count(xs):
    return len(xs)


def sizes(ticks, memo):
    out = []
    for t in ticks:
        out.append(count(memo) + len(copy.deepcopy([t], memo)))
    return out
"""


def test_deepcopy_fills_the_memo_it_is_given() -> None:
    """Regression (review): `copy.deepcopy(x, memo)` counted as pure and read-only."""
    text = helpers.rewrite(MEMO, "hoist-pure-call", "sizes")
    if text is not None:
        after = helpers.run_module(text, "memo_after")["sizes"]
        before = helpers.run_module(MEMO, "memo_before")["sizes"]
        assert after([1, 2, 3], {}) == before([1, 2, 3], {})


RULES_TABLE = """
import re

SUFFIXES: list[tuple[str, str]] = [("ies$", "y"), ("s$", "")]


def stem(word: str) -> str:
    for pattern, replacement in SUFFIXES:
        stemmed, count = re.subn(pattern, replacement, word)
        if count:
            return stemmed
    return word
"""


def test_a_replacement_read_from_a_module_table_of_literals_is_a_string() -> None:
    """The replacements of a rules table the repository only reads are strings: `stem` is
    still pure (its `cache-pure-function` site was lost when `re.sub`'s repl became checked)."""
    text = helpers.rewrite(RULES_TABLE, "cache-pure-function", "stem")
    assert text is not None
    stem = helpers.run_module(text, "table_after")["stem"]
    assert [stem(w) for w in ("cities", "dogs", "x")] == ["city", "dog", "x"]
    changed = RULES_TABLE + "\n\ndef learn(rule):\n    SUFFIXES.append(rule)\n"
    assert helpers.rewrite(changed, "cache-pure-function", "stem") is None
