"""The join indexes are kept across an outer loop's iterations; a generator that loop
iterates runs between two of them and may add records. Regression tests for the stale index:
the rewritten join must see the records the generator adds, as the scan did."""

from __future__ import annotations

from typing import Any

import pytest

from tests.models.rules_corpus import helpers

GUARDED = """
def totals(rows, keys):
    out = {}
    for k in keys:
        out[k] = sum(r["amount"] for r in rows if r["id"] == k)
    return out
"""

CALLED = """
def amounts_of(rows, k):
    return [r["amount"] for r in rows if r["id"] == k]


def totals(rows, keys):
    out = {}
    for k in keys:
        out[k] = sum(amounts_of(rows, k))
    return out
"""

COMPREHENDED = """
def totals(rows, keys):
    return {k: sum(n for i, n in rows if i == k) for k in keys}
"""

TYPED = """
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass
class Row:
    id: str
    amount: int


def totals(rows: list[Row], keys: Iterable[str]) -> dict[str, int]:
    out = {}
    for k in keys:
        out[k] = sum([r.amount for r in rows if r.id == k])
    return out
"""


def _growing(rows: list, make: object) -> object:
    def keys():  # type: ignore[no-untyped-def]
        for k in ("a", "b", "c"):
            yield k
            rows.append(make("b", 5))  # type: ignore[operator]

    return keys()


@pytest.mark.parametrize(
    ("source", "rule"),
    [
        (GUARDED, "join-index-guarded"),
        (COMPREHENDED, "join-index-guarded"),
        (CALLED, "join-index-call"),
        (TYPED, "join-index"),
    ],
    ids=["guarded", "comprehension", "call", "typed"],
)
def test_records_a_generator_adds_between_two_keys_are_found(source: str, rule: str) -> None:
    text = helpers.rewrite(source, rule, "totals")
    assert text is not None
    before = helpers.run_module(source, f"iterated_{rule}_before")
    after = helpers.run_module(text, f"iterated_{rule}_after")
    results = []
    for module in (before, after):
        make = module.get("Row") or (lambda i, amount: {"id": i, "amount": amount})
        if source is COMPREHENDED:
            make = lambda i, amount: (i, amount)  # noqa: E731
        rows = [make("a", 1), make("b", 2)]
        results.append(module["totals"](rows, _growing(rows, make)))  # type: ignore[operator]
    assert results[0] == {"a": 1, "b": 7, "c": 0}
    assert results[1] == results[0]


@pytest.mark.parametrize(
    ("source", "rule"),
    [(GUARDED, "join-index-guarded"), (CALLED, "join-index-call")],
    ids=["guarded", "call"],
)
def test_a_list_of_keys_still_gets_the_index(source: str, rule: str) -> None:
    """Only iterating what may run code sets the flag that sets the index aside."""
    text = helpers.rewrite(source, rule, "totals")
    assert text is not None and "_candidates(rows_groups" in text
    module = helpers.run_module(text, f"listed_{rule}")
    rows = [{"id": "a", "amount": 1}, {"id": "b", "amount": 2}, {"id": "a", "amount": 4}]
    assert module["totals"](rows, ["a", "b", "z"]) == {"a": 5, "b": 2, "z": 0}  # type: ignore[operator]
    note = module["_note_iterated"]
    for keys, ran in ((["a"], False), (("a",), False), ({"a": 1}, False), (iter(["a"]), True)):
        flag = [False]
        note(keys, flag)  # type: ignore[operator]
        assert flag == [ran]


def test_a_module_that_rebinds_a_builtin_the_helpers_call_gets_no_guarded_join() -> None:
    assert helpers.rewrite("list = list\n" + GUARDED, "join-index-guarded", "totals") is None


def test_a_comprehension_join_unpacks_each_record_as_the_scan_does() -> None:
    text = helpers.rewrite(COMPREHENDED, "join-index-guarded", "totals")
    assert text is not None
    assert "(lambda _0, _1: _0)(*record)" in text
    before = helpers.run_module(COMPREHENDED, "unpacked_before")["totals"]
    after = helpers.run_module(text, "unpacked_after")["totals"]
    for rows in (
        [("a", 1), ["b", 2], ("a", 4)],
        [("a", 1), ("b", 2, 3)],  # the scan raises ValueError at the second record
        [{"a": 1, "b": 2}, ("a", 5)],  # a dict unpacks into its keys
        [("a", 1), (1, 2), (True, 4)],
    ):
        assert helpers.outcome(after, rows, ["a", 1, "z"]) == helpers.outcome(
            before, rows, ["a", 1, "z"]
        )


UNBOUND = """
def totals(keys, ready):
    if ready:
        rows = [("a", 1)]
    return [sum(n for i, n in rows if i == k) for k in keys]
"""


