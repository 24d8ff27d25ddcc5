"""hoist-pure-call keeps a call in its loop when the callee may read, through a module global
or a caller's object, a container the function made and the loop changes; or when the name
called is a local that only looks like a module function. Regression guards for a narrowing
that a review showed unsound (the function's own container, stored where the callee reads
it before the loop, changes on every iteration)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.models.rules_corpus import helpers

CASES = {
    "a container stored in a module dict": """
REG = {}


def total():
    return len(REG["cur"])


def run(xs):
    acc = []
    REG["cur"] = acc
    out = []
    for x in xs:
        acc.append(x)
        out.append(total() + 0)
    return out
""",
    "a container bound to a global": """
STATE = []


def total():
    return len(STATE)


def run(xs):
    global STATE
    acc = []
    STATE = acc
    out = []
    for x in xs:
        acc.append(x)
        out.append(total() + 0)
    return out
""",
    "a local named like a module function": """
def size(v):
    return v * 2


def run(xs):
    acc = []
    size = acc.count
    out = []
    for x in xs:
        acc.append(1)
        out.append(size(1) + 0)
    return out
""",
}


def _behaves_as_before(source: str, args: Callable[[dict[str, Any]], tuple[Any, ...]]) -> None:
    """`run` returns [1, 2, 3] on `args` of its module, and does again after the rule, if the
    rule fires at all."""
    before = helpers.run_module(source, "hoist_globals_a")
    assert before["run"](*args(before)) == [1, 2, 3]  # type: ignore[operator]
    text = helpers.rewrite(source, "hoist-pure-call", "run")
    if text is not None:
        after = helpers.run_module(text, "hoist_globals_b")
        assert after["run"](*args(after)) == [1, 2, 3]  # type: ignore[operator]


@pytest.mark.parametrize("source", CASES.values(), ids=list(CASES))
def test_a_call_that_reads_what_the_loop_grows_stays_in_the_loop(source: str) -> None:
    _behaves_as_before(source, lambda _ns: ([1, 2, 3],))


BOX = """
class Box:
    items = []


BOX = Box()


def total():
    return len(BOX.items)


def run(xs, box):
    acc = []
    box.items = acc
    out = []
    for x in xs:
        acc.append(x)
        out.append(total() + 0)
    return out
"""


def test_a_container_stored_in_a_callers_object_the_callee_reads_keeps_the_call() -> None:
    _behaves_as_before(BOX, lambda ns: ([1, 2, 3], ns["BOX"]))
