"""The suite acceptance rule on scripted samples: per-workload verdicts from stats.py, every
target faster, nothing slower beyond the tolerance, broken or unmeasured workloads."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pytest

from profilers import sequential
from profilers.config import MeasureConfig
from profilers.results import WallTimeComparison
from profilers.stats import decide, holm, regressions
from profilers.suite import WorkloadResult, beyond, judge_suite, settles_slowdown
from profilers.suite_stage import rejected_already
from profilers.workload import Workload, WorkloadRole

CFG = MeasureConfig()
BASE = [1.0 + i * 0.001 for i in range(10)]


def scaled(factor: float) -> WallTimeComparison:
    """Head samples `factor` times the base's: every head sample on one side of every base
    sample once the factor is beyond the base's spread (so p is tiny)."""
    return decide(BASE, [b * factor for b in BASE], CFG)


def noisy(factor: float) -> WallTimeComparison:
    """A ratio near `factor` with samples so mixed that no one-sided test is significant."""
    base = [1.0, 1.3, 0.9, 1.2, 1.1, 0.8, 1.25, 0.95, 1.15, 1.05]
    return decide(base, [b * factor for b in reversed(base)], CFG)


def result(
    name: str, comparison: WallTimeComparison | None, role: WorkloadRole = "other", **kw: object
) -> WorkloadResult:
    return WorkloadResult(
        Workload("command", f"run {name}", name=name, role=role), comparison, **kw
    )  # type: ignore[arg-type]


def test_target_faster_and_nothing_slower_is_accepted() -> None:
    v = judge_suite([result("t", scaled(0.5), "target"), result("o", scaled(1.0))])
    assert v.accepted and v.verdict == "faster"
    assert [w.verdict for w in v.workloads] == ["faster", "same"]
    assert "t x0.500" in v.reason


def test_speed_one_slow_another_is_rejected() -> None:
    """Guards FormulaCode's finding: a gain on one workload must not hide a loss on another."""
    v = judge_suite([result("t", scaled(0.5), "target"), result("o", scaled(1.3))])
    assert not v.accepted and v.verdict == "slower"
    assert [w.verdict for w in v.workloads] == ["faster", "slower"]
    assert "o x1.300" in v.reason and "2%" in v.reason


def test_a_significant_slowdown_within_the_tolerance_is_allowed() -> None:
    slight = [result("t", scaled(0.5), "target"), result("o", scaled(1.05))]
    assert regressions([slight[1].comparison], 0.0) == [True]  # type: ignore[list-item]
    assert judge_suite(slight, tolerance=0.06).accepted
    assert not judge_suite(slight, tolerance=0.01).accepted


def test_a_noisy_median_past_the_tolerance_is_no_regression_without_evidence_beyond_it() -> None:
    """Regression: CI rejected the FormulaCode expert over its untouched `time_tokenize`,
    timed x1.339 [1.086, 1.424] at a 20 % tolerance. It was significantly slower than the
    base, but not significantly slower than the base plus 20 %: noise, not a regression."""
    c = noisy(1.3)
    assert c.ratio > 1.2 and c.p_slower < 0.05  # what the old rule called a regression
    assert regressions([c], 0.2) == [False]
    v = judge_suite([result("t", scaled(0.5), "target"), result("o", c)], tolerance=0.2)
    assert v.accepted and v.workloads[1].verdict == "same"
    assert regressions([scaled(1.3)], 0.2) == [True]  # the same ratio, measured clearly


def test_a_large_but_insignificant_slowdown_is_not_a_regression() -> None:
    c = noisy(1.08)
    assert c.ratio > 1.02 and c.p_slower >= 0.05
    v = judge_suite([result("t", scaled(0.5), "target"), result("o", c)])
    assert v.accepted and v.workloads[1].verdict == "same"


