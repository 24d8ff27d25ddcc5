"""group-by-call when more than one argument varies per call: a filter on two fields
(`[m for m in marks if m["student"] == student and m["paper"] == paper]`, or the same test in
a loop) called for every (student, paper) pair. The pass groups the items by one of the keys,
and each call loops over its key's items with its test in full. Before/after, and the cases
where the pass would need what varies."""

from __future__ import annotations

import math

import pytest

from tests.models.rules_corpus import helpers

rewrite = helpers.rewrite
outcome = helpers.outcome

SOURCE = """
def marks_of(marks, student, paper):
    rows = [m for m in marks if m["student"] == student and m["paper"] == paper]
    return [m["mark"] for m in rows]


def sheet(marks, students, papers):
    out = []
    for s in students:
        for p in papers:
            out.append((s, p, marks_of(marks, s, p)))
    return out
"""

LOOP = """
def total(moves, account, month, skip=None):
    amount = 0
    for m in moves:
        if m[0] == account and m[1] == month and m[2] != skip:
            amount += m[2]
    return amount


def statement(moves, asked):
    return {(a, mo): total(moves, a, mo) for a, mo in asked}
"""

KEYS = ["x", "y", 1, True, 1.0, math.nan, None]
MARKS = [
    {"student": "x", "paper": "p1", "mark": 3},
    {"student": "y", "paper": "p1", "mark": 4},
    {"student": "x", "paper": "p2", "mark": 5},
    {"student": 1, "paper": "p1", "mark": 6},
    {"student": True, "paper": 1, "mark": 7},
    {"student": "x", "paper": "p1", "mark": 8},
]
MOVES = [("x", 1, 2.5), ("x", 2, 0.1), ("y", 1, 0.2), ("x", 1, 0.3), (1, 1, 9), (True, 1, 1)]


def test_a_two_field_filter_is_grouped_by_one_field() -> None:
    text = rewrite(SOURCE, "group-by-call", "sheet")
    assert text is not None
    assert "marks_of_groups(marks)" in text
    assert "marks_of_items, marks, s, p)" in text
    before = helpers.run_module(SOURCE, "many_before")["sheet"]
    after = helpers.run_module(text, "many_after")["sheet"]
    papers = ["p1", "p2", 1, "p3"]
    for marks in (MARKS, MARKS[:3], [], [*MARKS, {"student": [1], "paper": "p1", "mark": 0}]):
        want = before(marks, KEYS, papers)
        assert after(marks, KEYS, papers) == want
        assert after(tuple(marks), KEYS, papers) == want
        assert outcome(after, iter(marks), KEYS, papers) == outcome(
            before, iter(marks), KEYS, papers
        )


def test_a_two_field_loop_keeps_its_sums_and_raises_where_it_did() -> None:
    text = rewrite(LOOP, "group-by-call", "statement")
    assert text is not None and "total_items, moves, a, mo)" in text
    before = helpers.run_module(LOOP, "many_loop_before")["statement"]
    after = helpers.run_module(text, "many_loop_after")["statement"]
    asked = [(a, m) for a in KEYS for m in (1, 2, 1.0, "1")]
    broken = [MOVES, [*MOVES, ("x",)], [("x", 1), *MOVES], [*MOVES, ([1], 1, 1)], [("z",), *MOVES]]
    for moves in broken:
        assert outcome(after, moves, asked) == outcome(before, moves, asked)


def test_the_key_is_the_field_the_pass_can_read_without_the_other() -> None:
    """The paper's test comes first and the student's reads the paper: the pass groups by the
    paper, whose test reads nothing that varies."""
    source = SOURCE.replace(
        'm["student"] == student and m["paper"] == paper',
        'paper == m["paper"] and m["student"] == student',
    )
    text = rewrite(source, "group-by-call", "sheet")
    assert text is not None and 'item_key = m["paper"]' in text
    before = helpers.run_module(source, "many_paper_before")["sheet"]
    after = helpers.run_module(text, "many_paper_after")["sheet"]
    assert after(MARKS, KEYS, ["p1", "p2", 1]) == before(MARKS, KEYS, ["p1", "p2", 1])


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('m["student"] == student and', 'm["student"] + paper == student and'),
        ("[m for m in marks if", "[m for m in marks[paper:] if"),
        ("marks_of(marks, s, p)", "marks_of(marks[:s], s, p)"),
        ('m["student"] == student and m["paper"] == paper', 'm["student"] in (student, paper)'),
        ("marks_of(marks, s, p)))", "marks_of(marks, s, p), marks_of(marks, s, 'p1')))"),
        ("    rows = [m", "    marks.sort(key=str)\n    rows = [m"),
    ],
    ids=[
        "key-expression-reads-the-other",
        "collection-reads-the-other",
        "collection-varies",
        "no-equality-on-a-key",
        "calls-vary-differently",
        "callee-not-pure",
    ],
)
def test_group_by_call_with_several_varying_arguments_refuses(old: str, new: str) -> None:
    source = SOURCE.replace(old, new, 1)
    assert source != SOURCE
    assert rewrite(source, "group-by-call", "sheet") is None


def test_a_loop_whose_test_before_the_key_reads_the_other_is_refused() -> None:
    source = LOOP.replace(
        "if m[0] == account and m[1] == month", "if m[1] < month and m[0] == account"
    )
    assert rewrite(source, "group-by-call", "statement") is None


def test_a_comprehension_unpacking_its_items_gets_a_pass_per_outer_item_only() -> None:
    """The pass stores items, which a starred target no longer names: with both keys varying
    nothing is grouped; in the inner loop, where the student is fixed, the one-key pass is."""
    source = SOURCE.replace("[m for m in marks if", "[m for m, *_ in marks if")
    text = rewrite(source, "group-by-call", "sheet")
    assert text is not None
    assert (
        "    for s in students:\n        try:\n            marks_of_items = marks_of_groups(marks, s)\n"
        in text
    )
