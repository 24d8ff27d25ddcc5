"""earlier-by-key: a loop calling `f(seq, i)` at each position, where `f` scans the items before
`i` for those of one key, gets a copy of `f` that visits only the earlier items of its key (a
generator keeps each item's key between calls). Before/after on awkward inputs (float sums whose
value depends on the order, keys a dict would not find as `==` does, items that raise where the
scan reads them), and refusals where the precondition fails."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from tests.models.rules_corpus import helpers

SOURCE = """
def week_of(day):
    return day // 7


def hours_before(entries, index):
    target = week_of(entries[index][0])
    total = 0
    for i in range(index):
        other = entries[i]
        if other[2] == "work" and week_of(other[0]) == target:
            total += other[1]
    return total


def classify(entries, limit):
    rows = []
    for i, entry in enumerate(entries):
        if entry[2] != "work":
            continue
        before = hours_before(entries, i)
        rows.append((entry[0], max(0, min(entry[1], limit - before))))
    return rows
"""

SLICED = """
def partner_before(rows, index, limit):
    wanted = rows[index][0]
    seen = 0
    for row in rows[:index]:
        if len(row) > 1 and row[0] == wanted and seen < limit:
            seen += 1
            if row[2] > 2:
                return row[1]
    else:
        seen = -seen
    return seen


def partners(rows, limit):
    out = []
    for i in range(len(rows)):
        out.append(partner_before(rows, i, limit))
    return out
