"""refresh-pure-call: a pure call whose argument the loop rebinds only now and then keeps its
value until the rebinding; hoist-pure-call no longer keeps a value whose argument the loop
changes. Before/after, and refusals where each precondition fails."""

from __future__ import annotations

import pytest

from tests.models.rules_corpus import helpers

TOUR = """
def length(tour, matrix):
    total = 0.0
    for k in range(len(tour) - 1):
        total += matrix[tour[k]][tour[k + 1]]
    return total


def improve(tour, matrix):
    best = list(tour)
    for i in range(1, len(best) - 1):
        for j in range(i + 1, len(best)):
            candidate = best[:i] + best[i:j][::-1] + best[j:]
            if length(candidate, matrix) < length(best, matrix) - 1e-9:
                best = candidate
    return best
"""

MATRIX = [[0.0, 2.0, 9.0, 1.0], [2.0, 0.0, 1.0, 7.0], [9.0, 1.0, 0.0, 3.0], [1.0, 7.0, 3.0, 0.0]]


def test_refresh_keeps_the_value_until_the_argument_is_rebound() -> None:
    text = helpers.rewrite(TOUR, "refresh-pure-call", "improve")
    assert text is not None
    body = helpers.body_of(text, "improve")
    assert "    length_kept = _NOT_COMPUTED\n    for i in range(1, len(best) - 1):" in body
    assert (
        "            if length(candidate, matrix) < (\n"
        "                length_kept\n"
        "                if length_kept is not _NOT_COMPUTED"
        " and not isinstance(best, _Iterator) and not isinstance(matrix, _Iterator)\n"
        "                else (length_kept := length(best, matrix))\n"
        "            ) - 1e-9:\n"
    ) in body
    assert "                best = candidate\n                length_kept = _NOT_COMPUTED\n" in body
    before = helpers.run_module(TOUR, "refresh_before")["improve"]
    after = helpers.run_module(text, "refresh_after")["improve"]
    for tour in ([0, 2, 1, 3, 0], [0, 1, 2, 3, 0], [0, 3, 0], [], [0, 2, 3, 1, 2, 0]):
        assert after(tour, MATRIX) == before(tour, MATRIX)
    for bad in ([0, 5, 1, 0], [0, "x", 1]):  # the same exception, from the same call
        with pytest.raises((IndexError, TypeError)) as first:
            before(bad, MATRIX)
        with pytest.raises(first.type):
            after(bad, MATRIX)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # rebound on every iteration: the value would never be reused
        (
            "            if length(candidate, matrix) < length(best, matrix) - 1e-9:\n"
            "                best = candidate\n",
            "            best = candidate\n            if length(best, matrix) < 0:\n"
            "                best = candidate\n",
        ),
        # rebound by a loop target
        (
            "        for j in range(i + 1, len(best)):",
            "        for best in [best[:]]:\n            j = i + 1",
        ),
        # rebound by +=
        ("                best = candidate\n", "                best += candidate\n"),
        # rebound by unpacking
        ("                best = candidate\n", "                best, _ = candidate, 0\n"),
        # the loop changes the argument in place
        (
            "                best = candidate\n",
            "                best = candidate\n"
            "            best.append(0)\n            best.pop()\n",
        ),
        # the callee has a side effect
        ("    return total\n", "    print(total)\n    return total\n"),
        # the callee reads a module-level list the function may change
        ("    total = 0.0\n", "    total = SCALE[0]\n"),
    ],
    ids=["every-time", "loop-target", "augmented", "unpacked", "mutated", "impure", "global"],
)
def test_refresh_refusals(old: str, new: str) -> None:
    source = "SCALE = [0.0]\n" + TOUR
    assert old in source
    assert helpers.rewrite(source.replace(old, new), "refresh-pure-call", "improve") is None


def test_refresh_refuses_a_call_in_a_comprehension() -> None:
    source = TOUR.replace(
        "            if length(candidate, matrix) < length(best, matrix) - 1e-9:\n",
        "            if any(length(candidate, matrix) < length(best, matrix) for _ in (0,)):\n",
    )
    assert helpers.rewrite(source, "refresh-pure-call", "improve") is None


COUNTS = """
def count(xs):
    return len(xs)


def running(xs, table):
    out = []
    res = []
    for x in xs:
        out.append(x)
        res.append(count(table) + count(out))
    return res
"""


def test_hoist_does_not_keep_a_value_whose_argument_the_loop_changes() -> None:
    """Guards the soundness fix: `count(out)` after `out.append(x)` was computed once, so
    `running([1, 2, 3], [])` returned [1, 1, 1]; `count(table)` is still invariant."""
    text = helpers.rewrite(COUNTS, "hoist-pure-call", "running")
    assert text is not None
    assert "count_value + count(out)" in text
    after = helpers.run_module(text, "hoist_after")["running"]
    assert after([1, 2, 3], [9]) == [2, 3, 4]
    aliased = COUNTS.replace("    out = []\n", "    out = []\n    view = out\n").replace(
        "count(table) + count(out)", "count(view)"
    )
    assert helpers.rewrite(aliased, "hoist-pure-call", "running") is None
