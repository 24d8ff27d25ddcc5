"""The instruction counts of the front: under instructions = "auto" no verdict waits for
valgrind. A contender is counted at the finish (`count_front`), side by side with the others;
while the loop waits for a model (`count_early`); or beside its own trust checks, when the
profiler had a spare core (`set_aside`). An early count is kept aside until the finish."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import replace
from typing import Any

from agent.loop.pareto import Point, front, points
from agent.loop.state import Deps
from agent.protocols import InstructionComparison, Measurement
from profilers.errors import MeasurementError
from sandbox.base import SandboxError
from storage.models import Candidate
from storage.vocabulary import Status


def record_instructions(
    d: Deps, run_id: str, cid: int, phase: str, counts: InstructionComparison
) -> None:
    """Both sides' instruction count per hash seed, as trials."""
    for seed, base, head in counts.per_seed:
        d.store.add_trials(run_id, cid, phase, "instructions", "base", [base], {"seed": seed})
        d.store.add_trials(run_id, cid, phase, "instructions", "head", [head], {"seed": seed})


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


def set_aside(
    d: Deps, run_id: str, cand: Candidate, m: Measurement
) -> tuple[Measurement, dict[str, Any] | None]:
    """A count the profiler made beside the head's trust checks, recorded and kept aside for
    the finish (as `count_early` keeps one): the measurement without it, and it as stored."""
    if m.instructions is None or d.config.instructions != "auto":
        return m, None
    return replace(m, instructions=None), _recorded(d, run_id, cand, m.instructions, "")
