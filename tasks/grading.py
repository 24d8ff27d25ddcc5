"""Each benchmark's own success metric, as its harness computes it (research/benchmarks.md).

GSO (`gso-bench/gso`, `harness/grading/metrics.py`, `constants.py`, `opt_at_k.py`):
    per test t: mean of its iteration times -> base_t, patch_t, commit_t
    opt_base   <=> mean_t(base_t) > mean_t(patch_t)  and  round(GM_t(base_t/patch_t), 1) >= 1.2
    opt_commit <=> opt_base  and  HM_t(commit_t/patch_t) > 0.95
    Opt@K = 100 * |instances with opt_commit in any of K attempts| / |instances|
SWE-Perf (`evaluation/utils.py`, `check_evaluation.py`):
    per test: IQR filter (k=1) on both sides, then delta = largest x (step 0.001) such that
    Mann-Whitney(base*(1-x) > head, one-sided) has p < 0.1; instance = mean delta over its
    efficiency tests (0 if any test is missing or failed); Performance = sum / |instances|
SWE-fficiency (`README.md`, `scripts/eval/get_report.py`):
    SR = (T_pre/T_post_model) / (T_pre/T_post_gold); a patch that fails to apply or breaks a
    covering test counts as speedup 1.0; score = harmonic mean of SR over all instances.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import mannwhitneyu

GSO_MIN_SPEEDUP = 1.2
"""`MIN_PROB_SPEEDUP`: geometric-mean speedup over base a patch must reach."""
GSO_OPT_THRESH = 0.95
"""`OPT_THRESH`: harmonic mean of expert_time / patch_time a patch must exceed."""
SWEPERF_P = 0.1
SWEPERF_STEP = 0.001


def mean(values: Sequence[float]) -> float:
    if not values:
        raise ValueError("mean of no values")
    return math.fsum(values) / len(values)


def geometric_mean(values: Sequence[float]) -> float:
    if not values or any(v <= 0 for v in values):
        raise ValueError("geometric mean needs positive values")
    return math.exp(math.fsum(math.log(v) for v in values) / len(values))


def harmonic_mean(values: Sequence[float]) -> float:
    if not values or any(v <= 0 for v in values):
        raise ValueError("harmonic mean needs positive values")
    return len(values) / math.fsum(1 / v for v in values)


# GSO ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GsoGrade:
    """One attempt's GSO verdict and the numbers behind it."""

    opt_base: bool
    opt_commit: bool | None
    """None when no expert times were measured (only `opt_base` can be judged)."""
    gm_speedup_base: float
    """GM over tests of base_t / patch_t."""
    hm_speedup_commit: float | None
    """HM over tests of commit_t / patch_t (the patch's speed relative to the expert's)."""
    base_mean: float
    patch_mean: float
    per_test_speedup: tuple[float, ...]


def gso_grade(
    base_times: Sequence[Sequence[float]],
    patch_times: Sequence[Sequence[float]],
    commit_times: Sequence[Sequence[float]] | None = None,
) -> GsoGrade:
    """GSO's `get_opt_status` over per-test iteration times (seconds, one list per test)."""
    if not base_times or len(base_times) != len(patch_times):
        raise ValueError("need the same, non-zero number of tests on both sides")
    base_t = [mean(t) for t in base_times]
    patch_t = [mean(t) for t in patch_times]
    speedups = [b / p for b, p in zip(base_t, patch_t, strict=True)]
    gm = geometric_mean(speedups)
    base_mean, patch_mean = mean(base_t), mean(patch_t)
    opt_base = base_mean > patch_mean and round(gm, 1) >= GSO_MIN_SPEEDUP
    hm: float | None = None
    opt_commit: bool | None = None
    if commit_times is not None:
        if len(commit_times) != len(base_times):
            raise ValueError("need expert times for every test")
        commit_t = [mean(t) for t in commit_times]
        hm = harmonic_mean([c / p for c, p in zip(commit_t, patch_t, strict=True)])
        opt_commit = opt_base and hm > GSO_OPT_THRESH
    return GsoGrade(opt_base, opt_commit, gm, hm, base_mean, patch_mean, tuple(speedups))


def opt_at_k(attempts: Mapping[str, Sequence[bool]], total: int | None = None) -> float:
    """GSO Opt@K in percent: an instance counts if any of its K attempts reached opt_commit.

    `total` is the benchmark's instance count (instances without attempts count as failures).
    """
    n = total if total is not None else len(attempts)
    if n <= 0:
        return 0.0
    solved = sum(1 for results in attempts.values() if any(results))
    return 100.0 * solved / n


# SWE-Perf -------------------------------------------------------------------------------------
def iqr_filter(values: Sequence[float], k: float = 1.0) -> list[float]:
    """Keep values within [Q1 - k*IQR, Q3 + k*IQR] (numpy's linear percentiles)."""
    if not values:
        return []
    data = np.asarray(values, dtype=float)
    q1, q3 = np.percentile(data, 25), np.percentile(data, 75)
    iqr = q3 - q1
    kept = data[(data >= q1 - k * iqr) & (data <= q3 + k * iqr)]
    return [float(v) for v in kept]


def sweperf_delta(
    head: Sequence[float],
    base: Sequence[float],
    p_threshold: float = SWEPERF_P,
    step: float = SWEPERF_STEP,
    max_increase: float = 1.0,
) -> float:
    """`find_max_significant_improvement`: the largest fractional runtime reduction x such that
    base*(1-x) is still significantly greater than head (one-sided Mann-Whitney, p < 0.1)."""
    a, b = np.asarray(head, dtype=float), np.asarray(base, dtype=float)
    if len(a) == 0 or len(b) == 0:
        return 0.0
    x, last = 0.0, 0.0
    while x <= max_increase:
        p = float(mannwhitneyu(b * (1 - x), a, alternative="greater").pvalue)
        if p >= p_threshold:
            break
        last = x
        x += step
    return last


def sweperf_instance(
    durations: Mapping[str, tuple[Sequence[float], Sequence[float]]],
    efficiency_tests: Sequence[str],
    all_passed: bool,
) -> float:
    """P_i: mean delta over the instance's efficiency tests, each (base, head) IQR-filtered;
    0 when any test is missing or any run did not pass."""
    if not all_passed or not efficiency_tests or any(t not in durations for t in efficiency_tests):
        return 0.0
    deltas = []
    for test in efficiency_tests:
        base, head = durations[test]
        deltas.append(sweperf_delta(iqr_filter(head), iqr_filter(base)))
    return mean(deltas)


def sweperf_performance(scores: Sequence[float], total: int | None = None) -> float:
    """SWE-Perf Performance: sum of P_i over the benchmark's instance count (a fraction)."""
    n = total if total is not None else len(scores)
    return math.fsum(scores) / n if n > 0 else 0.0


# SWE-fficiency --------------------------------------------------------------------------------
def swefficiency_sr(
    pre_s: float, post_s: float, gold_speedup: float, correct: bool = True
) -> float:
    """Speedup ratio of a patch to the expert's: (T_pre/T_post) / gold; wrong patches score
    speedup 1.0 (SR = 1 / gold)."""
    if gold_speedup <= 0:
        raise ValueError("gold speedup must be positive")
    model = pre_s / post_s if correct and post_s > 0 else 1.0
    return model / gold_speedup


def swefficiency_score(srs: Sequence[float]) -> float:
    """Harmonic mean of SR over all instances (every instance must be present, failed ones
    with their 1/gold floor)."""
    return harmonic_mean(srs) if srs else 0.0