def test_records_that_cannot_be_read_before_the_statement_raise_only_where_the_scan_did() -> None:
    """The index is built before the comprehension's statement, where `rows` may be unbound
    and the scan never runs (no keys): the build is set aside, nothing raises."""
    text = helpers.rewrite(UNBOUND, "join-index-guarded", "totals")
    assert text is not None and "except Exception:" in text
    after = helpers.run_module(text, "unbound_after")["totals"]
    assert after([], False) == []
    assert helpers.outcome(after, ["a"], False) == helpers.outcome(
        helpers.run_module(UNBOUND, "unbound_before")["totals"], ["a"], False
    )
    assert after(["a", "b"], True) == [1, 0]


def test_a_comprehension_after_code_that_may_change_the_records_gets_no_index() -> None:
    source = COMPREHENDED.replace("return {", "return rows.pop() if rows else None, {")
    assert helpers.rewrite(source, "join-index-guarded", "totals") is None


def test_a_second_rewrite_in_the_module_reuses_the_note_helper_the_first_wrote() -> None:
    """Guards against `_note_iterated_2`, `_group_by_key_2` and the like: the helpers the first
    rewrite wrote were never recognised (the note helper's text was compared with the
    template's leading blank line; the join helpers were always written anew)."""
    source = GUARDED + GUARDED.replace("def totals(", "def totals_again(")
    once = helpers.rewrite(source, "join-index-guarded", "totals")
    assert once is not None
    twice = helpers.rewrite(once, "join-index-guarded", "totals_again")
    assert twice is not None
    for helper in ("def _note_iterated", "def _group_by_key", "def _plain_key", "def _candidates"):
        assert twice.count(helper) == 1, helper
    assert "namedtuple as" in twice and "namedtuple as _namedtuple_2" not in twice
    assert "for k in _note_iterated(keys, _ran_code_2):" in twice


WHILE_TEST = """
def grow(rows, keys):
    while not all([sum(n for i, n in rows if i == k) >= 3 for k in keys]):
        rows.append((keys[len(rows) % len(keys)], 1))
    return len(rows)
"""


def test_a_comprehension_in_a_while_test_that_the_body_changes_gets_no_index() -> None:
    """Guards against an index built once before a `while` whose test runs again after the
    body has added records: the loop would never end."""
    assert helpers.run_module(WHILE_TEST, "while_before")["grow"]([("a", 1)], ["a", "b"]) == 6  # type: ignore[operator]
    assert helpers.rewrite(WHILE_TEST, "join-index-guarded", "grow") is None


def _run_both(source: str, rule: str, function: str, call: Any) -> tuple[object, object]:
    text = helpers.rewrite(source, rule, function)
    if text is None:
        return ("no rewrite", "no rewrite")
    before = helpers.run_module(source, f"{function}_{rule}_b")[function]
    after = helpers.run_module(text, f"{function}_{rule}_a")[function]
    return helpers.outcome(call, before), helpers.outcome(call, after)


@pytest.mark.parametrize("made", ["sorted(keys)", "set(keys)", "list(keys)", "[*keys]"])
def test_keys_a_comprehension_makes_from_a_generator_after_the_index_is_built(made: str) -> None:
    """Guards against the index built before the statement: `sorted(keys)` runs the caller's
    generator after it, and the generator adds records."""
    source = COMPREHENDED.replace("for k in keys}", f"for k in {made}}}")

    def call(totals: Any) -> object:
        rows = [("a", 1), ("b", 2)]
        return totals(rows, _growing(rows, lambda i, n: (i, n)))

    before, after = _run_both(source, "join-index-guarded", "totals", call)
    assert after == before


def test_a_typed_index_built_before_a_loop_over_sorted_generator_keys() -> None:
    source = TYPED.replace("for k in keys:", "for k in sorted(keys):")

    def call(module: Any) -> object:
        rows = [module["Row"]("a", 1), module["Row"]("b", 2)]
        return module["totals"](rows, _growing(rows, module["Row"]))

    text = helpers.rewrite(source, "join-index", "totals")
    assert text is not None
    before = helpers.run_module(source, "typed_sorted_b")
    after = helpers.run_module(text, "typed_sorted_a")
    assert call(after) == call(before) == {"a": 1, "b": 17, "c": 0}


@pytest.mark.parametrize(
    "statement",
    [
        "    if (rows := load(rows)) is None:\n        return None\n"
        "    elif [sum(n for i, n in rows if i == k) for k in keys]:\n        return 1\n",
        "    return [sum(n for i, n in rows if i == k) for k in keys] if (rows := load(rows)) "
        "else []\n",
    ],
    ids=["elif", "conditional-expression"],
)
def test_code_that_runs_before_a_comprehension_in_a_branch_gets_no_index(statement: str) -> None:
    source = "def totals(rows, keys, load):\n" + statement
    assert helpers.rewrite(source, "join-index-guarded", "totals") is None


TWO_SCANS = """
def pairs(rows, others, keys):
    out = []
    for k in keys:
        a = sum(n for i, n in rows if i == k)
        b = sum(n for i, n in others if i == k)
        out.append((a, b))
    return out
"""


