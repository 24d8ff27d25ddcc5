"""inline-closure: a local helper function called as a statement is inlined where it is called,
so the loop shows what the helper changes. Before/after, the rewrites it enables, and where
the precondition fails."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.models.rules_corpus import helpers

rewrite = helpers.rewrite
RULE = "inline-closure"

WEEKLY = """
def entries_for(rows, key):
    return [r for r in rows if r[0] == key]


def weekly(rows, keys, scale=1):
    weeks = {}
    seen = []

    def bump(when, ok):
        \"\"\"Count one day.\"\"\"
        label = f"w{when // 7}"
        counts = weeks.setdefault(label, [0, 0])
        if ok:
            counts[0] += scale
        counts[1] += 1

    for key in keys:
        for _key, day, hit in entries_for(rows, key):
            bump(day, hit > 0)
        seen.append(key)
    return sorted(weeks.items()), seen
"""


def test_inline_closure_runs_the_body_in_the_loop() -> None:
    text = rewrite(WEEKLY, RULE, "weekly")
    assert text is not None and "def bump" not in text
    body = helpers.body_of(text, "weekly")
    assert "            when = day\n" in body and "            ok = hit > 0\n" in body
    assert "Count one day" not in body
    old = helpers.run_module(WEEKLY, "closure_old")["weekly"]
    new = helpers.run_module(text, "closure_new")["weekly"]
    rows = [("a", 3, 1), ("b", 9, 0), ("a", 15, -1), ("c", 1, 2)]
    assert new(rows, ["a", "b", "z"], 2) == old(rows, ["a", "b", "z"], 2)


def test_inline_closure_lets_the_group_by_see_a_pure_loop() -> None:
    """Guards the reason for the rule: a call to a nested function is opaque to the effect
    analysis, so attendance's weekly counts (`bump(...)` in a loop over a per-key scan)
    could not be grouped; inlined, the loop changes only the function's own dict."""
    assert rewrite(WEEKLY, "group-by-call", "weekly") is None
    text = rewrite(WEEKLY, RULE, "weekly")
    assert text is not None
    grouped = rewrite(text, "group-by-call", "weekly")
    assert grouped is not None and "entries_for_groups(rows)" in grouped
    old = helpers.run_module(WEEKLY, "closure_grouped_old")["weekly"]
    new = helpers.run_module(grouped, "closure_grouped_new")["weekly"]
    rows = [("a", 3, 1), ("b", 9, 0), ("a", 15, -1), (1, 1, 2), (1.0, 2, 1)]
    for keys in (["a", "b", "z"], [1, "a", 1], [True, 1.0]):
        assert new(rows, keys) == old(rows, keys)


_rows = st.lists(
    st.tuples(st.sampled_from(["a", "b", 1, 1.0, True]), st.integers(0, 30), st.integers(-2, 2)),
    max_size=8,
)


@settings(max_examples=80, deadline=None)
@given(rows=_rows, keys=st.lists(st.sampled_from(["a", "b", 1, 2.0, "z"]), max_size=5))
def test_inline_closure_preserves_behaviour(rows: list[Any], keys: list[Any]) -> None:
    text = rewrite(WEEKLY, RULE, "weekly")
    assert text is not None
    old = helpers.run_module(WEEKLY, "closure_prop_old")["weekly"]
    new = helpers.run_module(text, "closure_prop_new")["weekly"]
    assert new(rows, keys, 3) == old(rows, keys, 3)


@pytest.mark.parametrize(
    "source",
    [
        WEEKLY.replace("        counts[1] += 1\n", "        counts[1] += 1\n        return 1\n"),
        WEEKLY.replace("            bump(day, hit > 0)", "            got = bump(day, hit > 0)"),
        WEEKLY.replace("            bump(day, hit > 0)", "            bump(day, hit=hit > 0)"),
        WEEKLY.replace("    seen = []\n", "    seen = []\n    label = 'x'\n"),
        WEEKLY.replace("for _key, day, hit in", "for _key, when, hit in").replace(
            "bump(day, hit > 0)", "bump(when, hit > 0)"
        ),
        WEEKLY.replace("seen.append(key)", "seen.append(counts)"),
        WEEKLY.replace("    def bump(when, ok):", "    def bump(when, ok=0):"),
        WEEKLY.replace("    def bump(when, ok):", "    @staticmethod\n    def bump(when, ok):"),
        WEEKLY.replace("        label = f", "        nonlocal scale\n        label = f"),
        WEEKLY.replace("        if ok:\n", "        if ok:\n            bump(when, 0)\n"),
        WEEKLY.replace("    seen = []\n", "    seen = []\n    if keys == 1:\n        bump(0, 1)\n"),
        WEEKLY.replace("    return sorted", "    helper = bump\n    return sorted"),
        WEEKLY.replace("        label = f", "        key = lambda: when\n        label = f"),
        WEEKLY.replace("def weekly(rows, keys, scale=1):", "def weekly(rows, keys, when=1):"),
        WEEKLY.replace("    def bump(when, ok):", "    def bump(when: int, ok):"),
    ],
    ids=[
        "returns",
        "value-used",
        "keyword",
        "clash",
        "clash-with-loop-target",
        "local-read-after",
        "default",
        "decorated",
        "nonlocal",
        "recursive",
        "called-before",
        "escapes",
        "nested-scope",
        "clashes-with-parameter",
        "annotated",
    ],
)
def test_inline_closure_refuses(source: str) -> None:
    assert rewrite(source, RULE, "weekly") is None
