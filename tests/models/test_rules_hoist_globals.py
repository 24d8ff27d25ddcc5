"""hoist-pure-call keeps a call in its loop when the callee may read, through a module global
or a caller's object, a container the function made and the loop changes; or when the name
called is a local that only looks like a module function. Regression guards for a narrowing
that a review showed unsound (the function's own container, stored where the callee reads
it before the loop, changes on every iteration)."""

from __future__ import annotations

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


@pytest.mark.parametrize("source", CASES.values(), ids=list(CASES))
def test_a_call_that_reads_what_the_loop_grows_stays_in_the_loop(source: str) -> None:
    text = helpers.rewrite(source, "hoist-pure-call", "run")
    if text is not None:  # a rewrite is allowed only if it behaves the same
        before = helpers.run_module(source, "hoist_globals_a")
        after = helpers.run_module(text, "hoist_globals_b")
        assert after["run"]([1, 2, 3]) == before["run"]([1, 2, 3]) == [1, 2, 3]  # type: ignore[operator]
    else:
        assert helpers.run_module(source, "hoist_globals_a")["run"]([1, 2, 3]) == [1, 2, 3]  # type: ignore[operator]


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
    text = helpers.rewrite(BOX, "hoist-pure-call", "run")
    before = helpers.run_module(BOX, "hoist_box_a")
    assert before["run"]([1, 2, 3], before["BOX"]) == [1, 2, 3]  # type: ignore[operator]
    if text is not None:
        after = helpers.run_module(text, "hoist_box_b")
        assert after["run"]([1, 2, 3], after["BOX"]) == [1, 2, 3]  # type: ignore[operator]
