"""index-map: `xs.index(v)` in a loop that leaves `xs` alone finds positions in a map of first
positions. Same answers and errors for equal values of different types, NaN, unhashable and
missing values, sequences that are not lists; refusals where the loop may change `xs`."""

from __future__ import annotations

import pytest

from tests.models.rules_corpus import helpers

RANKS = """
def ranks(values):
    ordered = sorted(values)
    return [ordered.index(v) + 1 for v in values]


def lookups(items, queries):
    out = []
    for q in queries:
        out.append(items.index(q))
    return out
"""

NAN = float("nan")


def _outcome(fn: object, *args: object) -> tuple[str, object]:
    try:
        return "returned", fn(*args)  # type: ignore[operator]
    except Exception as exc:
        return "raised", f"{type(exc).__name__}: {exc}"


def test_ranks_find_positions_in_a_map_built_once() -> None:
    text = helpers.rewrite(RANKS, "index-map", "ranks")
    assert text is not None
    body = helpers.body_of(text, "ranks")
    assert "    ordered_positions = None\n" in body
    assert (
        "_index_in(ordered, (ordered_positions := _positions_of(ordered, ordered_positions)),"
        " (v))) + 1 for v in _note_iterated(values, _ran_code)]"
    ) in body
    before = helpers.run_module(RANKS, "index_map_a")["ranks"]
    after = helpers.run_module(text, "index_map_b")["ranks"]
    for values in ([3, 1, 2, 1], [1, True, 1.0, 0, False, -0.0, 0.0], [], ["b", "a", "b"]):
        assert after(values) == before(values)


@pytest.mark.parametrize(
    ("items", "queries"),
    [
        ([True, 1, 1.0], [1, 1.0, True]),  # equal values of three types: the first position
        ([0.0, -0.0], [-0.0, 0]),
        ([NAN, 1.0], [NAN, float("nan")]),  # the same NaN is found, another one is not
        (["a", b"a", None], [None, b"a", "a", "b"]),  # a missing value: index's ValueError
        ([(1,), [2]], [(1,), [2]]),  # tuples and lists in the sequence: index itself
        ([1, 2], [[1]]),  # an unhashable value
        ("abcb", ["b", "cb"]),  # a string: substring search, as before
        ((3, 1, 3), [3, 1]),  # a tuple
    ],
)
def test_same_answers_and_errors(items: object, queries: list[object]) -> None:
    text = helpers.rewrite(RANKS, "index-map", "lookups")
    assert text is not None
    before = helpers.run_module(RANKS, "index_map_c")["lookups"]
    after = helpers.run_module(text, "index_map_d")["lookups"]
    for q in queries:
        assert _outcome(after, items, [q]) == _outcome(before, items, [q]), q
    assert _outcome(after, items, queries) == _outcome(before, items, queries)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # the loop changes the sequence
        (
            "        out.append(items.index(q))\n",
            "        out.append(items.index(q))\n        items.append(q)\n",
        ),
        # the loop rebinds it
        (
            "        out.append(items.index(q))\n",
            "        out.append(items.index(q))\n        items = queries\n",
        ),
        # index with a start
        ("items.index(q)", "items.index(q, 1)"),
        # not in a loop
        (
            "    for q in queries:\n        out.append(items.index(q))\n",
            "    out.append(items.index(queries[0]))\n",
        ),
    ],
)
def test_refused_when_the_loop_may_change_the_sequence(old: str, new: str) -> None:
    source = RANKS.replace(old, new, 1)
    assert source != RANKS
    assert helpers.rewrite(source, "index-map", "lookups") is None
