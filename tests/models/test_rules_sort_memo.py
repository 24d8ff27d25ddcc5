"""sort-memo: a comparator that recomputes a pure function of one element per comparison
looks it up in a memo that lives as long as one sort. Before/after, and refusals."""

from __future__ import annotations

from functools import cmp_to_key

import pytest

from tests.models.rules_corpus import helpers

rewrite = helpers.rewrite

TABLE = """
from functools import cmp_to_key

CALLS = []


def points(team, matches):
    total = 0
    for home, away, hg, ag in matches:
        if team == home:
            total += 3 if hg > ag else (1 if hg == ag else 0)
        elif team == away:
            total += 3 if ag > hg else (1 if hg == ag else 0)
    return total


def compare(a, b, matches):
    for stat in (lambda t: points(t, matches), lambda t: -len(t)):
        diff = stat(b) - stat(a)
        if diff:
            return diff
    return -1 if a < b else (1 if a > b else 0)


def standings(teams, matches):
    return sorted(teams, key=cmp_to_key(lambda a, b: compare(a, b, matches)))
"""

MATCHES = [("ann", "bo", 2, 1), ("cy", "ann", 0, 0), ("bo", "cy", 3, 1), ("dee", "bo", 1, 1)]


def test_sort_memo_copies_the_comparator_with_a_memo_per_sort() -> None:
    text = rewrite(TABLE, "sort-memo", "standings")
    assert text is not None
    assert "def compare_per_sort(memo, a, b, matches):" in text
    assert "lambda t: _per_sort_memo(memo, 0, 0, points, t, matches)" in text
    assert "cmp_to_key(lambda a, b, sort_memo={}: compare_per_sort(sort_memo, a, b, matches))" in (
        text
    )
    assert "def compare(a, b, matches):" in text  # the original stays for its other callers
    before = helpers.run_module(TABLE, "sort_memo_before")
    after = helpers.run_module(text, "sort_memo_after")
    teams = ["bo", "ann", "cy", "dee", "eve"]
    assert after["standings"](teams, MATCHES) == before["standings"](teams, MATCHES)


def test_sort_memo_computes_each_value_once_per_element_and_sort() -> None:
    """Guards the point of the rewrite: `points` runs once per team and sort, not per
    comparison, and a second sort (new data) computes afresh."""
    text = rewrite(TABLE, "sort-memo", "standings")
    assert text is not None
    counted = text.replace("    total = 0\n", "    CALLS.append(team)\n    total = 0\n", 1)
    mod = helpers.run_module(counted, "sort_memo_counted")
    teams = ["bo", "ann", "cy", "dee", "eve", "fay"]
    mod["standings"](teams, MATCHES)
    assert sorted(mod["CALLS"]) == sorted(teams)
    mod["CALLS"].clear()
    assert mod["standings"](teams, MATCHES[:1])[:2] == ["ann", "bo"]
    assert sorted(mod["CALLS"]) == sorted(teams)


def test_sort_memo_calls_through_when_an_argument_is_an_iterator() -> None:
    """Guards against a memo over a call that consumes its argument: `points(t, iter(...))`
    reads the matches only in the first comparison, and later teams count none, so the memo
    (one call per team, in another order) ranked the teams differently."""
    text = rewrite(TABLE, "sort-memo", "standings")
    assert text is not None
    before = helpers.run_module(TABLE, "sort_memo_iter_before")
    after = helpers.run_module(text, "sort_memo_iter_after")
    for teams in (["bo", "ann", "cy", "dee"], ["dee", "cy", "bo", "ann"], ["cy", "ann"]):
        for n in range(len(MATCHES) + 1):
            want = before["standings"](teams, iter(MATCHES[:n]))
            assert after["standings"](teams, iter(MATCHES[:n])) == want
            assert after["standings"](teams, (m for m in MATCHES[:n])) == want


def test_sort_memo_serves_only_exact_str_int_bool_none_keys() -> None:
    """A float key (0.0 == -0.0) or an unhashable one runs the function every time."""
    text = rewrite(TABLE, "sort-memo", "standings")
    assert text is not None
    mod = helpers.run_module(text, "sort_memo_keys")
    memo: dict[object, object] = {}
    helper = mod["_per_sort_memo"]
    assert helper(memo, 0, 0, lambda x: [x], 1.5) == [1.5]
    assert helper(memo, 0, 0, lambda x: (x,), 1) == (1,)
    assert helper(memo, 0, 0, lambda x: (x, x), True) == (True, True)
    assert helper(memo, 0, 0, lambda x: [x], "a") == ["a"]  # a list result is never kept
    assert memo == {(0, int, 1): (1,), (0, bool, True): (True, True)}
    teams = [["y"], ["x"], ["ann"]]
    expected = sorted(teams, key=cmp_to_key(lambda a, b: mod["compare"](a, b, MATCHES)))
    assert mod["standings"](teams, MATCHES) == expected


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    for stat in", "    matches.append(('x', 'y', 0, 0))\n    for stat in"),  # mutates
        ("lambda t: points(t, matches)", "lambda t: points(t, matches[:])"),  # a new list
        ("lambda t: points(t, matches)", "lambda matches: points(a, matches)"),  # shadowed
        ("compare(a, b, matches))", "compare(a, b, [m for m in matches if a in m]))"),
        ("    total = 0\n", "    print(team)\n    total = 0\n"),  # impure callee
        ("def compare(a, b, matches):", "@staticmethod\ndef compare(a, b, matches):"),
        ("    return total", "    return total\n\n\ndef points(team, matches):\n    return 0"),
        (
            "    for home, away, hg, ag in matches:\n",
            "    if True:\n        home, away, hg, ag = 1, 2, 3, 4\n",
        ),
    ],
    ids=[
        "mutates",
        "fresh-arg",
        "shadowed",
        "varying-arg",
        "impure",
        "decorated",
        "rebound",
        "no-loop",
    ],
)
def test_sort_memo_refuses(old: str, new: str) -> None:
    source = TABLE.replace(old, new)
    assert source != TABLE
    assert rewrite(source, "sort-memo", "standings") is None


def test_sort_memo_refuses_two_varying_arguments_and_key_functions() -> None:
    pairwise = TABLE.replace("lambda t: points(t, matches)", "lambda t: points(a + b, t)")
    assert rewrite(pairwise, "sort-memo", "standings") is None
    keyed = TABLE.replace(
        "key=cmp_to_key(lambda a, b: compare(a, b, matches))", "key=lambda t: points(t, matches)"
    )
    assert rewrite(keyed, "sort-memo", "standings") is None


def test_sort_memo_in_place_sort_of_a_list() -> None:
    source = TABLE.replace(
        "    return sorted(teams, key=cmp_to_key(lambda a, b: compare(a, b, matches)))",
        "    teams.sort(key=cmp_to_key(lambda a, b: compare(a, b, matches)))\n    return teams",
    )
    text = rewrite(source, "sort-memo", "standings")
    assert text is not None
    teams = ["dee", "bo", "ann", "cy"]
    expected = helpers.run_module(source, "sort_memo_inplace_a")["standings"](list(teams), MATCHES)
    got = helpers.run_module(text, "sort_memo_inplace_b")["standings"](list(teams), MATCHES)
    assert got == expected
    owned = source + "\n\nclass Roster:\n    def sort(self, key):\n        return None\n"
    assert rewrite(owned, "sort-memo", "standings") is None  # `.sort` may be the repository's
