"""The evaluate node: test and measure the next coded candidate against the baseline."""

from __future__ import annotations

import time
from typing import Any

from langgraph.runtime import Runtime

from agent.exceptions import BaselineBroken
from agent.loop import pipeline
from agent.loop.ahead import Review
from agent.loop.counts import EARLY, record_instructions, set_aside
from agent.loop.pareto import Point, outruns, points
from agent.loop.state import Deps, State
from agent.protocols import (
    OUTRUN,
    Measurement,
    MemoryComparison,
    Outrun,
    WallTimeComparison,
)
from profilers.errors import MeasurementError, WorkloadError
from profilers.results import fingerprint_json
from profilers.verdicts import Verdict
from sandbox.base import ProtectedPathError, SandboxError
from storage.models import Candidate
from storage.vocabulary import IMPROVING, WAITING, Status

WORKLOAD_METRICS = {"time": "walltime_s", "peakmem": "peak_rss_bytes", "track": "tracked"}
"""A workload's metric as the trials name what a sample is."""


def status_of(m: Measurement) -> Status:
    """The candidate status a measurement gives (before any confirmation)."""
    if m.rejected is not None:
        return Status(m.rejected.value)
    if m.stage == OUTRUN:
        return Status.DOMINATED
    if m.verdict == Verdict.BROKEN:
        return Status.TESTS_FAILED if m.stage == "tests" else Status.BROKEN
    return Status(m.verdict)


def record_measurement(d: Deps, run_id: str, cid: int, phase: str, m: Measurement) -> None:
    """Every raw value of a measurement, with the environment it came from; with several
    workloads, each workload's samples under its name."""
    env = fingerprint_json(m.runtime.env) if m.runtime else None
    if m.workloads:
        for w in m.workloads:
            metric = WORKLOAD_METRICS.get(w.metric, w.metric)
            for side, values in (("base", w.base), ("head", w.head)):
                d.store.add_trials(run_id, cid, phase, metric, side, values, env, workload=w.name)
    elif m.runtime:
        for side, values in (("base", m.runtime.base_s), ("head", m.runtime.head_s)):
            d.store.add_trials(run_id, cid, phase, "walltime_s", side, values, env)
    if m.instructions:
        record_instructions(d, run_id, cid, phase, m.instructions)
    if m.peak_memory:
        d.store.add_trials(run_id, cid, phase, "peak_rss_bytes", "base", [m.peak_memory.base_bytes])
        d.store.add_trials(run_id, cid, phase, "peak_rss_bytes", "head", [m.peak_memory.head_bytes])


def evaluate(state: State, *, runtime: Runtime[Deps]) -> State:
    d, run_id = runtime.context, state["run_id"]
    todo = d.store.candidates(run_id, status=WAITING)
    if not todo:
        return {}
    cand = min(todo, key=plan_order)
    d.store.update_candidate(cand.id, status=Status.EVALUATING)
    d.progress(f"evaluating candidate {cand.id}")
    if not state.get("ending"):
        pipeline.code_ahead(d, run_id)
        pipeline.plan_ahead(d, run_id, state.get("round", 0))
    measure_candidate(d, run_id, cand, outrun_by(d, run_id))
    return {}


def plan_order(cand: Candidate) -> tuple[bool, int, int]:
    """Of the candidates coded and waiting, the one whose plan was written first is measured
    first: plans are stored in the order they are ranked (the broad opening plan, then each
    round's by rank). Concurrent coder calls end in any order, and a winner measured early
    lets the rest be found dominated without their trust checks."""
    return (cand.plan_id is None, cand.plan_id or 0, cand.id)


