"""Each benchmark's metric against numbers computed by hand from its definition."""

from __future__ import annotations

import math

import pytest

from tasks import grading


def test_gso_opt_base_and_opt_commit_follow_the_two_thresholds() -> None:
    """Guards GSO's acceptance: GM vs base >= 1.2 AND HM(expert/patch) > 0.95."""
    base = [[2.0, 2.0], [4.0, 4.0]]  # per-test means 2 and 4
    patch = [[1.0, 1.0], [1.0, 1.0]]  # 1 and 1 -> speedups 2 and 4, GM sqrt(8)
    slow_expert = [[1.5], [0.5]]  # expert/patch 1.5 and 0.5 -> HM 2/(1/1.5 + 2) = 0.75
    g = grading.gso_grade(base, patch, slow_expert)
    assert g.gm_speedup_base == pytest.approx(math.sqrt(8))
    assert g.opt_base is True
    assert g.hm_speedup_commit == pytest.approx(0.75)
    assert g.opt_commit is False
    g = grading.gso_grade(base, patch, [[1.0], [1.0]])
    assert g.hm_speedup_commit == pytest.approx(1.0)
    assert g.opt_commit is True
    assert grading.gso_grade(base, patch).opt_commit is None


def test_gso_speedup_is_rounded_to_one_decimal_before_the_threshold() -> None:
    """Guards GSO's `round(gm, 1) >= 1.2`: 1.16x passes, 1.14x does not."""
    assert grading.gso_grade([[1.16]], [[1.0]]).opt_base is True
    assert grading.gso_grade([[1.14]], [[1.0]]).opt_base is False


def test_gso_needs_the_mean_time_to_drop_too() -> None:
    """A patch with GM >= 1.2 but a higher mean time (one big regression) is not opt_base."""
    g = grading.gso_grade([[1.0], [1.0], [10.0]], [[0.1], [0.1], [20.0]])
    assert g.gm_speedup_base == pytest.approx((10 * 10 * 0.5) ** (1 / 3))
    assert g.opt_base is False


def test_opt_at_k_counts_an_instance_solved_in_any_attempt_over_all_instances() -> None:
    attempts = {"a": [False, True], "b": [False, False], "c": [True]}
    assert grading.opt_at_k(attempts, total=4) == 50.0
    assert grading.opt_at_k(attempts) == pytest.approx(200 / 3)


def test_iqr_filter_with_k_1_drops_far_values() -> None:
    # q1 = 2, q3 = 4, IQR = 2 -> keep [0, 6]
    assert grading.iqr_filter([1, 2, 3, 4, 100]) == [1, 2, 3, 4]


def test_sweperf_delta_is_zero_when_even_full_separation_is_not_significant() -> None:
    """n = 2 per side: the exact one-sided p of complete separation is 1/6 >= 0.1."""
    assert grading.sweperf_delta([1.0, 2.0], [3.0, 4.0]) == 0.0


def test_sweperf_delta_is_the_largest_step_keeping_complete_separation() -> None:
    """n = 3 per side: only complete separation has p (1/20) < 0.1, so delta is the last
    0.001 step with min(base) * (1 - x) > max(head): 4 * (1 - x) > 2 -> x = 0.499."""
    assert grading.sweperf_delta([1.0, 1.5, 2.0], [4.0, 5.0, 6.0]) == pytest.approx(0.499, abs=1e-9)


def test_sweperf_instance_is_zero_when_a_test_failed_or_is_missing() -> None:
    durations = {"t1": ([4.0, 5.0, 6.0], [1.0, 1.5, 2.0])}
    assert grading.sweperf_instance(durations, ["t1"], True) == pytest.approx(0.499, abs=1e-9)
    assert grading.sweperf_instance(durations, ["t1"], False) == 0.0
    assert grading.sweperf_instance(durations, ["t1", "t2"], True) == 0.0
    assert grading.sweperf_performance([0.5, 0.0, 0.25], total=5) == pytest.approx(0.15)


def test_swefficiency_speedup_ratio_and_its_harmonic_mean() -> None:
    # pre 10 s, post 5 s -> 2x; the expert did 4x -> SR 0.5; a wrong patch counts 1x -> 0.25
    assert grading.swefficiency_sr(10.0, 5.0, 4.0) == pytest.approx(0.5)
    assert grading.swefficiency_sr(10.0, 5.0, 4.0, correct=False) == pytest.approx(0.25)
    # HM of 0.5, 0.25, 1.0 = 3 / (2 + 4 + 1)
    assert grading.swefficiency_score([0.5, 0.25, 1.0]) == pytest.approx(3 / 7)


def test_means_reject_values_they_cannot_average() -> None:
    with pytest.raises(ValueError):
        grading.geometric_mean([1.0, 0.0])
    with pytest.raises(ValueError):
        grading.harmonic_mean([])
    with pytest.raises(ValueError):
        grading.gso_grade([[1.0]], [[1.0], [2.0]])
