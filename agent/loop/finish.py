"""The finish node: re-measure the best candidates from scratch and accept what holds up."""

from __future__ import annotations

from langgraph.runtime import Runtime

from agent.loop.counts import contenders, count_front
from agent.loop.evaluation import measure_candidate, record_measurement
from agent.loop.pareto import front, outruns, point_of, points
from agent.loop.state import Deps, State
from profilers.errors import MeasurementError
from profilers.verdicts import Verdict
from sandbox.base import SandboxError
from storage.models import Candidate
from storage.vocabulary import IMPROVING, RunStatus, Status


def confirm(d: Deps, run_id: str, cand: Candidate) -> None:
    """Re-measure one winner (selection bias: the best of many comparisons looks better than
    it is); it is accepted only if the fresh verdict is faster too."""
    d.progress(f"confirming candidate {cand.id} from scratch")
    try:
        again = d.profiler.confirm(cand.diff, d.progress)
    except (SandboxError, MeasurementError) as exc:
        # Never accept what could not be confirmed.
        d.store.update_candidate(
            cand.id, status=Status.UNCONFIRMED, reason=f"re-measurement failed: {exc}"
        )
        d.progress(f"  candidate {cand.id}: not confirmed ({exc})")
        return
    record_measurement(d, run_id, cand.id, "confirm", again)
    confirmed = again.verdict == Verdict.FASTER and again.rejected is None
    status = Status.ACCEPTED if confirmed else Status.UNCONFIRMED
    if again.rejected is not None:
        status = Status(again.rejected.value)
    rt = again.runtime
    d.store.update_candidate(
        cand.id,
        status=status,
        confirmation={
            **(rt.to_json() if rt else {}),
            "verdict": again.verdict,
            "workloads": [w.to_json() for w in again.workloads],
            "checks": [c.to_json() for c in again.checks],
        },
        reason=cand.reason if confirmed else f"re-measurement said {again.verdict}: {again.reason}",
    )
    shown = f" (ratio {rt.ratio:.3f} [{rt.ci_low:.3f}, {rt.ci_high:.3f}])" if rt else ""
    d.progress(f"  candidate {cand.id}: {'confirmed' if confirmed else 'not confirmed'}{shown}")


def revive(d: Deps, run_id: str) -> None:
    """Check in full each dominated candidate that nothing still standing outruns (what
    outran it was turned away): its trust checks were deferred, so it may be delivered only
    once they pass. Best first; each is one more evaluation, at the finish."""
    dominated = d.store.candidates(run_id, status=(Status.DOMINATED,))
    for cand in sorted(dominated, key=lambda c: c.runtime_ratio or 1.0):
        standing = points(d.store.candidates(run_id, status=IMPROVING))
        if any(outruns(q, point_of(cand)) for q in standing):
            continue
        d.progress(f"checking candidate {cand.id} in full (what outran it was turned away)")
        measure_candidate(d, run_id, cand, outrun=None, finishing=True)


def finish(state: State, *, runtime: Runtime[Deps]) -> State:
    d, run_id = runtime.context, state["run_id"]
    # Up to `confirm_top` winners, the best contender first; when the confirmation turns one
    # away (not faster again), the candidates it dominated get their turn.
    for _attempt in range(2 * d.config.confirm_top):
        revive(d, run_id)
        count_front(d, run_id)
        if len(d.store.candidates(run_id, status=(Status.ACCEPTED,))) >= d.config.confirm_top:
            break
        todo = contenders(d, run_id)
        cand = d.store.candidate(todo[0].id) if todo else None
        if cand is None:
            break
        confirm(d, run_id, cand)
    accepted = d.store.candidates(run_id, status=(Status.ACCEPTED,))
    on_front = {p.id for p in front(points(accepted))}
    for c in accepted:
        d.store.update_candidate(c.id, on_front=c.id in on_front)
    best = min(
        accepted, key=lambda c: c.confirmation.get("ratio", c.runtime_ratio or 1.0), default=None
    )
    stop = state.get("stop", "")
    if best is not None:
        d.store.update_run(
            run_id, status=RunStatus.FINISHED, best_candidate_id=best.id, reason=stop
        )
    else:
        reason = stop or "nothing was faster"
        d.store.update_run(run_id, status=RunStatus.NO_IMPROVEMENT, reason=reason)
    return {}
