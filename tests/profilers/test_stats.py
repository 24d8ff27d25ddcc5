"""Statistics on synthetic samples from known distributions."""

from __future__ import annotations

import numpy as np
import pytest

from profilers.config import MeasureConfig
from profilers.stats import bootstrap_ratio_ci, decide, explain, mann_whitney_less


def lognormal(rng: np.random.Generator, n: int, median: float, cv: float = 0.03) -> list[float]:
    return list(median * np.exp(rng.normal(0.0, cv, n)))


def test_aa_comparisons_are_never_faster() -> None:
    """Guards against false positives: identical distributions are called faster at most at
    the rate alpha allows (1 %; 2 % of 200 trials leaves room for sampling), never more."""
    rng = np.random.default_rng(1)
    cfg = MeasureConfig()
    verdicts = [
        decide(lognormal(rng, 10, 1.0), lognormal(rng, 10, 1.0), cfg).verdict for _ in range(200)
    ]
    assert verdicts.count("faster") <= 4
    quiet = [
        decide(lognormal(rng, 10, 1.0, 0.01), lognormal(rng, 10, 1.0, 0.01), cfg).verdict
        for _ in range(200)
    ]
    assert quiet.count("faster") == 0


def test_ten_percent_shift_is_faster() -> None:
    rng = np.random.default_rng(2)
    cfg = MeasureConfig()
    hits = [
        decide(lognormal(rng, 10, 1.0), lognormal(rng, 10, 0.9), cfg).verdict for _ in range(50)
    ]
    assert hits.count("faster") >= 45


def test_ten_percent_slowdown_is_slower() -> None:
    rng = np.random.default_rng(3)
    result = decide(lognormal(rng, 10, 1.0), lognormal(rng, 10, 1.1), MeasureConfig())
    assert result.verdict == "slower"
    assert result.p_slower < 0.05


def test_ci_contains_true_ratio() -> None:
    """The bootstrap CI must cover the true ratio of medians most of the time."""
    rng = np.random.default_rng(4)
    covered = 0
    for _ in range(100):
        lo, hi = bootstrap_ratio_ci(lognormal(rng, 20, 2.0), lognormal(rng, 20, 1.6), 1000, seed=7)
        covered += lo <= 0.8 <= hi
    assert covered >= 85


def test_small_effect_below_threshold_is_same() -> None:
    """Guards the effect-size floor: a real but 1 % change is not reported as faster."""
    rng = np.random.default_rng(5)
    result = decide(
        lognormal(rng, 20, 1.0, 0.001), lognormal(rng, 20, 0.99, 0.001), MeasureConfig()
    )
    assert result.p_value < 0.01
    assert result.verdict == "same"
    assert "ratio >" in explain(result, MeasureConfig())


def test_mann_whitney_direction_and_ties() -> None:
    assert mann_whitney_less([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]) < 0.01
    assert mann_whitney_less([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]) > 0.99
    assert mann_whitney_less([1.0] * 5, [1.0] * 5) == pytest.approx(1.0, abs=0.5)


def test_bootstrap_is_reproducible_with_a_seed() -> None:
    a, b = [1.0, 1.1, 0.9, 1.05], [0.5, 0.55, 0.45, 0.52]
    assert bootstrap_ratio_ci(a, b, 500, seed=3) == bootstrap_ratio_ci(a, b, 500, seed=3)


@pytest.mark.parametrize(
    ("base", "head"),
    [([1.0], [1.0, 2.0]), ([1.0, -1.0], [1.0, 1.0]), ([1.0, float("nan")], [1.0, 1.0])],
)
def test_decide_rejects_bad_samples(base: list[float], head: list[float]) -> None:
    with pytest.raises(ValueError, match=r"(two samples|positive finite)"):
        decide(base, head, MeasureConfig())


def test_a_look_level_never_exceeds_alpha() -> None:
    """Guards against a sequential look judging at more than the configured alpha: a level
    above it is capped, a smaller one is what p is compared with."""
    base = [1.00, 1.01, 1.02, 1.03, 1.04, 0.93]
    head = [0.90, 0.91, 0.92, 0.93, 0.95, 0.94]  # p = 0.0043
    cfg = MeasureConfig()
    assert decide(base, head, cfg).verdict == "faster"
    assert decide(base, head, cfg, alpha=0.5).alpha == cfg.alpha
    strict = decide(base, head, cfg, alpha=0.003)
    assert strict.verdict == "same" and strict.alpha == 0.003
