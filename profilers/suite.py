"""Per-workload verdicts over several workloads, and the rule that accepts a candidate.

Each workload's verdict comes from `profilers/stats.py`:
- faster: `stats.decide`'s "faster" (one-sided Mann–Whitney p < alpha AND median ratio <=
  min_effect AND the CI of the ratio below 1); for the non-target workloads, any one of which
  may carry the gain, p must also pass Holm's correction over them (`stats.gains`);
- slower: median ratio > 1 + tolerance AND p(slower) < regression_alpha after Holm's
  correction over every timed workload (`stats.regressions`). Without the correction, ten
  untouched benchmarks at p < 0.05 each would reject a good candidate about every third time
  (one of ten untouched fixture benchmarks came out "x1.25 slower" uncorrected on this noisy
  machine);
- same: neither; broken: the head failed to run it; error: the base could not run it (left out);
- track benchmarks compare the value they return: same or changed (reported, never judged: a
  tracked value may legitimately change). peakmem benchmarks are judged like times (peak bytes,
  lower is better).

A candidate is accepted when no workload is broken, no workload of any role is slower, and
its gain is shown: every target is faster, or, with no target (a suite alone), at least one
"other" workload is faster. Holdouts only guard against regressions, they never provide the
gain.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from profilers.config import MeasureConfig
from profilers.results import WallTimeComparison, WorkloadVerdict
from profilers.sequential import Look, SlowdownSettled
from profilers.stats import gains, p_beyond, p_within, regressions
from profilers.verdicts import Verdict
from profilers.workload import Workload

DEFAULT_TOLERANCE = 0.02
WorkloadStatus = Literal["ok", "broken", "error"]
WorkloadVerdictName = Literal["faster", "slower", "same", "broken", "error", "changed"]


@dataclass(frozen=True)
class WorkloadResult:
    """What measuring one workload on base and head gave."""

    workload: Workload
    comparison: WallTimeComparison | None = None
    """metric time: seconds per sample; peakmem: peak RSS bytes per run (same statistics)."""
    track: tuple[float, float] | None = None
    """metric track: (base value, head value)."""
    status: WorkloadStatus = "ok"
    reason: str = ""


@dataclass(frozen=True)
class SuiteVerdict:
    accepted: bool
    verdict: Literal["faster", "slower", "same", "broken"]
    reason: str
    """One line saying why."""
    workloads: tuple[WorkloadVerdict, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "accepted": self.accepted,
            "verdict": self.verdict,
            "reason": self.reason,
            "workloads": [w.to_json() for w in self.workloads],
        }


def _row(result: WorkloadResult, faster: bool, slower: bool) -> WorkloadVerdict:
    w = result.workload

    def row(verdict: WorkloadVerdictName, reason: str, **numbers: Any) -> WorkloadVerdict:
        return WorkloadVerdict(w.label, w.role, w.metric, verdict, reason=reason, **numbers)

    if result.status == "broken":
        return row("broken", result.reason)
    if result.status == "error":
        return row("error", result.reason)
    if result.track is not None:
        base, head = result.track
        same = math.isclose(base, head, rel_tol=1e-9, abs_tol=1e-12)
        why = f"tracked value {base:g} -> {head:g}"
        ratio = head / base if base else None
        return row("same" if same else "changed", why, ratio=ratio, base=(base,), head=(head,))
    c = result.comparison
    if c is None:
        return row("error", result.reason or "not measured")
    verdict: WorkloadVerdictName = "faster" if faster else "slower" if slower else "same"
    why = (
        f"ratio {c.ratio:.3f} (95% CI {c.ci_low:.3f}-{c.ci_high:.3f}), {c.n_pairs} pairs, "
        f"p(faster)={c.p_value:.2g}, p(slower)={c.p_slower:.2g}"
    )
    numbers = {"ci_low": c.ci_low, "ci_high": c.ci_high, "p_value": c.p_value}
    samples = {"base": c.base_s, "head": c.head_s}
    return row(verdict, why, ratio=c.ratio, p_slower=c.p_slower, **numbers, **samples)


def workload_verdicts(
    results: Sequence[WorkloadResult], tolerance: float, config: MeasureConfig
) -> tuple[WorkloadVerdict, ...]:
    """Every workload's verdict (module docstring): slower by `stats.regressions` over all
    timed workloads; faster by `decide` for targets and by `stats.gains` over the others."""
    timed = {
        i: r.comparison
        for i, r in enumerate(results)
        if r.status == "ok" and r.track is None and r.comparison is not None
    }
    slower = dict(
        zip(
            timed,
            regressions(list(timed.values()), tolerance, config.regression_alpha),
            strict=True,
        )
    )
    pool = [i for i in timed if results[i].workload.role != "target"]
    faster = dict(zip(pool, gains([timed[i] for i in pool], config), strict=True))
    faster.update({i: c.verdict == "faster" for i, c in timed.items() if i not in faster})
    return tuple(_row(r, faster.get(i, False), slower.get(i, False)) for i, r in enumerate(results))


def beyond(
    r: WallTimeComparison,
    tolerance: float,
    config: MeasureConfig,
    planned: int,
    share: float = 1.0,
) -> bool:
    """Slower beyond `tolerance` by the test `stats.regressions` applies, at Bonferroni's
    level over `planned` workloads (so Holm's finds it too), times `share`. p(slower) alone is
    no evidence: a head slower by less than the tolerance is not rejected."""
    return r.ratio > 1 + tolerance and p_beyond(r, tolerance) < _level(config, planned, share)


def _level(config: MeasureConfig, planned: int, share: float) -> float:
    """The regression level, Bonferroni over `planned` workloads, times `share`."""
    return config.regression_alpha / max(planned, 1) * share


def settles_slowdown(tolerance: float, config: MeasureConfig, planned: int) -> SlowdownSettled:
    """When a workload that looks slower has had pairs enough for the suite's verdict: it is
    shown slower `beyond` the tolerance, or shown slower by less than it, each at Bonferroni's
    level over `planned` workloads times the look's share of the spending; or its test found
    no slowdown at all ("futile", not "slower") and its median is within the tolerance, which
    settled it before too. Until then its sequential test takes more pairs. Stopping at an
    interim look adds at most the level once more to the final verdict's: a slowdown just at
    the tolerance is called slower at most twice as often; a regression is never missed for
    it."""

    def settled(r: WallTimeComparison, look: Look) -> bool:
        share = look.slow_alpha / config.regression_alpha if config.regression_alpha else 1.0
        if r.verdict != Verdict.SLOWER and r.ratio <= 1 + tolerance:
            return True
        within = p_within(r, tolerance) < _level(config, planned, share)
        return within or beyond(r, tolerance, config, planned, share)

    return settled


def _names(rows: Sequence[WorkloadVerdict], limit: int = 3) -> str:
    shown = [f"{r.name} x{r.ratio:.3f}" if r.ratio is not None else r.name for r in rows]
    more = len(shown) - limit
    return ", ".join(shown[:limit]) + (f" and {more} more" if more > 0 else "")


def _decide(
    rows: tuple[WorkloadVerdict, ...], tolerance: float
) -> tuple[bool, Literal["faster", "slower", "same", "broken"], str]:
    broken = [r for r in rows if r.verdict == "broken"]
    if broken:
        return False, "broken", f"{broken[0].name} is broken on head: {broken[0].reason}"
    slower = [r for r in rows if r.verdict == "slower"]
    if slower:
        return False, "slower", f"slower beyond {tolerance:.0%}: {_names(slower)}"
    targets = [r for r in rows if r.role == "target" and r.metric != "track"]
    unmeasured = [r for r in targets if r.verdict == "error"]
    if unmeasured:
        return False, "same", f"target {unmeasured[0].name} not measured: {unmeasured[0].reason}"
    if targets:
        lagging = [r for r in targets if r.verdict != "faster"]
        if lagging:
            return False, "same", f"target not faster: {_names(lagging)}"
        gains = targets
    else:
        gains = [r for r in rows if r.role == "other" and r.verdict == "faster"]
        if not gains:
            return False, "same", f"no workload faster ({len(rows)} measured)"
    return True, "faster", f"faster: {_names(gains)}; none slower beyond {tolerance:.0%}"


def judge_suite(
    results: Sequence[WorkloadResult],
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    config: MeasureConfig | None = None,
) -> SuiteVerdict:
    """Accept or reject a candidate from its per-workload results (module docstring)."""
    if not 0 <= tolerance < 1:
        raise ValueError("regress tolerance must be in [0, 1)")
    cfg = config or MeasureConfig()
    rows = workload_verdicts(results, tolerance, cfg)
    if not rows:
        return SuiteVerdict(False, "same", "no workloads measured", rows)
    accepted, verdict, reason = _decide(rows, tolerance)
    return SuiteVerdict(accepted, verdict, reason, rows)
