"""Dominance respects confidence intervals: overlap decides nothing."""

from __future__ import annotations

from agent.loop.pareto import Point, dominates, front, outruns, workload_intervals


def test_clearly_faster_dominates() -> None:
    a = Point(1, 0.60, 0.58, 0.62, instructions=0.7, memory=1.0)
    b = Point(2, 0.90, 0.88, 0.92, instructions=0.9, memory=1.0)
    assert dominates(a, b)
    assert not dominates(b, a)
    assert [p.id for p in front([a, b])] == [1]


def test_overlapping_intervals_do_not_dominate() -> None:
    a = Point(1, 0.80, 0.70, 0.90)
    b = Point(2, 0.85, 0.75, 0.95)
    assert not dominates(a, b) and not dominates(b, a)
    assert {p.id for p in front([a, b])} == {1, 2}


def test_a_trade_off_keeps_both() -> None:
    fast_fat = Point(1, 0.50, 0.48, 0.52, memory=2.0)
    slow_lean = Point(2, 0.90, 0.88, 0.92, memory=0.5)
    assert {p.id for p in front([fast_fat, slow_lean])} == {1, 2}


def test_instruction_noise_under_tolerance_is_no_difference() -> None:
    a = Point(1, 0.80, 0.70, 0.90, instructions=0.800)
    b = Point(2, 0.80, 0.70, 0.90, instructions=0.805)
    assert not dominates(a, b)
    assert [p.id for p in front([b, a])] == [1, 2]


def test_with_several_workloads_the_front_spans_them() -> None:
    """Guards issue 15: faster on one benchmark and slower on another dominates neither,
    whatever the headline ratios say; held-out rows are no objective."""
    a = Point(1, 0.5, 0.45, 0.55, workloads={"w1": (0.45, 0.55), "w2": (1.2, 1.3)})
    b = Point(2, 0.9, 0.85, 0.95, workloads={"w1": (0.85, 0.95), "w2": (0.95, 1.05)})
    assert not dominates(a, b) and not dominates(b, a)
    c = Point(3, 0.9, 0.85, 0.95, workloads={"w1": (0.85, 0.95), "w2": (1.25, 1.35)})
    assert dominates(b, c) and {p.id for p in front([a, b, c])} == {1, 2}
    rows = [
        {"name": "w1", "role": "other", "metric": "time", "ci_low": 0.4, "ci_high": 0.5},
        {"name": "h", "role": "holdout", "metric": "time", "ci_low": 2.0, "ci_high": 2.1},
        {"name": "t", "role": "other", "metric": "track", "ci_low": None, "ci_high": None},
    ]
    assert workload_intervals(rows) == {"w1": (0.4, 0.5)}


def test_a_head_is_outrun_when_the_gap_is_clear_though_the_intervals_touch() -> None:
    """Guards the trust checks' cost on a head that cannot be delivered: x0.395 [0.303,
    0.446] against x0.584 [0.420, 0.713] (the quickstart's first and third candidates) is
    clear (z 2.4) although the intervals overlap; a close pair, a worse memory, or a
    suite's overlapping workload is not."""
    checked = Point(1, 0.395, 0.303, 0.446)
    head = Point(3, 0.584, 0.420, 0.713)
    assert outruns(checked, head) and not dominates(checked, head)
    assert not outruns(head, checked)
    assert not outruns(checked, Point(4, 0.45, 0.35, 0.55))
    lean = Point(5, 0.584, 0.420, 0.713, memory=0.5)
    assert not outruns(Point(1, 0.395, 0.303, 0.446, memory=1.0), lean)
    suite_a = Point(6, 0.4, 0.3, 0.45, workloads={"w": (0.3, 0.45)})
    suite_b = Point(7, 0.6, 0.42, 0.7, workloads={"w": (0.42, 0.7)})
    assert not outruns(suite_a, suite_b)
    assert not outruns(checked, Point(8, 0.6, 0.0, 0.7))  # no usable interval: nothing said