def measure_candidate(
    d: Deps, run_id: str, cand: Candidate, outrun: Outrun | None, *, finishing: bool = False
) -> None:
    """Measure one candidate and write its verdict down (or hand a running review to
    `select`); `outrun` None checks a faster head in full whatever the front holds. While
    `finishing`, a review is waited for (no `select` is left to hear it)."""
    beside = bool(d.lookahead) and not finishing
    review = Review(d.reviewer, cand.diff, beside=beside, ended=d.ahead.ended)
    begun = time.monotonic()
    try:
        m = d.profiler.evaluate(
            cand.diff,
            d.progress,
            count_now=False,
            on_timed=review.start,
            outrun=outrun,
            count_beside=True,
        )
        d.ahead.pace.evaluated(time.monotonic() - begun)
        m, early = set_aside(d, run_id, cand, m)
        if (later := review.later(m)) is None:
            m = review.finish(m)
    except (WorkloadError, SandboxError, ProtectedPathError, MeasurementError) as exc:
        if isinstance(exc, WorkloadError) and exc.side == "base":
            d.ahead.settle()  # nothing writes to the store after the run has ended
            # The unedited code stopped working mid-run: no verdict can be trusted any more.
            raise BaselineBroken(
                f"the benchmark failed on the baseline while evaluating: {exc}"
            ) from None
        _failed(d, cand.id, exc)
        return
    except Exception:
        d.ahead.settle()  # an interrupt does not wait: the coder's thread is a daemon
        raise
    if later is not None:
        # The loop measures on; `select` writes the verdict down when the call ends, and
        # until then the candidate is neither on the front nor a parent (`Status.REVIEWING`).
        # Its trials are kept then too: a run that ends first measures it again on resume.
        _write(d, cand.id, m, Status.REVIEWING, early)
        d.progress(f"  candidate {cand.id}: faster ({_shown(m)}); the review is still running")

        def reviewed(answer: Measurement) -> None:
            final = review.merged(m, answer)
            record_measurement(d, run_id, cand.id, "evaluate", final)
            _write(d, cand.id, final, status_of(final), early)
            d.progress(f"  candidate {cand.id}: {final.verdict} after review ({_shown(final)})")

        d.ahead.adopt(f"review-{cand.id}", later, reviewed)
        return
    record_measurement(d, run_id, cand.id, "evaluate", m)
    status = status_of(m)
    _write(d, cand.id, m, status, early)
    said = status if status == Status.DOMINATED else m.verdict
    d.progress(f"  candidate {cand.id}: {said} ({_shown(m)})")


def outrun_by(d: Deps, run_id: str) -> Outrun:
    """The loop's view of the front for a head being timed: the reason a candidate already
    checked and faster clearly outruns it (`pareto.outruns`: runtime, and memory once
    measured; instructions are counted only at the finish, as for every front), or ""."""
    checked = [p for p in points(d.store.candidates(run_id, status=IMPROVING)) if not p.workloads]

    def outrun(rt: WallTimeComparison, memory: MemoryComparison | None) -> str:
        head = Point(
            id=-1,
            runtime=rt.ratio,
            ci_low=rt.ci_low,
            ci_high=rt.ci_high,
            memory=memory.ratio if memory else None,
        )
        for p in sorted(checked, key=lambda p: p.ci_high):
            if outruns(p, head):
                return (
                    f"clearly slower than candidate {p.id} (x{p.runtime:.3f} "
                    f"[{p.ci_low:.3f}, {p.ci_high:.3f}])"
                )
        return ""

    return outrun


def _shown(m: Measurement) -> str:
    rt = m.runtime
    return f"ratio {rt.ratio:.3f} [{rt.ci_low:.3f}, {rt.ci_high:.3f}]" if rt else m.reason


def _write(
    d: Deps, cid: int, m: Measurement, status: Status, early: dict[str, Any] | None = None
) -> None:
    """A measurement as the candidate's verdict; `early`, a count kept aside for the finish."""
    rt = m.runtime
    d.store.update_candidate(
        cid,
        status=status,
        verdict=m.verdict,
        reason=m.reason,
        tests_passed=m.tests_passed,
        equivalent=m.equivalent,
        runtime_ratio=rt.ratio if rt else None,
        ci_low=rt.ci_low if rt else None,
        ci_high=rt.ci_high if rt else None,
        p_value=rt.p_value if rt else None,
        instructions_ratio=m.instructions.ratio if m.instructions else None,
        memory_ratio=m.peak_memory.ratio if m.peak_memory else None,
        measurement={**m.to_json(), **({EARLY: early} if early else {})},
    )


def _failed(d: Deps, cid: int, exc: Exception) -> None:
    """A candidate whose measurement failed on its own side: broken, or an error."""
    if isinstance(exc, WorkloadError):
        d.store.update_candidate(cid, status=Status.BROKEN, reason=str(exc))
        return
    d.store.update_candidate(cid, status=Status.ERROR, reason=str(exc))
    d.progress(f"  candidate {cid}: error ({exc})")
