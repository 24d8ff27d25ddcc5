"""Sequential wall-time testing: look at the pairs a few times, stop as soon as the answer is clear.

A group-sequential design with alpha spending. Pairs are taken up to `config.pairs`, then up
to each further look, at most `config.max_pairs` (`config.looks` looks in all). The "faster"
level `alpha` is spent over the looks by the power family alpha * t**rho (t = pairs so far /
`max_pairs`; Kim and DeMets), and so is the "slower" level `regression_alpha`: look k may
reject at alpha_k = spent(t_k) - spent(t_k-1). Whatever the looks see, the chance that any
of them calls an unchanged head faster is at most the sum of the alpha_k, which is `alpha`
(a union bound: no independence assumed), so stopping early costs no false positives.

At each look the verdict is `stats.decide` at that look's levels: "faster" needs p < alpha_k
(so p < alpha), median ratio <= `min_effect` and the 95 % bootstrap CI below 1, exactly the
rule of a fixed-size test. The test stops at a look when
- "win": the verdict is faster;
- "loss": the verdict is slower;
- "futile": no win is within reach: the CI's lower end is above `min_effect` and p is at
  least `gray_zone` (stopping to accept "same" never raises the false-positive rate);
- "last": the look at `max_pairs`, whatever it says;
- "outrun": the caller's `give_up` says a candidate already checked is clearly faster than
  this head looks (it can at best be dominated), which ends the test as "same" and, like
  "futile", never raises the false-positive rate.

A caller that judges slowdowns by another rule (a suite: slower only beyond a tolerance)
passes `slowdown_settled`: a head that looks slower (ratio above 1) at a "loss" or "futile"
stop takes more pairs until that rule is settled or the last look is reached.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from profilers.config import MeasureConfig
from profilers.results import WallTimeComparison
from profilers.stats import decide
from profilers.verdicts import Verdict


@dataclass(frozen=True)
class Look:
    """One interim analysis."""

    pairs: int
    alpha: float
    """The "faster" level spent at this look."""
    slow_alpha: float
    """The "slower" level spent at this look."""
    spent: float
    """The "faster" level spent by this look and every earlier one."""
    last: bool


def sizes(config: MeasureConfig) -> list[int]:
    """Pairs at each look: `pairs` first, `max_pairs` last, evenly spaced between."""
    first = max(2, config.pairs)
    end = max(first, config.max_pairs)
    k = max(1, config.looks)
    if k == 1 or first == end:
        return [end] if k == 1 else [first]
    return sorted({round(first + (end - first) * i / (k - 1)) for i in range(k)})


def schedule(config: MeasureConfig) -> tuple[Look, ...]:
    """The looks of one comparison and the levels each may reject at."""
    ns = sizes(config)
    looks: list[Look] = []
    before = 0.0
    for n in ns:
        share = (n / ns[-1]) ** config.spending
        step = share - before
        looks.append(
            Look(
                pairs=n,
                alpha=config.alpha * step,
                slow_alpha=config.regression_alpha * step,
                spent=config.alpha * share,
                last=n == ns[-1],
            )
        )
        before = share
    return tuple(looks)


def stop_reason(result: WallTimeComparison, look: Look, config: MeasureConfig) -> str:
    """Why the test stops at `look` ("win", "loss", "futile", "last"), or "" to go on."""
    if result.verdict == Verdict.FASTER:
        return "win"
    if result.verdict == Verdict.SLOWER:
        return "loss"
    if look.last:
        return "last"
    if result.ci_low > config.min_effect and result.p_value >= config.gray_zone:
        return "futile"
    return ""


def judge(
    base: Sequence[float], head: Sequence[float], look: Look, config: MeasureConfig
) -> tuple[WallTimeComparison, str]:
    """The verdict at `look` on the pairs so far, and why the test stops there ("" to go on)."""
    result = decide(base, head, config, alpha=look.alpha, slow_alpha=look.slow_alpha)
    return result, stop_reason(result, look, config)


Samples = tuple[Sequence[float], Sequence[float]]
"""(base samples, head samples) taken so far, pair by pair."""


OUTRUN_STOP = "outrun"
GiveUp = Callable[[WallTimeComparison], str]
"""At a look that decides nothing: why the head is not worth more pairs, or ""."""


SlowdownSettled = Callable[[WallTimeComparison, Look], bool]
"""At a look that would stop a head that looks slower: whether the caller's own rule for
slowdowns is settled there. A suite judges a workload slower only beyond a tolerance; six
pairs that show a 1.8x slowdown can be too few to show it beyond 1.2x, and the regression
then ended as "same" (the CI run of 3a77f89)."""


def run(
    take_to: Callable[[int, int], Samples],
    config: MeasureConfig,
    say: Callable[[str], None] = lambda _msg: None,
    give_up: GiveUp | None = None,
    slowdown_settled: SlowdownSettled | None = None,
) -> WallTimeComparison:
    """Take pairs look by look (`take_to(n, max_n)` returns every pair so far once there are
    `n`) until a look stops the test; the result records the looks taken, the alpha they
    spent and why the test stopped."""
    looks = schedule(config)
    for k, look in enumerate(looks, start=1):
        base, head = take_to(look.pairs, looks[-1].pairs)
        result, why = judge(base, head, look, config)
        unsettled = (
            why in ("loss", "futile")
            and slowdown_settled is not None
            and not look.last
            and result.ratio > 1.0
            and not slowdown_settled(result, look)
        )
        if unsettled:
            say(f"  timing: look {k}: ratio {result.ratio:.3f}, slower but not settled; more pairs")
            continue
        if not why and give_up is not None and result.verdict == Verdict.SAME:
            why = OUTRUN_STOP if give_up(result) else ""
        if why:
            return replace(result, looks=k, alpha_spent=look.spent, stopped=why)
        say(
            f"  timing: look {k} at {look.pairs} pairs: ratio {result.ratio:.3f} "
            f"[{result.ci_low:.3f}, {result.ci_high:.3f}], p={result.p_value:.2g}; more pairs"
        )
    raise AssertionError("the last look always stops")  # pragma: no cover
