"""group-by-call on an optional filter: a scan whose key test is `key is None or <expr> == key`,
the way `rows_for(table, student=None, subject=None)` helpers are written. Only keys that are
exactly a str or an int are served, and for those the `is None` half is False; a None key (every
row) runs the scan as before."""

from __future__ import annotations

from tests.models.rules_corpus import helpers

rewrite = helpers.rewrite

SOURCE = """
def rows_for(table, student=None, subject=None):
    return [
        row for row in table
        if (student is None or row[0] == student)
        and (subject is None or row[1] == subject)
    ]


def by_student(table, students):
    return {s: rows_for(table, student=s) for s in students}


def by_student_in(table, students, subject):
    return {s: rows_for(table, s, subject) for s in students}


def owed(invoices, customer=None, status=None):
    total = 0
    for inv in invoices:
        if (customer is None or inv["customer"] == customer) and inv["status"] == status:
            total += inv["amount"]
    return total


def balances(invoices, customers):
    return [owed(invoices, c, "open") for c in customers]


def lines_of(lines, order=None):
    kept = []
    for line in lines:
        if order is None or line["order"] == order:
            kept.append(line)
    return kept


def orders(lines, ids):
    return [lines_of(lines, i) for i in ids]
"""

TABLE = [
    ("s1", "maths", 1),
    ("s2", "maths", 2),
    ("s1", "art", 3),
    (None, "art", 4),
    ("s2", "art", 5),
    (3, "maths", 6),
]
INVOICES = [
    {"customer": "a", "status": "open", "amount": 5},
    {"customer": "b", "status": "paid", "amount": 7},
    {"customer": "a", "status": "open", "amount": 1},
    {"customer": None, "status": "open", "amount": 2},
]
LINES = [{"order": 1, "n": 1}, {"order": 2, "n": 2}, {"order": 1, "n": 3}]


def _both(function: str, name: str) -> tuple[dict[str, object], dict[str, object], str]:
    text = rewrite(SOURCE, "group-by-call", function)
    assert text is not None, function
    before = helpers.run_module(SOURCE, f"group_optional_{name}_a")
    after = helpers.run_module(text, f"group_optional_{name}_b")
    return before, after, text


def test_an_optional_filter_comprehension_is_served_from_one_pass() -> None:
    before, after, text = _both("by_student", "comp")
    assert "rows_for_groups(table)" in text
    keys = ["s1", "s2", 3, "nobody", None, 3.0]
    got = after["by_student"](TABLE, keys)  # type: ignore[operator]
    assert got == before["by_student"](TABLE, keys)  # type: ignore[operator]
    assert got[None] == TABLE and got["s1"] == [TABLE[0], TABLE[2]]


def test_the_other_optional_filters_still_apply_to_each_group() -> None:
    before, after, _ = _both("by_student_in", "two")
    for subject in ("art", None, "nothing"):
        keys = ["s1", "s2", None, 3]
        got = after["by_student_in"](TABLE, keys, subject)  # type: ignore[operator]
        assert got == before["by_student_in"](TABLE, keys, subject)  # type: ignore[operator]


def test_an_optional_filter_in_a_summing_loop_is_served() -> None:
    before, after, text = _both("balances", "sum")
    assert text != SOURCE
    keys = ["a", "b", None, "z"]
    got = after["balances"](INVOICES, keys)  # type: ignore[operator]
    assert got == before["balances"](INVOICES, keys) == [6, 0, 8, 0]  # type: ignore[operator]


def test_an_optional_filter_in_a_collecting_loop_is_served() -> None:
    before, after, text = _both("orders", "collect")
    assert text != SOURCE
    ids = [1, 2, None, 9]
    assert after["orders"](LINES, ids) == before["orders"](LINES, ids)  # type: ignore[operator]


def test_a_test_that_is_not_about_none_is_not_taken_for_an_optional_filter() -> None:
    """`key is not None or ...` and `key is None and ...` mean something else: refused."""
    for test in (
        "student is not None or row[0] == student",
        "student is None and row[0] == student",
        "student is 0 or row[0] == student",
        "subject is None or row[0] == student",
    ):
        source = SOURCE.replace("(student is None or row[0] == student)", f"({test})")
        assert rewrite(source, "group-by-call", "by_student") is None, test