def test_another_scans_generator_that_adds_records_sets_the_index_aside() -> None:
    """Guards against skipping every scan's records from the notes: iterating `others` (a
    generator) adds to `rows` between two keys."""

    def call(pairs: Any) -> object:
        rows = [("a", 1), ("b", 2)]

        def others():  # type: ignore[no-untyped-def]
            yield ("a", 100)
            rows.append(("b", 5))

        return pairs(rows, others(), ["a", "b"])

    text = helpers.rewrite(TWO_SCANS, "join-index-guarded", "pairs")
    assert text is not None
    before = helpers.run_module(TWO_SCANS, "two_scans_b")["pairs"]
    after = helpers.run_module(text, "two_scans_a")["pairs"]
    assert helpers.outcome(call, after) == helpers.outcome(call, before)


def test_a_key_function_of_max_runs_between_the_items_and_gets_no_index() -> None:
    source = "def best(rows, keys, seen):\n    return max((sum(n for i, n in rows if i == k) for k in keys), key=seen)\n"
    assert helpers.rewrite(source, "join-index-guarded", "best") is None


def test_two_scans_over_a_range_share_a_flag_the_picker_can_set() -> None:
    """Guards against no flag at all when the outer loop needs no note (`range`): the other
    scan's generator added records and the first scan's index went stale."""
    source = TWO_SCANS.replace("def pairs(rows, others, keys):", "def pairs(rows, others):")
    source = source.replace("for k in keys:", "for k in range(3):")

    def call(pairs: Any) -> object:
        rows = [(0, 1), (1, 2)]

        def others():  # type: ignore[no-untyped-def]
            yield (0, 100)
            rows.append((1, 5))

        return pairs(rows, others())

    text = helpers.rewrite(source, "join-index-guarded", "pairs")
    assert text is not None
    before = helpers.run_module(source, "range_scans_b")["pairs"]
    after = helpers.run_module(text, "range_scans_a")["pairs"]
    assert helpers.outcome(call, after) == helpers.outcome(call, before)
    assert call(before) == [(1, 100), (7, 0), (0, 0)]


@pytest.mark.parametrize(
    "statement",
    [
        "    return [sum(n for i, n in rows if i == k) for rows in tables for k in keys]\n",
        "    return [[sum(n for i, n in rows if i == k) for k in keys] for rows in tables]\n",
    ],
    ids=["inner-clause", "nested"],
)
def test_records_a_comprehension_rebinds_get_no_index_built_for_the_outer_name(
    statement: str,
) -> None:
    source = "def totals(rows, tables, keys):\n" + statement
    text = helpers.rewrite(source, "join-index-guarded", "totals")
    if text is not None:
        args = ([("a", 100)], [[("a", 1)], [("a", 2), ("b", 3)]], ["a", "b"])
        before = helpers.run_module(source, "rebound_b")["totals"]
        after = helpers.run_module(text, "rebound_a")["totals"]
        assert helpers.outcome(after, *args) == helpers.outcome(before, *args)


@pytest.mark.parametrize(
    "call",
    [
        "sum((sum(n for i, n in rows if i == k) for k in keys), rows.pop()[1])",
        "next((sum(n for i, n in rows if i == k) for k in keys), rows.pop()[1])",
        "max((sum(n for i, n in rows if i == k) for k in keys), **opts)",
    ],
    ids=["sum-start", "next-default", "max-options"],
)
def test_a_consumers_other_arguments_run_before_the_generator_and_get_no_index(
    call: str,
) -> None:
    source = f"def best(rows, keys, opts):\n    return {call}\n"
    assert helpers.rewrite(source, "join-index-guarded", "best") is None


def test_a_typed_index_is_not_built_before_a_start_argument_that_changes_the_records() -> None:
    source = TYPED.replace(
        "    out = {}\n    for k in keys:\n        out[k] = sum([r.amount for r in rows if r.id == k])\n"
        "    return out\n",
        "    return sum((sum([r.amount for r in rows if r.id == k]) for k in keys), "
        "rows.pop().amount)\n",
    ).replace("-> dict[str, int]:", "-> int:")
    assert "rows.pop()" in source
    assert helpers.rewrite(source, "join-index", "totals") is None


@pytest.mark.parametrize(
    "call",
    [
        "sum((sum(n for i, n in rows if i == k) for k in keys), 0)",
        "max((sum(n for i, n in rows if i == k) for k in keys), default=None)",
    ],
    ids=["sum-zero", "max-default"],
)
def test_a_consumers_literal_arguments_still_let_the_index_be_built_before(call: str) -> None:
    source = f"def best(rows, keys):\n    return {call}\n"
    text = helpers.rewrite(source, "join-index-guarded", "best")
    assert text is not None
    before = helpers.run_module(source, "literal_before")["best"]
    after = helpers.run_module(text, "literal_after")["best"]
    for rows, keys in (([("a", 1), ("b", 2), ("a", 4)], "abz"), ([], ""), ([("a", 1)], "ba")):
        for made in (list, iter):
            expected = helpers.outcome(before, list(rows), made(keys))
            assert helpers.outcome(after, list(rows), made(keys)) == expected
