"""sorted-shadow: a growing list sorted again in a loop keeps a sorted twin (bisect.insort
at each append) and `sorted(xs)` copies it. Before/after, equal-but-distinct elements, and
refusals."""

from __future__ import annotations

import textwrap

import pytest

from tests.models.rules_corpus import helpers

MEDIANS = """
def medians(rows):
    seen = []
    out = []
    for r in rows:
        seen.append(len(r))
        ordered = sorted(seen)
        out.append(ordered[len(ordered) // 2])
    return out
"""


def test_a_growing_list_keeps_a_sorted_twin() -> None:
    text = helpers.rewrite(MEDIANS, "sorted-shadow", "medians")
    assert text is not None
    assert "\nimport bisect\n" in text
    assert helpers.body_of(text, "medians") == textwrap.dedent(
        """\
        def medians(rows):
            seen = []
            seen_sorted = []
            out = []
            for r in rows:
                seen.append(len(r))
                bisect.insort(seen_sorted, seen[-1])
                ordered = seen_sorted[:]
                out.append(ordered[len(ordered) // 2])
            return out
        """
    )
    before = helpers.run_module(MEDIANS, "shadow_a")["medians"]
    after = helpers.run_module(text, "shadow_b")["medians"]
    rows = ["abc", "", "a", "abcd", "ab", "abc", "a"]
    assert after(rows) == before(rows) == [3, 3, 1, 3, 2, 3, 2]


TYPED = """
def snapshots(values: list[int]) -> list[list[int]]:
    seen: list[int] = []
    out = []
    for v in values:
        seen.append(v)
        out.append(sorted(seen))
    return out
"""


def test_equal_but_distinct_elements_keep_the_order_a_stable_sort_gives() -> None:
    """Guards the tie order: True == 1, and sorted() keeps them in the order appended."""
    text = helpers.rewrite(TYPED, "sorted-shadow", "snapshots")
    assert text is not None
    before = helpers.run_module(TYPED, "shadow_typed_a")["snapshots"]
    after = helpers.run_module(text, "shadow_typed_b")["snapshots"]
    values = [1, True, 0, False, 1, True, -2]
    expected = before(values)
    got = after(values)
    assert got == expected
    assert [[type(x) for x in snap] for snap in got] == [
        [type(x) for x in snap] for snap in expected
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("        seen.append(len(r))\n", "        seen.append(r)\n"),
        ("sorted(seen)", "sorted(seen, reverse=True)"),
        ("sorted(seen)", "sorted(seen, key=abs)"),
        ("        seen.append(len(r))\n", "        seen.append(len(r))\n        seen.pop(0)\n"),
        ("        seen.append(len(r))\n", "        seen.insert(0, len(r))\n"),
        ("        seen.append(len(r))\n", "        seen.append(len(r))\n        keep(seen)\n"),
        ("    return out\n", "    return out, seen\n"),
        ("    seen = []\n", "    seen = [0]\n"),
        ("    seen = []\n", "    seen = []\n    sorted = list\n"),
        ("        seen.append(len(r))\n", "        seen.append(len(r)); n = 1\n"),
        ("        ordered = sorted(seen)\n", "        ordered = sorted(seen)\n        seen = []\n"),
    ],
    ids=[
        "unknown-element-type",
        "reverse",
        "key",
        "another-change",
        "insert",
        "escapes-to-a-call",
        "escapes-in-a-tuple",
        "not-bound-to-empty",
        "sorted-shadowed",
        "append-shares-its-line",
        "rebound",
    ],
)
def test_refusals(old: str, new: str) -> None:
    source = MEDIANS.replace(old, new, 1)
    assert source != MEDIANS
    compile(source, "mod.py", "exec")
    assert helpers.rewrite(source, "sorted-shadow", "medians") is None


def test_no_sort_in_a_loop_nothing_to_gain() -> None:
    source = MEDIANS.replace(
        "        ordered = sorted(seen)\n", "        ordered = seen\n"
    ).replace("    return out\n", "    return out, sorted(seen)[0]\n")
    assert helpers.rewrite(source, "sorted-shadow", "medians") is None