def test_a_slowdown_shown_but_not_beyond_the_tolerance_settles_nothing_early() -> None:
    """Guards a regression missed for want of pairs: a workload's sequential test stopped at
    "slower" before the test beyond the tolerance had the pairs to decide."""
    first, last = sequential.schedule(CFG)[0], sequential.schedule(CFG)[-1]
    settled = settles_slowdown(0.2, CFG, planned=2)
    mixed = [1.0, 1.3, 0.9, 1.2, 1.1, 0.8, 1.25, 0.95, 1.15, 1.05]
    shown = decide(mixed, [b * 1.3 for b in reversed(mixed)], CFG)
    assert shown.verdict == "slower" and shown.ci_high > 1.2
    assert not beyond(shown, 0.2, CFG, planned=2) and not settled(shown, last)
    clear = scaled(1.5)
    assert beyond(clear, 0.2, CFG, planned=2) and settled(clear, last)
    within = scaled(1.05)
    assert within.verdict == "slower" and not beyond(within, 0.2, CFG, planned=2)
    assert settled(within, first)
    # No slowdown found and a median within the tolerance: settled, as it was before (an
    # untouched workload must not run to the last look); past the tolerance it is not.
    same = decide(mixed, [b * 1.1 for b in reversed(mixed)], CFG)
    assert same.verdict == "same" and settled(same, first)
    assert not settled(decide(mixed, [b * 1.25 for b in reversed(mixed)], CFG), first)
    # An interim look tests at its share of the level: what the full level calls beyond
    # the tolerance, the first look may not (stopping early must not multiply false
    # "slower" verdicts).
    edge = decide(mixed, [b * 1.4 for b in reversed(mixed)], CFG)
    assert beyond(edge, 0.2, CFG, planned=2) and not settled(edge, first)


def test_p_slower_alone_never_ends_a_suite_measurement_early() -> None:
    """Guards the early stop that took p(slower) for a slowdown beyond the tolerance: it
    stopped measuring, and the verdict, testing beyond the tolerance, then said "same" and
    could accept with workloads never measured."""
    mixed = [1.0, 1.3, 0.9, 1.2, 1.1, 0.8, 1.25, 0.95, 1.15, 1.05]
    shown = decide(mixed, [b * 1.3 for b in reversed(mixed)], CFG)
    assert shown.p_slower < CFG.regression_alpha / 2 and shown.ratio > 1.2
    cascade = SimpleNamespace(tolerance=0.2, config=CFG)
    assert not rejected_already([result("o", shown)], 2, cascade)  # type: ignore[arg-type]
    assert rejected_already([result("o", scaled(1.5))], 2, cascade)  # type: ignore[arg-type]
    verdict = judge_suite([result("o", shown)], tolerance=0.2)
    assert [w.verdict for w in verdict.workloads] == ["same"]


def test_every_target_must_be_faster() -> None:
    v = judge_suite([result("a", scaled(0.5), "target"), result("b", scaled(1.0), "target")])
    assert not v.accepted and v.verdict == "same" and "target not faster: b" in v.reason


def test_without_targets_one_faster_suite_workload_is_the_gain() -> None:
    assert judge_suite([result("a", scaled(0.5)), result("b", scaled(1.0))]).accepted
    none = judge_suite([result("a", scaled(1.0)), result("b", scaled(1.0))])
    assert not none.accepted and none.reason == "no workload faster (2 measured)"


def test_a_faster_holdout_is_no_gain_but_a_slower_one_rejects() -> None:
    only = judge_suite([result("h", scaled(0.5), "holdout"), result("o", scaled(1.0))])
    assert not only.accepted
    hurt = judge_suite([result("t", scaled(0.5), "target"), result("h", scaled(1.5), "holdout")])
    assert not hurt.accepted and hurt.verdict == "slower"


def test_a_workload_broken_on_head_rejects_whatever_the_rest() -> None:
    v = judge_suite(
        [
            result("t", scaled(0.5), "target"),
            result("o", None, status="broken", reason="crashed: boom"),
        ]
    )
    assert (v.accepted, v.verdict) == (False, "broken")
    assert v.reason == "o is broken on head: crashed: boom"


