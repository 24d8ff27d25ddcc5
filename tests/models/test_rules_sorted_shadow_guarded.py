"""sorted-shadow-guarded: a growing list of values of unknown type sorted again in a loop (also
with reverse=True) keeps a bisect twin while every value is an int or a non-NaN float."""

from __future__ import annotations

import math

import pytest

from tests.models.rules_corpus import helpers

rewrite = helpers.rewrite

LEADERS = """
def leaders(events, k):
    seen = []
    out = []
    for _, amount in events:
        seen.append(amount)
        out.append(tuple(sorted(seen, reverse=True)[:k]))
    return out
"""

MEDIANS = """
def medians(values):
    seen = []
    out = []
    for v in values:
        seen.append(v)
        ordered = sorted(seen)
        out.append(ordered[len(ordered) // 2])
    return out
"""


def test_reverse_twin_before_after() -> None:
    text = rewrite(LEADERS, "sorted-shadow-guarded", "leaders")
    assert text is not None
    assert "bisect.insort_left(seen_sorted, seen[-1])" in text
    assert "(seen_sorted[::-1] if seen_sorted is not None else sorted(seen, reverse=True))" in text
    before = helpers.run_module(LEADERS, "gs_a")["leaders"]
    after = helpers.run_module(text, "gs_b")["leaders"]
    nan = math.nan
    for values in (
        [3, 1.0, 1, 2.5, -0.0, 0.0, 0, 7],
        [1, nan, 2],  # NaN: the twin is dropped, sorted runs again
        [True, 2, 1],  # a bool is not exactly an int: dropped
        [2, "a"],  # sorted raises TypeError, as before
        [],
    ):
        events = [("e", v) for v in values]
        try:
            expected = before(events, 3)
        except TypeError:
            with pytest.raises(TypeError):
                after(events, 3)
            continue
        got = after(events, 3)
        assert repr(got) == repr(expected)
        # the same objects, equal ones in the same order
        assert [[type(x) for x in row] for row in got] == [
            [type(x) for x in row] for row in expected
        ]


def test_forward_twin_unknown_values() -> None:
    text = rewrite(MEDIANS, "sorted-shadow-guarded", "medians")
    assert text is not None and "bisect.insort(seen_sorted, seen[-1])" in text
    before = helpers.run_module(MEDIANS, "gs_c")["medians"]
    after = helpers.run_module(text, "gs_d")["medians"]
    for values in ([5, 1.0, 1, 3, -0.0, 0], [2, 1, math.inf, -math.inf], ["b", "a"]):
        assert repr(after(values)) == repr(before(values))


@pytest.mark.parametrize(
    "source",
    [
        # both directions on one list
        LEADERS.replace("out.append(tuple(", "out.append(sorted(seen)[0:0] or tuple("),
        # a key function
        LEADERS.replace("reverse=True", "key=abs"),
        # reverse given as a variable
        LEADERS.replace("def leaders(events, k):", "def leaders(events, k, rev=True):").replace(
            "reverse=True", "reverse=rev"
        ),
        # the list escapes
        LEADERS.replace(
            "        seen.append(amount)\n", "        seen.append(amount)\n        keep(seen)\n"
        ),
        # changed other than by append
        LEADERS.replace("        seen.append(amount)\n", "        seen.insert(0, amount)\n"),
    ],
    ids=["both-directions", "key", "reverse-variable", "escapes", "insert"],
)
def test_refuses(source: str) -> None:
    assert rewrite(source, "sorted-shadow-guarded", "leaders") is None


def test_known_family_is_left_to_sorted_shadow() -> None:
    source = MEDIANS.replace("def medians(values):", "def medians(values: list[int]):")
    assert rewrite(source, "sorted-shadow-guarded", "medians") is None
    assert rewrite(source, "sorted-shadow", "medians") is not None


STATISTICS = """
import statistics
from statistics import median_low

def running(values):
    seen = []
    out = []
    for v in values:
        seen.append(v)
        out.append((statistics.median(seen), median_low(seen), statistics.median_high(seen)))
    return out
"""


def test_statistics_medians_take_the_twin() -> None:
    text = rewrite(STATISTICS, "sorted-shadow-guarded", "running")
    assert text is not None
    body = helpers.body_of(text, "running")
    assert "statistics.median(seen_sorted if seen_sorted is not None else seen)" in body
    assert "median_low(seen_sorted if seen_sorted is not None else seen)" in body
    before = helpers.run_module(STATISTICS, "stat_a")["running"]
    after = helpers.run_module(text, "stat_b")["running"]
    for values in (
        [3, 1.0, 2, 1, True, -0.0, 0.0, 7.5],  # equal values of several types, a bool
        [2.0, math.nan, 1.0, 3.0],  # NaN drops the twin
        [1, 2, "a", 3],  # a str: the median raises where it did
        [],
    ):
        try:
            want: object = before(list(values))
        except Exception as exc:
            want = type(exc)
        try:
            got: object = after(list(values))
        except Exception as exc:
            got = type(exc)
        assert repr(got) == repr(want), values


def test_a_median_of_something_else_is_not_served() -> None:
    source = STATISTICS.replace("statistics.median(seen)", "statistics.median(seen[:2])")
    text = rewrite(source, "sorted-shadow-guarded", "running")
    assert text is None or "statistics.median(seen[:2])" in text