"""

ENTRIES = [
    (0, 0.1, "work"),
    (1, 1e16, "work"),
    (2, 0.2, "leave"),
    (3, -1e16, "work"),
    (8, 0.3, "work"),
    (9, Decimal("1.1"), "work"),
    (3, 1.0, "work"),
    (15, 2, "work"),
    (15.0, 4, "work"),
    (True, 1, "work"),
    (math.nan, 1, "work"),
]


def _pair(source: str, function: str, name: str) -> tuple[object, object, str]:
    text = helpers.rewrite(source, "earlier-by-key", function)
    assert text is not None
    before = helpers.run_module(source, f"{name}_before")[function]
    after = helpers.run_module(text, f"{name}_after")[function]
    return before, after, text


def test_earlier_by_key_visits_only_the_earlier_items_of_one_key() -> None:
    before, after, text = _pair(SOURCE, "classify", "earlier")
    assert "hours_before_earlier(hours_before_state, entries, i)" in text
    compile(text, "earlier", "exec")
    cases = [ENTRIES, ENTRIES[:5], [], ENTRIES[::-1], tuple(ENTRIES), ENTRIES[:4] + ENTRIES[:4]]
    for entries in cases:
        for limit in (0, 1, 8):
            assert repr(after(entries, limit)) == repr(before(entries, limit))


def test_earlier_by_key_raises_where_the_scan_raised() -> None:
    """An item whose key cannot be worked out, a value that cannot be added, a short item:
    the same exception, at the same call."""
    before, after, _ = _pair(SOURCE, "classify", "earlier_raise")
    for entries in (
        [(0, 1, "work"), ("x", 1, "work"), (1, 2, "work")],
        [(0, 1, "work"), (1, "x", "work"), (2, 2, "work")],
        [(0, 1, "work"), (1,), (2, 2, "work")],
        [(0, 1, "work"), (1, 1, "leave"), ([], 1, "work")],
    ):
        assert helpers.outcome(after, entries, 8) == helpers.outcome(before, entries, 8)


def test_earlier_by_key_on_a_sliced_loop_with_returns_and_else() -> None:
    before, after, text = _pair(SLICED, "partners", "earlier_sliced")
    assert "partner_before_earlier(" in text
    rows = [
        ("a", 1, 3),
        ("b",),
        ("a", 2, 1),
        ("a", 3, 4),
        (1.0, 0, 9),
        (1, 5, 5),
        ([1], 0),
        ("b", 1, 0),
    ]
    for case in (rows, rows[:3], [], rows[::-1], [("a", 1), *rows]):
        for limit in (0, 1, 3):
            assert helpers.outcome(after, case, limit) == helpers.outcome(before, case, limit)


def test_earlier_by_key_keys_that_are_not_plain_give_every_position() -> None:
    """Floats, bools and None would be found by a dict where `==` says otherwise (or the
    reverse, for NaN): from the first such key on, every earlier item is visited again."""
    before, after, _ = _pair(SOURCE, "classify", "earlier_plain")
    mixed = [
        (0, 1, "work"),
        (0.0, 2, "work"),
        (False, 3, "work"),
        (0, 4, "work"),
        (None, 1, "leave"),
    ]
    assert after(mixed, 9) == before(mixed, 9)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("            total += other[1]\n", "            total += other[1]\n            break\n"),
        ("    return total\n", "    return total + other[1]\n"),
        ('other[2] == "work" and week_of', "other[2] == index and week_of"),
        ("week_of(other[0]) == target", "week_of(other[0]) + index == target"),
        ("week_of(other[0]) == target", "week_of(other[0]) < target"),
        ("        other = entries[i]\n", "        other = entries[i + index - index]\n"),
        ("    for i in range(index):", "    for i in range(1, index):"),
        ("        rows.append(", "        entries[i] = entry\n        rows.append("),
        ("        rows.append(", "        i = 0\n        rows.append("),
        ("for i, entry in enumerate(entries):", "for i, entry in enumerate(sorted(entries)):"),
        ("    return day // 7\n", "    print(day)\n    return day // 7\n"),
        (
            "        before = hours_before(entries, i)",
            "        before = hours_before(entries, i - 1)",
        ),
        (
            "            total += other[1]\n",
            "            total += other[1]\n        else:\n            total -= 0\n",
        ),
    ],
    ids=[
        "break",
        "item-read-after-the-loop",
        "term-before-the-key-reads-a-parameter",
        "key-reads-a-parameter",
        "not-an-equality",
        "binding-reads-a-parameter",
        "not-from-the-start",
        "caller-stores-into-the-sequence",
        "caller-rebinds-the-position",
        "not-the-sequence-enumerated",
        "callee-impure",
        "not-the-position",
        "if-with-else",
    ],
)
def test_earlier_by_key_refuses(old: str, new: str) -> None:
    source = SOURCE.replace(old, new, 1)
    assert source != SOURCE
    assert helpers.rewrite(source, "earlier-by-key", "classify") is None


def test_earlier_by_key_state_serves_one_sequence_only() -> None:
    """The copy handed another sequence, or a position before one it already passed, scans
    as the function did (the state is made fresh before each run of the loop)."""
    text = helpers.rewrite(SOURCE, "earlier-by-key", "classify")
    assert text is not None
    space = helpers.run_module(text, "earlier_state")
    copy, scan = space["hours_before_earlier"], space["hours_before"]
    state = {"seq": None, "done": 0, "groups": {}, "ok": True}
    first = [(0, 1, "work"), (1, 2, "work"), (8, 4, "work"), (2, 8, "work")]
    other = [(0, 16, "work"), (1, 32, "work"), (2, 64, "work"), (3, 1, "work")]
    assert copy(state, first, 3) == scan(first, 3)
    assert copy(state, other, 3) == scan(other, 3)
    assert copy(state, first, 1) == scan(first, 1)
    assert copy(state, first, 3) == scan(first, 3)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("for i, entry in enumerate(entries):", "for i, entries in enumerate(entries):"),
        ("        rows.append(", "        yield rows\n        rows.append("),
    ],
    ids=["loop-rebinds-the-sequence", "caller-suspends-between-calls"],
)
def test_earlier_by_key_refuses_a_caller_whose_sequence_may_change(old: str, new: str) -> None:
    source = SOURCE.replace(old, new, 1)
    assert source != SOURCE
    assert helpers.rewrite(source, "earlier-by-key", "classify") is None


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "    target = week_of(entries[index][0])\n",
            "    if index:\n        target = week_of(entries[index][0])\n",
        ),
        ("def hours_before(entries, index):", "def hours_before(entries, index, tag=print()):"),
        ("            total += other[1]\n", "            total += sum(other[1] for _ in (i,))\n"),
        ("for i, entry in enumerate(entries):", "for i, i in enumerate(entries):"),
        ("        other = entries[i]\n", "        len = entries[i]\n        other = len\n"),
        ("def hours_before(entries, index):", "def hours_before(entries, index, *, x=0):"),
        ("    total = 0\n", "    total = 0\n    del total\n    total = 0\n"),
    ],
    ids=[
        "target-bound-on-some-paths",
        "default-evaluated-again",
        "code-made-in-the-loop-reads-its-names-later",
        "position-is-the-item",
        "item-name-shadows-a-builtin",
        "keyword-only-parameter",
        "a-name-deleted",
    ],
)
def test_earlier_by_key_refuses_what_the_generator_would_read_otherwise(old: str, new: str) -> None:
    source = SOURCE.replace(old, new, 1)
    assert source != SOURCE
    assert helpers.rewrite(source, "earlier-by-key", "classify") is None


def test_earlier_by_key_keeps_stop_iteration_and_comments() -> None:
    """A key that raises StopIteration raises it from the copy too (it is worked out in a
    plain function, not a generator, which would turn it into RuntimeError); a comment in
    the callee's loop is carried over as it is; constant defaults are kept."""
    source = SOURCE.replace(
        "    return day // 7\n",
        "    if day == 5:\n        raise StopIteration\n    return day // 7\n",
    ).replace("        other = entries[i]\n", "        # the item\n        other = entries[i]\n")
    source = source.replace(
        "def hours_before(entries, index):", "def hours_before(entries, index, unit=1):"
    )
    before, after, text = _pair(source, "classify", "earlier_stop")
    assert "# the item" in text
    for entries in ([(0, 1, "work"), (5, 1, "leave"), (6, 1, "work")], [(5, 1, "work")], ENTRIES):
        assert helpers.outcome(after, entries, 9) == helpers.outcome(before, entries, 9)
    assert (
        helpers.outcome(after, [(0, 1, "work"), (5, 1, "work"), (6, 1, "work")], 9) is StopIteration
    )


FIRST = """
class Halt(BaseException):
    pass


def week(day):
    if day is None:
        raise Halt()
    return day // 7


def first_before(entries, index):
    target = week(entries[index])
    for i in range(index):
        if week(entries[i]) == target:
            return i
    return -1


def firsts(entries):
    out = []
    for i, e in enumerate(entries):
        if e is None:
            continue
        out.append(first_before(entries, i))
    return out
"""


def test_earlier_by_key_works_keys_out_only_as_far_as_the_loop_gets() -> None:
    """A scan that returns at its first match never reads the items after it: their keys
    are worked out lazily, when the loop gets there (one that raises anything, or never
    ends, is not reached earlier than it was), not for every earlier item up front."""
    before, after, _ = _pair(FIRST, "firsts", "earlier_lazy")

    def outcome(fn: object, entries: list[object]) -> object:
        try:
            return fn(entries)  # type: ignore[operator]
        except BaseException as exc:  # Halt is the behaviour under test
            return type(exc).__name__

    for entries in ([1, None, 2], [1, 2, None, 3], [None, 1, 1], [3, 4, 10, None, 11, 20]):
        assert outcome(after, entries) == outcome(before, entries)
    assert outcome(after, [1, None, 2]) == [-1, 0]
