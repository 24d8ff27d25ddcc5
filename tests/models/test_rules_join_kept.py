"""The join rules index a collection only while the loop leaves it alone: a loop that appends
to the very list it searches (get-or-create) is a pure loop that changes its own container,
and an index built at its first search would miss every record added later."""

from __future__ import annotations

import pytest

from tests.models.rules_corpus import helpers

SEARCH_AND_GROW = """
def first_match(rows, wanted):
    seen = []
    for key, value in rows:
        for t in seen:
            if wanted == t["key"]:
                return t
        record = {"key": key, "value": value}
        seen.append(record)
    return len(seen)
"""

SEARCH_ONLY = """
def matches(rows, wanted):
    seen = [{"key": k, "value": v} for k, v in rows]
    out = []
    for w in wanted:
        for t in seen:
            if w == t["key"]:
                out.append(t["value"])
                break
    return out, len(seen)
"""


@pytest.mark.parametrize("rule", ["join-index", "join-index-guarded"])
def test_a_list_the_loop_appends_to_is_not_indexed(rule: str) -> None:
    """Regression: join-index-guarded built `seen`'s index at the first search (empty) and
    then answered `first_match([("a", 0), ("a", 0)], "a")` with 2 instead of the record."""
    text = helpers.rewrite(SEARCH_AND_GROW, rule, "first_match")
    if text is not None:
        fn = helpers.run_module(text, f"grow_{rule}")["first_match"]
        assert fn([("a", 0), ("a", 0)], "a") == {"key": "a", "value": 0}  # type: ignore[operator]
    assert text is None


def test_a_local_list_the_loop_only_reads_is_still_indexed() -> None:
    text = helpers.rewrite(SEARCH_ONLY, "join-index-guarded", "matches")
    assert text is not None
    before = helpers.run_module(SEARCH_ONLY, "only_before")["matches"]
    after = helpers.run_module(text, "only_after")["matches"]
    rows, wanted = [("a", 1), ("b", 2), ("a", 3), (1, 4)], ["a", 1.0, "c", True, "b"]
    assert after(rows, wanted) == before(rows, wanted)  # type: ignore[operator]


APPEND_IN_SCAN = """
def f(wanted):
    seen = [{"key": "a"}]
    out = []
    for w in wanted:
        for t in seen:
            if w == t["key"]:
                seen.append({"key": w + "!"})
                out.append(t["key"])
                break
    return out
"""

ALIASED = """
def f(rows, wanted):
    seen = [{"key": k} for k in rows]
    more = seen
    out = []
    for w in wanted:
        for t in seen:
            if w == t["key"]:
                out.append("old")
                break
        else:
            out.append("new")
            more.append({"key": w})
    return out
"""


@pytest.mark.parametrize("source", [APPEND_IN_SCAN, ALIASED], ids=["append-in-scan", "alias"])
@pytest.mark.parametrize("rule", ["join-index", "join-index-guarded"])
def test_a_list_changed_inside_the_scan_or_through_an_alias_is_not_indexed(
    source: str, rule: str
) -> None:
    """Regression (review): the first fix skipped every mention inside the scan (an append
    in the scan's own body went unseen) and looked only inside the loop (an alias bound
    before it went unseen)."""
    text = helpers.rewrite(source, rule, "f")
    if text is not None:
        args = (["a", "a!"],) if source is APPEND_IN_SCAN else (["x"], ["a", "a"])
        before = helpers.run_module(source, f"k_before_{rule}")["f"](*args)  # type: ignore[operator]
        after = helpers.run_module(text, f"k_after_{rule}")["f"](*args)  # type: ignore[operator]
        assert after == before
    assert text is None


TUPLE_STORE = """
def f(rows, wanted):
    seen = [{"key": k} for k in rows]
    out = []
    for w in wanted:
        for t in seen:
            if w == t["key"]:
                out.append("old")
                break
        else:
            out.append("new")
            _, seen[0] = 0, {"key": w}
    return out
"""


@pytest.mark.parametrize("rule", ["join-index", "join-index-guarded"])
def test_a_list_stored_into_through_a_tuple_target_is_not_indexed(rule: str) -> None:
    """`_, seen[0] = ...` replaces a record: a store, though its parent is a tuple."""
    text = helpers.rewrite(TUPLE_STORE, rule, "f")
    if text is not None:
        before = helpers.run_module(TUPLE_STORE, f"t_before_{rule}")["f"](["x"], ["a", "a"])  # type: ignore[operator]
        after = helpers.run_module(text, f"t_after_{rule}")["f"](["x"], ["a", "a"])  # type: ignore[operator]
        assert after == before
    assert text is None
