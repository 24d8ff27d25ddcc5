"""group-by-call on a scan whose later conditions read a local the function worked out first
(`start = window_start(day)`, then `sum(t.amount for t in txns if t.cid == cid and start <=
t.day <= day)`): the pass gathers each key's items, and each call runs the comprehension in
full on its own. Before/after, and refusals where the pass would need the local."""

from __future__ import annotations

import calendar

import pytest

from tests.models.rules_corpus import helpers

SOURCE = """
import calendar


def window_start(day, span):
    last = calendar.monthrange(2024, 1 + day % 12)[1]
    return day - min(span, last)


def spend(txns, cid, day, span):
    start = window_start(day, span)
    return sum(t[2] for t in txns if t[0] == cid and start <= t[1] <= day)


def spends(customers, txns, day, span):
    return {c: spend(txns, c, day, span) for c in customers}
"""

TXNS = [
    ("a", 3, 0.1),
    ("b", 40, 1e16),
    ("a", 35, 0.2),
    (2, 30, 3),
    ("b", 31, 1.0),
    ("a", 38, 0.3),
    ("b", 33, -1e16),
    (2.0, 36, 5),
    (True, 37, 7),
]


def test_group_by_call_serves_a_scan_reading_a_local_after_the_key() -> None:
    text = helpers.rewrite(SOURCE, "group-by-call", "spends")
    assert text is not None and "spend_from(" in text
    before = helpers.run_module(SOURCE, "window_before")["spends"]
    after = helpers.run_module(text, "window_after")["spends"]
    keys = ["a", "b", 2, 2.0, True, "z"]
    for txns in (TXNS, TXNS[:3], [], TXNS[::-1], tuple(TXNS)):
        for day, span in ((38, 10), (40, 31), (5, 0), (36, 2)):
            assert repr(after(keys, txns, day, span)) == repr(before(keys, txns, day, span))
    bad = [("a", 3, 0.1), ("a", None, 1)]
    assert helpers.outcome(after, ["a"], bad, 5, 5) == helpers.outcome(before, ["a"], bad, 5, 5)


def test_calendar_month_lengths_count_as_pure() -> None:
    """`calendar.monthrange` and its state-free neighbours read no setting (unlike
    `monthcalendar`, which reads `setfirstweekday`): a callee using them can be served."""
    assert calendar.monthrange(2024, 2) == (3, 29)
    for call in (
        "calendar.isleap(day)",
        "calendar.leapdays(2000, day)",
        "calendar.weekday(2024, 1, 1 + day % 28)",
    ):
        source = SOURCE.replace("calendar.monthrange(2024, 1 + day % 12)[1]", f"{call} + 28")
        assert helpers.rewrite(source, "group-by-call", "spends") is not None, call
    source = SOURCE.replace(
        "calendar.monthrange(2024, 1 + day % 12)[1]", "len(calendar.monthcalendar(2024, 1))"
    )
    assert helpers.rewrite(source, "group-by-call", "spends") is None


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("t[0] == cid and start <= t[1]", "start <= t[1] and t[0] == cid and t[1]"),
        ("for t in txns if", "for t in txns[start:] if"),
        ("t[0] == cid and", "t[0] == cid + start and"),
    ],
    ids=["local-before-the-key", "local-in-the-collection", "local-in-the-key"],
)
def test_group_by_call_refuses_a_pass_that_would_read_a_local(old: str, new: str) -> None:
    source = SOURCE.replace(old, new, 1)
    assert source != SOURCE
    assert helpers.rewrite(source, "group-by-call", "spends") is None


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    return sum(t[2] for", "    return max(t[2] for"),
        (
            "    return sum(t[2] for t in txns if t[0] == cid and start <= t[1] <= day)",
            "    return [t[2] for t in txns if t[0] == cid and start <= t[1] <= day]",
        ),
    ],
    ids=["max-raises-over-no-items", "list-of-the-items"],
)
def test_group_by_call_rescans_other_reductions_reading_a_local(old: str, new: str) -> None:
    source = SOURCE.replace(old, new, 1)
    assert source != SOURCE
    text = helpers.rewrite(source, "group-by-call", "spends")
    assert text is not None
    before = helpers.run_module(source, "window_red_before")["spends"]
    after = helpers.run_module(text, "window_red_after")["spends"]
    for keys in (["a", "b", 2, 2.0, True, "z"], ["a"], []):
        for day, span in ((38, 10), (5, 0)):
            want = helpers.outcome(before, keys, TXNS, day, span)
            assert repr(helpers.outcome(after, keys, TXNS, day, span)) == repr(want)


def test_group_by_call_refuses_a_callee_whose_default_runs_code() -> None:
    """The copies are new `def`s: a default that calls something would be evaluated again
    (once more per copy), where the callee's ran once."""
    source = SOURCE.replace(
        "def spend(txns, cid, day, span):", "def spend(txns, cid, day, span=print()):"
    )
    assert helpers.rewrite(source, "group-by-call", "spends") is None
    source = SOURCE.replace(
        "def spend(txns, cid, day, span):", "def spend(txns, cid, day, span=2):"
    )
    assert helpers.rewrite(source, "group-by-call", "spends") is not None
