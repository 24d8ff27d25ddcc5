"""Statistics and verdicts on wall-time samples (research notes §7)."""

from __future__ import annotations

import math
import statistics
import warnings
from collections.abc import Sequence

import numpy as np
from scipy.stats import mannwhitneyu

from profilers.config import MeasureConfig
from profilers.results import WallTimeComparison
from profilers.verdicts import Verdict


def mann_whitney_less(a: Sequence[float], b: Sequence[float]) -> float:
    """One-sided Mann–Whitney U p-value for "values of `a` tend to be smaller than `b`"."""
    if len(a) < 2 or len(b) < 2:
        raise ValueError("Mann–Whitney needs at least two values per side")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = float(mannwhitneyu(list(a), list(b), alternative="less").pvalue)
    # All values tied: no evidence either way.
    return 1.0 if math.isnan(p) else p


def bootstrap_ratio_ci(
    base: Sequence[float], head: Sequence[float], n: int = 2000, seed: int = 0
) -> tuple[float, float]:
    """95 % percentile bootstrap CI of median(head) / median(base), resampling each side."""
    if not base or not head:
        raise ValueError("bootstrap needs values on both sides")
    if n < 1:
        raise ValueError("bootstrap needs at least one resample")
    rng = np.random.default_rng(seed)
    a = np.asarray(base, dtype=float)
    b = np.asarray(head, dtype=float)
    med_a = np.median(rng.choice(a, (n, a.size)), axis=1)
    med_b = np.median(rng.choice(b, (n, b.size)), axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = med_b / med_a
    lo, hi = np.quantile(ratios, [0.025, 0.975])
    return float(lo), float(hi)


def decide(
    base: Sequence[float],
    head: Sequence[float],
    config: MeasureConfig,
    *,
    alpha: float | None = None,
    slow_alpha: float | None = None,
) -> WallTimeComparison:
    """The verdict on paired samples: "faster" only if p < alpha AND ratio <= min_effect AND
    the CI's upper end is below 1; "slower" if ratio >= regression with p < regression_alpha.
    A sequential look passes the share of both levels it may spend (never more than the
    configured levels, so a faster verdict always has p < `config.alpha`)."""
    level = min(config.alpha, config.alpha if alpha is None else alpha)
    slow_level = min(
        config.regression_alpha, config.regression_alpha if slow_alpha is None else slow_alpha
    )
    if len(base) < 2 or len(head) < 2:
        raise ValueError("a verdict needs at least two samples per side")
    if any(not math.isfinite(v) or v <= 0 for v in (*base, *head)):
        raise ValueError("samples must be positive finite durations")
    base_med = statistics.median(base)
    head_med = statistics.median(head)
    ratio = head_med / base_med
    lo, hi = bootstrap_ratio_ci(base, head, config.bootstrap, config.bootstrap_seed)
    p_faster = mann_whitney_less(head, base)
    p_slower = mann_whitney_less(base, head)
    verdict = Verdict.SAME
    if p_faster < level and ratio <= config.min_effect and hi < 1.0:
        verdict = Verdict.FASTER
    elif ratio >= config.regression and p_slower < slow_level:
        verdict = Verdict.SLOWER
    return WallTimeComparison(
        base_s=tuple(base),
        head_s=tuple(head),
        base_median_s=base_med,
        head_median_s=head_med,
        ratio=ratio,
        ci_low=lo,
        ci_high=hi,
        p_value=p_faster,
        p_slower=p_slower,
        n_pairs=min(len(base), len(head)),
        verdict=verdict,
        alpha=level,
        alpha_spent=level,
    )


def explain(result: WallTimeComparison, config: MeasureConfig) -> str:
    """One line saying why the wall-time verdict is what it is."""
    looked = f", look {result.looks} (α {result.alpha:.2g})" if result.looks > 1 else ""
    core = (
        f"median ratio {result.ratio:.3f} (95% CI {result.ci_low:.3f}–{result.ci_high:.3f}), "
        f"p={result.p_value:.2g}, {result.n_pairs} pairs{looked}"
    )
    if result.verdict == Verdict.FASTER:
        return f"faster: {core}"
    if result.verdict == Verdict.SLOWER:
        return f"slower: {core}, p(slower)={result.p_slower:.2g}"
    missing = []
    if result.p_value >= result.alpha:
        missing.append(f"p ≥ {result.alpha:.2g}")
    if result.ratio > config.min_effect:
        missing.append(f"ratio > {config.min_effect:g}")
    if result.ci_high >= 1.0:
        missing.append("CI includes 1")
    return f"same: {core} ({', '.join(missing) or 'not significant'})"


def holm(p_values: Sequence[float], alpha: float) -> list[bool]:
    """Holm's step-down test: which of several hypotheses are rejected at family-wise level
    `alpha` (sorted p-values compared with alpha/m, alpha/(m-1), ..., stopping at the first
    that is not below)."""
    order = sorted(range(len(p_values)), key=lambda i: p_values[i])
    rejected = [False] * len(p_values)
    for rank, i in enumerate(order):
        if not p_values[i] < alpha / (len(p_values) - rank):
            break
        rejected[i] = True
    return rejected


def regressions(
    results: Sequence[WallTimeComparison], tolerance: float, alpha: float = 0.05
) -> list[bool]:
    """Which of several workloads got slower beyond `tolerance`: median ratio > 1 + tolerance
    AND significantly slower than the base even with the head's samples divided by
    1 + tolerance (one-sided Mann–Whitney, and never below the comparison's own p(slower)),
    at family-wise level `alpha` (Holm), so that checking many workloads does not multiply
    false alarms (docs/design.md §5). Slower at all is not evidence of slower beyond the
    tolerance: an untouched benchmark whose noise put its median past it was a "regression"."""
    if tolerance < 0:
        raise ValueError("tolerance must be >= 0")
    significant = holm([p_beyond(r, tolerance) for r in results], alpha)
    return [s and r.ratio > 1.0 + tolerance for s, r in zip(significant, results, strict=True)]


def p_beyond(result: WallTimeComparison, tolerance: float) -> float:
    """p that the head is slower than the base by more than `tolerance`: the head's samples
    divided by 1 + tolerance, one-sided Mann–Whitney, never below p(slower)."""
    shrunk = [h / (1.0 + tolerance) for h in result.head_s]
    return max(result.p_slower, mann_whitney_less(result.base_s, shrunk))


def p_within(result: WallTimeComparison, tolerance: float) -> float:
    """p that the head is slower than the base by less than `tolerance`: the head's samples
    divided by 1 + tolerance tend to be smaller than the base's (one-sided Mann–Whitney)."""
    shrunk = [h / (1.0 + tolerance) for h in result.head_s]
    return mann_whitney_less(shrunk, result.base_s)


def gains(results: Sequence[WallTimeComparison], config: MeasureConfig) -> list[bool]:
    """Which of several workloads are faster when any one of them may carry the gain: the
    "faster" rule of `decide`, with p below `alpha` family-wise (Holm)."""
    significant = holm([r.p_value for r in results], config.alpha)
    return [s and r.verdict == "faster" for s, r in zip(significant, results, strict=True)]
