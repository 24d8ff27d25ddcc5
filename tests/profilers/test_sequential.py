"""The sequential wall-time test on scripted samples: where it looks, what it spends, when it stops."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pytest

from profilers import sequential
from profilers.config import MeasureConfig
from profilers.results import WallTimeComparison

CFG = MeasureConfig(bootstrap=500)


class Script:
    """Hands out scripted pairs; records how many were asked for."""

    def __init__(self, base: Sequence[float], head: Sequence[float]) -> None:
        self.base, self.head = list(base), list(head)
        self.taken = 0
        self.asked: list[tuple[int, int]] = []

    def __call__(self, n: int, limit: int) -> tuple[list[float], list[float]]:
        self.asked.append((n, limit))
        self.taken = max(self.taken, n)
        return self.base[:n], self.head[:n]


def noisy(rng: np.random.Generator, n: int, median: float, cv: float) -> list[float]:
    return list(median * np.exp(rng.normal(0.0, cv, n)))


def run(
    base: Sequence[float], head: Sequence[float], cfg: MeasureConfig = CFG
) -> tuple[Script, WallTimeComparison]:
    script = Script(base, head)
    return script, sequential.run(script, cfg)


def result_of(pair: tuple[Script, WallTimeComparison]) -> WallTimeComparison:
    return pair[1]


def test_looks_spend_exactly_alpha_and_no_look_more() -> None:
    """Guards against a design that spends more than alpha over its looks (each look at the
    full alpha would multiply false positives by the number of looks)."""
    looks = sequential.schedule(CFG)
    assert [lk.pairs for lk in looks] == [6, 11, 15, 20]
    assert sum(lk.alpha for lk in looks) == pytest.approx(CFG.alpha)
    assert sum(lk.slow_alpha for lk in looks) == pytest.approx(CFG.regression_alpha)
    assert all(0 < lk.alpha < CFG.alpha for lk in looks)
    assert looks[-1].spent == pytest.approx(CFG.alpha) and looks[-1].last
    assert [lk.last for lk in looks[:-1]] == [False, False, False]


def test_one_look_is_the_fixed_size_test() -> None:
    looks = sequential.schedule(replace(CFG, looks=1))
    assert [(lk.pairs, lk.alpha) for lk in looks] == [(20, CFG.alpha)]
    same_ends = sequential.schedule(replace(CFG, pairs=20, max_pairs=20))
    assert [(lk.pairs, lk.alpha) for lk in same_ends] == [(20, CFG.alpha)]


def test_a_clear_win_stops_at_the_first_look() -> None:
    base = [1.00, 1.01, 0.99, 1.02, 1.00, 0.98] * 4
    head = [0.90, 0.91, 0.89, 0.90, 0.92, 0.90] * 4
    script, r = run(base, head)
    assert (r.verdict, r.stopped, r.looks, r.n_pairs) == ("faster", "win", 1, 6)
    assert script.asked == [(6, 20)]
    assert r.p_value < r.alpha <= r.alpha_spent <= CFG.alpha
    assert r.ratio <= CFG.min_effect and r.ci_high < 1.0


def test_identical_sides_stop_early_as_same() -> None:
    """A/A: no win within reach once the CI sits above `min_effect`; no pairs wasted."""
    base = [1.00, 1.01, 0.99, 1.02, 1.00, 0.98] * 4
    head = [1.01, 0.99, 1.00, 1.00, 1.02, 0.99] * 4
    r = result_of(run(base, head))
    assert (r.verdict, r.stopped, r.n_pairs) == ("same", "futile", 6)


def test_a_clear_loss_stops_early_as_slower() -> None:
    base = [1.00, 1.01, 0.99, 1.02, 1.00, 0.98] * 4
    head = [1.20, 1.21, 1.19, 1.22, 1.20, 1.18] * 4
    r = result_of(run(base, head))
    assert (r.verdict, r.stopped, r.n_pairs) == ("slower", "loss", 6)


def test_a_slowdown_the_caller_does_not_settle_takes_more_pairs_until_the_last_look() -> None:
    """Guards the suite's missed regression: a benchmark 1.8x slower stopped as "slower"
    after six pairs, too few for the suite's test beyond its tolerance, which then judged it
    "same" and accepted the candidate. A slowdown the caller does not settle goes on."""
    base = [1.00, 1.01, 0.99, 1.02, 1.00, 0.98] * 4
    head = [1.20, 1.21, 1.19, 1.22, 1.20, 1.18] * 4
    seen: list[int] = []

    def settled(c: WallTimeComparison, look: sequential.Look) -> bool:
        seen.append(look.pairs)
        return c.n_pairs >= 11

    r = sequential.run(Script(base, head), CFG, slowdown_settled=settled)
    assert (r.verdict, r.stopped, r.n_pairs, seen) == ("slower", "loss", 11, [6, 11])
    never = sequential.run(Script(base, head), CFG, slowdown_settled=lambda _c, _k: False)
    assert (never.verdict, never.stopped, never.n_pairs) == ("slower", "loss", 20)


def test_an_unsettled_slowdown_that_turns_futile_still_goes_on() -> None:
    """Guards the review's case: after a loss at six pairs, noisier pairs made look 2 "same"
    and its CI's low end above `min_effect`, so the test stopped as "futile" with a head
    still 1.2x slower and nothing settled."""
    base = [1.00, 1.01, 0.99, 1.02, 1.00, 0.98] + [1.0, 1.6, 0.9, 1.5, 1.2] * 3
    head = [1.20, 1.21, 1.19, 1.22, 1.20, 1.18] + [1.5, 0.9, 1.6, 1.0, 1.2] * 3
    plain = sequential.run(Script(base, head), CFG)
    assert (plain.stopped, plain.n_pairs) == ("loss", 6)
    script = Script(base, head)
    r = sequential.run(script, CFG, slowdown_settled=lambda _c, _k: False)
    assert (r.stopped, r.n_pairs) == ("last", 20)
    assert [n for n, _ in script.asked] == [6, 11, 15, 20]
    faster = sequential.run(Script(head, base), CFG, slowdown_settled=lambda _c, _k: False)
    assert faster.stopped == "win" and faster.n_pairs == 6


def test_p_that_passes_a_fixed_test_waits_for_a_later_look() -> None:
    """Guards against judging an interim look at the full alpha: six pairs with two head
    samples above one base sample give p = 0.0043 < 0.01, but the first look may only spend
    0.003, so the test takes more pairs instead of calling it faster."""
    base = [1.00, 1.01, 1.02, 1.03, 1.04, 0.93] + [1.0] * 14
    head = [0.90, 0.91, 0.92, 0.93, 0.95, 0.94] + [0.9] * 14
    script, r = run(base, head)
    first = sequential.judge(base[:6], head[:6], sequential.schedule(CFG)[0], CFG)[0]
    assert first.p_value < CFG.alpha and first.verdict == "same"
    assert (r.verdict, r.stopped, r.looks) == ("faster", "win", 2)
    assert [n for n, _ in script.asked] == [6, 11]


def test_a_close_call_takes_every_pair_then_ends() -> None:
    rng = np.random.default_rng(7)
    base = noisy(rng, 20, 1.0, 0.05)
    head = noisy(rng, 20, 0.975, 0.05)
    script, r = run(base, head)
    assert script.taken == 20 and r.stopped == "last" and r.looks == 4
    assert r.alpha_spent == pytest.approx(CFG.alpha)


def test_aa_never_faster_and_wins_found_on_synthetic_noise() -> None:
    """Guards the two promises at the defaults on lognormal noise (CV 1 %): 0 false "faster"
    in 200 A/A comparisons, and a true 5 % speedup found in nearly all."""
    rng = np.random.default_rng(3)
    aa = [result_of(run(noisy(rng, 20, 1.0, 0.01), noisy(rng, 20, 1.0, 0.01))) for _ in range(200)]
    assert [r.verdict for r in aa].count("faster") == 0
    assert np.mean([r.n_pairs for r in aa]) < 10
    wins = [
        result_of(run(noisy(rng, 20, 1.0, 0.01), noisy(rng, 20, 0.95, 0.01))) for _ in range(50)
    ]
    assert [r.verdict for r in wins].count("faster") >= 48


def test_a_head_given_up_at_an_undecided_look_ends_same_and_a_win_is_never_given_up() -> None:
    """Guards pairs spent on a head a checked candidate clearly outruns: `give_up` is asked
    only at a look that decides nothing, ends the test there as "same" (never "faster"), and
    a look that finds the head faster stops as a win without asking."""
    rng = np.random.default_rng(7)
    base, head = noisy(rng, 20, 1.0, 0.3), noisy(rng, 20, 0.9, 0.3)
    asked: list[WallTimeComparison] = []

    def give_up(rt: WallTimeComparison) -> str:
        asked.append(rt)
        return "clearly slower than candidate 1"

    script = Script(base, head)
    cfg = replace(CFG, pairs=3, max_pairs=12, looks=3)
    result = sequential.run(script, cfg, give_up=give_up)
    assert result.stopped == "outrun" and result.verdict == "same" and result.n_pairs == 3
    assert script.taken == 3 and len(asked) == 1
    fast = Script([1.0] * 20, [0.3] * 20)
    won = sequential.run(fast, replace(CFG, pairs=6), give_up=give_up)
    assert won.stopped == "win" and len(asked) == 1