def test_a_benchmark_the_base_cannot_run_is_left_out_unless_it_is_a_target() -> None:
    skipped = result("o", None, status="error", reason="crashed: skipped by its setup")
    assert judge_suite([result("t", scaled(0.5), "target"), skipped]).accepted
    target = result("t", None, "target", status="error", reason="timeout: 600 s")
    v = judge_suite([target, result("o", scaled(0.5))])
    assert not v.accepted and "target t not measured" in v.reason


def test_track_values_are_reported_not_judged() -> None:
    track = Workload("asv", "m.track_x", root="b", metric="track", role="other")
    as_target = WorkloadResult(Workload("asv", "m.track_x", root="b", metric="track"), track=(1, 2))
    assert judge_suite([result("t", scaled(0.5), "target"), as_target]).accepted
    changed = WorkloadResult(track, track=(10.0, 12.0))
    v = judge_suite([result("t", scaled(0.5), "target"), changed])
    assert v.accepted
    row = v.workloads[1]
    assert (row.verdict, row.metric, row.ratio) == ("changed", "track", pytest.approx(1.2))
    same = judge_suite([WorkloadResult(track, track=(3.0, 3.0))]).workloads[0]
    assert same.verdict == "same"


def test_the_table_has_the_documented_fields() -> None:
    """Guards docs/design.md §3: each `workloads` entry has name, role, verdict, ratio, CI and p."""
    v = judge_suite([result("t", scaled(0.5), "target")])
    row = v.to_json()["workloads"][0]
    assert {"name", "role", "verdict", "ratio", "ci_low", "ci_high", "p_value"} <= set(row)
    assert row["name"] == "t" and row["role"] == "target" and row["ci_high"] < 1
    assert v.to_json()["accepted"] is True


def test_nothing_measured_is_not_accepted_and_bad_tolerance_is_refused() -> None:
    assert not judge_suite([]).accepted
    with pytest.raises(ValueError):
        judge_suite([], tolerance=1.5)
    with pytest.raises(ValueError):
        regressions([scaled(1.0)], -0.1)


def p_at(ratio: float, p_faster: float, p_slower: float) -> WallTimeComparison:
    """A comparison with chosen p-values (as `decide` would label it)."""
    c = scaled(ratio)
    faster = p_faster < CFG.alpha and ratio <= CFG.min_effect
    return dataclasses.replace(
        c, p_value=p_faster, p_slower=p_slower, verdict="faster" if faster else "same"
    )


def test_holm_steps_down_and_stops_at_the_first_kept_hypothesis() -> None:
    assert holm([0.01, 0.04, 0.03], 0.05) == [True, False, False]
    assert holm([0.001, 0.02, 0.04], 0.05) == [True, True, True]
    assert holm([], 0.05) == []


def test_one_marginal_slowdown_among_many_workloads_is_not_a_regression() -> None:
    """Guards against suites rejecting good candidates by chance: ten untouched workloads at
    p < 0.05 each would flag one about every third time without a correction."""
    others = [result(f"o{i}", p_at(1.0, 0.5, 0.5)) for i in range(9)]
    marginal = result("m", p_at(1.25, 0.99, 0.02))
    v = judge_suite([result("t", scaled(0.5), "target"), *others, marginal])
    assert v.accepted and v.workloads[-1].verdict == "same"
    alone = judge_suite([result("t", scaled(0.5), "target"), marginal])
    assert not alone.accepted and alone.workloads[-1].verdict == "slower"


def test_a_gain_picked_from_many_suite_workloads_must_survive_the_correction() -> None:
    """Guards against reporting a gain the data does not support: with no target, the best of
    many workloads is faster only if its p passes Holm's correction over all of them."""
    lucky = result("lucky", p_at(0.9, 0.005, 0.99))
    others = [result(f"o{i}", p_at(1.0, 0.5, 0.5)) for i in range(4)]
    v = judge_suite([lucky, *others])
    assert not v.accepted and v.workloads[0].verdict == "same"
    assert judge_suite([lucky]).accepted
    target = judge_suite([result("t", p_at(0.9, 0.005, 0.99), "target"), *others])
    assert target.accepted  # every target is tested on its own: no family to correct for
