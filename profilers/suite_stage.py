"""The cascade's last stage: every selected workload judged together (issue 15), then the
held-out workloads (issue 12).

It runs only when the cascade has `others`, after the single-workload stages have measured
the primary workload (`c.workload`: the first target, or, for a suite alone, one of its
benchmarks). The other selected workloads are measured one at a time
(`suite_measure.measure_suite`) and the candidate is judged by `suite.judge_suite`: every
target faster, no workload significantly slower beyond the tolerance. A candidate that
passes is then measured on the held-out workloads: slower on one makes it `overfit`, failing
on one makes it `broken`.

Measuring stops early once the verdict cannot change: a target that is not faster, a workload
broken on head, or one slower beyond the tolerance even under Bonferroni's correction over all
the workloads planned (Holm's, which judges, then rejects it too). The table then lists the
workloads measured so far.

Held-out workloads are never named in a reason: a candidate's reason goes back to the
planner as the outcome of its plan. The reason counts them; the check's evidence names them
for the people reading `show`, the report and the PR.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from profilers.results import Check, Measurement, WallTimeComparison
from profilers.suite import (
    SuiteVerdict,
    WorkloadResult,
    beyond,
    judge_suite,
    settles_slowdown,
    workload_verdicts,
)
from profilers.suite_measure import measure_suite
from profilers.verdicts import Rejection, Verdict
from profilers.workload import Workload

if TYPE_CHECKING:
    from profilers.evaluate import Cascade


def _shown(result: WorkloadResult) -> str:
    c = result.comparison
    if result.status != "ok" or c is None:
        return f"{result.status} {result.reason}".strip()
    return f"ratio {c.ratio:.3f} [{c.ci_low:.3f}, {c.ci_high:.3f}]"


def _headline(results: Sequence[WorkloadResult], suite: SuiteVerdict) -> WallTimeComparison | None:
    """The comparison a candidate's runtime ratio shows: its best gain when accepted, its
    worst regression when slower, else the primary workload's."""
    verdicts = {row.name: row.verdict for row in suite.workloads}
    timed = [
        r
        for r in results
        if r.comparison is not None and r.workload.metric == "time" and r.status == "ok"
    ]
    if suite.accepted:
        gains = [r for r in timed if verdicts.get(r.workload.label) == "faster"]
        targets = [r for r in gains if r.workload.role == "target"]
        pool = targets or gains
        return min(pool, key=lambda r: r.comparison.ratio).comparison if pool else None  # type: ignore[union-attr]
    if suite.verdict == "slower":
        worse = [r for r in timed if verdicts.get(r.workload.label) == "slower"]
        return max(worse, key=lambda r: r.comparison.ratio).comparison if worse else None  # type: ignore[union-attr]
    return timed[0].comparison if timed else None


def _holdouts(c: Cascade, holdouts: Sequence[Workload]) -> Measurement | None:
    c.say(f"holdout: measuring {len(holdouts)} held-out workload(s)")
    timed = sum(w.metric != "track" for w in holdouts)
    settled = settles_slowdown(c.tolerance, c.config, timed)
    results = measure_suite(
        c.base, c.head, holdouts, c.config, stop_when_broken=False, slowdown_settled=settled
    )
    rows = workload_verdicts(results, c.tolerance, c.config)
    c.rows.extend(rows)
    evidence = {"workloads": [r.to_json() for r in rows]}
    n = len(rows)
    broken = [r for r in rows if r.verdict == "broken"]
    if broken:
        reason = f"fails on {len(broken)} of {n} held-out workload(s)"
        return c.reject(Check("holdout", False, reason, Rejection.BROKEN, evidence))
    slower = [r for r in rows if r.verdict == "slower"]
    if slower:
        worst = max(slower, key=lambda r: r.ratio or 0.0)
        reason = (
            f"slower on {len(slower)} of {n} held-out workload(s) (worst x{worst.ratio:.3f}, "
            f"95% CI {worst.ci_low:.3f}-{worst.ci_high:.3f}): faster on the workloads it was "
            "shown only"
        )
        return c.reject(Check("holdout", False, reason, Rejection.OVERFIT, evidence))
    unmeasured = sum(r.verdict == "error" for r in rows)
    reason = f"none of {n} held-out workload(s) slower beyond {c.tolerance:.0%}"
    if unmeasured:
        reason += f" ({unmeasured} could not run on the base)"
    c.checks.append(Check("holdout", True, reason, evidence=evidence))
    return None


def rejected_already(results: Sequence[WorkloadResult], planned: int, c: Cascade) -> bool:
    """Whether a workload is slower beyond the tolerance at family-wise level even with
    Bonferroni's correction over all `planned` timed workloads: Holm's correction, which
    judges the suite, then finds it slower too, whatever the workloads not yet measured say
    (so they need not be measured)."""
    return any(
        r.status == "ok"
        and r.comparison is not None
        and r.track is None
        and beyond(r.comparison, c.tolerance, c.config, planned)
        for r in results
    )


def planned_workloads(c: Cascade) -> int:
    """The timed workloads the suite's verdict judges together: the primary and every other
    one but track benchmarks and holdouts (Holm's family, and Bonferroni's bound over it)."""
    return 1 + sum(w.metric != "track" and w.role != "holdout" for w in c.others)


def _primary(c: Cascade, rest: list[Workload]) -> list[WorkloadResult]:
    """The primary workload's result from the walltime stage (measured with the rest when
    that stage did not run)."""
    if c.runtime is None:
        rest.insert(0, c.workload)
        return []
    return [WorkloadResult(c.workload, c.runtime)]


def workloads(c: Cascade) -> Measurement | None:
    """Judge the primary workload with the other selected ones, then the holdouts."""
    if not c.others:
        return None
    rest = [w for w in c.others if w.role != "holdout"]
    holdouts = [w for w in c.others if w.role == "holdout"]
    done = _primary(c, rest)
    if done and c.workload.role == "target" and c.runtime and c.runtime.verdict != Verdict.FASTER:
        c.rows.extend(workload_verdicts(done, c.tolerance, c.config))
        reason = "the other workloads were not measured: the target is not faster"
        c.checks.append(Check("workloads", None, reason))
        return None
    planned = planned_workloads(c)
    measured: list[WorkloadResult] = []
    if rest and not rejected_already(done, planned, c):
        c.say(f"workloads: measuring {len(rest)} more workload(s) one at a time")
        measured = measure_suite(
            c.base,
            c.head,
            rest,
            c.config,
            on_workload=lambda r: c.say(f"  {r.workload.label}: {_shown(r)}"),
            settled=lambda so_far: rejected_already(done + so_far, planned, c),
            slowdown_settled=settles_slowdown(c.tolerance, c.config, planned),
        )
    results = done + measured
    suite = judge_suite(results, tolerance=c.tolerance, config=c.config)
    c.rows.extend(suite.workloads)
    if suite.verdict == Verdict.BROKEN:
        return c.reject(Check("workloads", False, suite.reason, Rejection.BROKEN))
    c.runtime = _headline(results, suite) or c.runtime
    c.checks.append(Check("workloads", suite.accepted, suite.reason))
    if suite.accepted and holdouts:
        ended = _holdouts(c, holdouts)
        if ended is not None:
            return ended
    reason = "; ".join([suite.reason, *c.notes])
    return c.ended(Verdict(suite.verdict), "workloads", reason)
