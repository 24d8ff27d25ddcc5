"""group-by-call on a filtering loop: a function called once per key whose loop is `for item in
rows: if <item's key> == key and ...: <any body>` gets every key's items from one pass and
loops over its own. Before/after, and the cases where the precondition fails."""

from __future__ import annotations

import math

import pytest

from tests.models.rules_corpus import helpers

rewrite = helpers.rewrite

SOURCE = """
def subject_means(scores, pupil, limit):
    per = {}
    seen = 0
    for s in scores:
        if s[3] and s[0] == pupil and seen < limit:
            per.setdefault(s[1], []).append(100.0 * s[2] / s[3])
            seen += 1
            if s[2] < 0:
                break
    else:
        per["all"] = [float(seen)]
    return {k: round(sum(v) / len(v), 3) for k, v in sorted(per.items())}


def report(scores, pupils, limit):
    out = []
    for p in pupils:
        out.append(subject_means(scores, p, limit))
    return out
"""

ROWS = [
    ("x", "m", 1, 2),
    ("y", "m", 2, 4),
    ("x", "e", 3, 3),
    (1, "m", 4, 8),
    ("x", "m", 5, 0),
    (True, "e", 1, 1),
    (1.0, "m", -1, 2),
    ("x", "e", -2, 4),
    ("x", "m", 9, 9),
    (math.nan, "m", 1, 1),
]


def test_group_by_call_loops_over_each_keys_own_items() -> None:
    text = rewrite(SOURCE, "group-by-call", "report")
    assert (
        text is not None
        and "subject_means_from(None if _ran_code[0] else subject_means_items, scores, p, limit)"
        in text
    )
    before = helpers.run_module(SOURCE, "filter_before")["report"]
    after = helpers.run_module(text, "filter_after")["report"]
    keys = ["x", "y", "z", 1, True, 1.0, math.nan, "x"]
    for rows in (ROWS, ROWS[:4], [], [r for r in ROWS if r[3]]):
        for limit in (0, 2, 9):
            want = before(rows, keys, limit)
            assert after(rows, keys, limit) == want
            assert after(tuple(rows), keys, limit) == want
            assert after(iter(rows), keys, limit) == before(iter(rows), keys, limit)


def test_group_by_call_on_a_filtering_loop_raises_where_the_loop_did() -> None:
    """An item whose key cannot be read, a condition before the key's that raises, or a
    zero in a condition after it: every call raises as before (the pass gives up)."""
    text = rewrite(SOURCE, "group-by-call", "report")
    assert text is not None
    before = helpers.run_module(SOURCE, "filter_raise_before")["report"]
    after = helpers.run_module(text, "filter_raise_after")["report"]
    for rows in ([("x", "m", 1, 2), ()], [("x", "m", 1, None)], [("x", "m", 1, 2), ("y",)]):
        for keys in (["x"], ["y"], []):
            try:
                want: object = before(rows, keys, 3)
            except Exception as exc:  # the type is the behaviour
                want = type(exc)
            try:
                got: object = after(rows, keys, 3)
            except Exception as exc:
                got = type(exc)
            assert got == want


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    return {k:", "    print(s)\n    return {k:"),
        ("if s[3] and s[0] == pupil", "if s[3] > seen and s[0] == pupil"),
        ("if s[3] and s[0] == pupil", "if s[3] and s[0] == pupil.strip()"),
        ("for s in scores:", "for s, *_ in scores:"),
        ("            if s[2] < 0:\n                break\n", "        else:\n            pass\n"),
        ("    seen = 0\n", "    seen = 0\n    pupil = str(pupil)\n"),
        (
            "        if s[3] and s[0] == pupil",
            "        seen += 0\n        if s[3] and s[0] == pupil",
        ),
        ("if s[3] and s[0] == pupil", "if s[3] and s[0] * limit == pupil"),
    ],
    ids=[
        "target-read-after",
        "condition-before-reads-a-local",
        "key-expression-not-the-key",
        "tuple-target",
        "if-with-else",
        "key-rebound",
        "two-statements",
        "key-expression-reads-more",
    ],
)
def test_group_by_call_on_a_filtering_loop_refuses(old: str, new: str) -> None:
    source = SOURCE.replace(old, new, 1)
    assert source != SOURCE
    assert rewrite(source, "group-by-call", "report") is None


PICK = """
def pick(rows, key, lim):
    out = []
    for s in rows:
        if s[1] < lim and s[0] == key:
            out.append(s[1])
    return out


def report(rows, keys):
    return [pick(rows, k, 9) for k in keys]
"""


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "            out.append(s[1])\n",
            "            out.append(s[1])\n    else:\n        out.append(s[1])\n",
        ),
        (
            "            out.append(s[1])\n",
            "            out.append(s[1])\n            lim = s[1] + 10\n",
        ),
        ("if s[1] < lim and", "if (v := s[1]) < lim and"),
        ("    for s in rows:", "    for s in (rows if (n := 1) else rows):"),
    ],
    ids=[
        "target-read-in-else",
        "parameter-rebound-in-the-loop",
        "walrus-before-the-key",
        "walrus-in-the-collection",
    ],
)
def test_group_by_call_on_a_filtering_loop_refuses_what_the_pass_cannot_see(
    old: str, new: str
) -> None:
    """Guards three wrong answers a review found: the loop's `else` read the target (the
    collection's last item, not the key's), a part before the key read a parameter the body
    rebinds (the pass used its first value), and a `:=` before the key ran for every item in
    the original but only for the key's in the copy."""
    source = PICK.replace(old, new, 1)
    assert source != PICK
    assert rewrite(source, "group-by-call", "report") is None
    assert rewrite(PICK, "group-by-call", "report") is not None
