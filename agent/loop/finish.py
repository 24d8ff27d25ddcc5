"""The finish node: re-measure the best candidates from scratch and accept what holds up."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any

from langgraph.runtime import Runtime

from agent.loop.evaluation import measure_candidate, record_instructions, record_measurement
from agent.loop.pareto import Point, dominates, front, point_of, points
from agent.loop.state import Deps, State
from profilers.errors import MeasurementError
from profilers.results import InstructionComparison
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


def contenders(d: Deps, run_id: str) -> list[Point]:
    """The faster candidates on the front of those still in the running (faster or already
    accepted), best first: one an accepted candidate dominates is not worth confirming; one
    only a turned-away candidate dominated is, once that one has left the front."""
    cands = d.store.candidates(run_id, status=(Status.FASTER, Status.ACCEPTED))
    faster = {c.id for c in cands if c.status == Status.FASTER}
    return [p for p in front(points(cands)) if p.id in faster]


EARLY = "instructions_early"
"""Where a count made while the loop waited for a model is kept until the finish takes it:
set earlier, the ratio would change the front the loop chooses parents and stops by."""


def uncounted(d: Deps, run_id: str, early: bool = False) -> list[Candidate]:
    """The contenders with no instruction count yet (nor a note why they have none), best
    first; with `early`, those not counted early either."""
    found = []
    for point in contenders(d, run_id):
        cand = d.store.candidate(point.id)
        if cand is None or cand.instructions_ratio is not None:
            continue
        kept = cand.measurement or {}
        if "instructions_note" not in kept and not (early and EARLY in kept):
            found.append(cand)
    return found


def counts_at_once() -> int:
    """How many counts run side by side: one per usable core, at most `MOST_AT_ONCE`. An
    instruction count is deterministic, so counts beside each other change no number; each
    valgrind holds one core (and its memory)."""
    return max(1, min(MOST_AT_ONCE, len(os.sched_getaffinity(0))))


MOST_AT_ONCE = 4


def count_front(d: Deps, run_id: str) -> None:
    """Instruction counts for every contender, before any is confirmed: under
    instructions = "auto" the loop defers them to here, so no verdict waits for valgrind.
    The contenders are counted side by side (`counts_at_once`); a count changes only its own
    candidate's place, so none of them is counted in vain, and the front is looked at again
    once they are in. Idempotent: a candidate counted, or found not countable, is not
    counted again on resume, and one counted while the loop waited for a model
    (`count_early`) is not counted twice."""
    while batch := uncounted(d, run_id):
        with ThreadPoolExecutor(max_workers=counts_at_once()) as pool:
            counting = {}
            for cand in batch:
                early = (cand.measurement or {}).get(EARLY)
                if early:
                    _keep(d, cand, early)
                else:
                    counting[pool.submit(_counted, d, cand)] = cand
            for done in as_completed(counting):  # each kept as it ends: a kill loses none
                cand = counting[done]
                _keep(d, cand, _recorded(d, run_id, cand, *done.result()))


def _keep(d: Deps, cand: Candidate, got: dict[str, Any]) -> None:
    kept = dict(cand.measurement or {})
    kept.pop(EARLY, None)
    if "note" in got:
        d.store.update_candidate(cand.id, measurement={**kept, "instructions_note": got["note"]})
    else:
        d.store.update_candidate(
            cand.id, instructions_ratio=got["ratio"], measurement={**kept, "instructions": got}
        )


def count_early(d: Deps, run_id: str) -> bool:
    """Count a contender while the loop waits for a model (the machine would idle); kept
    aside for `count_front`. False when no contender is left to count."""
    todo = uncounted(d, run_id, early=True)
    if not todo:
        return False
    cand = todo[0]
    got = _recorded(d, run_id, cand, *_counted(d, cand, "on the front, while the model is asked"))
    d.store.update_candidate(cand.id, measurement={**(cand.measurement or {}), EARLY: got})
    return True


def _counted(
    d: Deps, cand: Candidate, why: str = "on the front"
) -> tuple[InstructionComparison | None, str]:
    """One candidate's instruction count, or None and why it has none (no store write: counts
    run on worker threads)."""
    d.progress(f"counting candidate {cand.id} ({why})")
    try:
        return d.profiler.count(cand.diff, d.progress)
    except (SandboxError, MeasurementError) as exc:
        return None, f"instruction counts skipped: {exc}"


def _recorded(
    d: Deps, run_id: str, cand: Candidate, comp: InstructionComparison | None, note: str
) -> dict[str, Any]:
    """A count as stored (`InstructionComparison.to_json`), its raw values recorded; or
    {"note": why it has none}."""
    if comp is None:
        d.progress(f"  candidate {cand.id}: {note}")
        return {"note": note}
    record_instructions(d, run_id, cand.id, "count", comp)
    d.progress(f"  candidate {cand.id}: {comp.ratio:.3f}x the base's instructions")
    return comp.to_json()


def revive(d: Deps, run_id: str) -> None:
    """Check in full each dominated candidate that nothing still standing dominates (what
    outran it was turned away): its trust checks were deferred, so it may be delivered only
    once they pass. Best first; each is one more evaluation, at the finish."""
    dominated = d.store.candidates(run_id, status=(Status.DOMINATED,))
    for cand in sorted(dominated, key=lambda c: c.runtime_ratio or 1.0):
        standing = points(d.store.candidates(run_id, status=IMPROVING))
        if any(dominates(q, point_of(cand)) for q in standing):
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
