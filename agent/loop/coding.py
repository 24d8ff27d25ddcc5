"""The code node: the next pending plan becomes a candidate diff, or a recorded failure."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from langgraph.runtime import Runtime

from agent.loop import budgets
from agent.loop.ahead import first_pending
from agent.loop.state import Deps, State, stops_loop
from agent.protocols import CodeRequest, Edit, Plan, Repairer, RepairRequest
from sandbox.base import ProtectedPathError, SandboxError
from storage.vocabulary import WAITING, PlanStatus, Status


def normalized_hash(diff: str) -> str:
    """Hash of a diff ignoring hunk offsets and trailing blanks: the same edit twice is one."""
    lines = [
        line.rstrip()
        for line in diff.splitlines()
        if not line.startswith(("index ", "@@")) and line.strip() not in ("+", "-")
    ]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def edit_problem(edit: Edit, sources: dict[str, str]) -> str:
    """Why an edit cannot become a candidate, or "" when it can."""
    refused = sorted(set(edit.files) - set(sources))
    if edit.error:
        return edit.error
    if refused:
        return f"edit touches files outside the editable set: {', '.join(refused)}"
    return "" if edit.files else "the edit changes nothing"


@stops_loop
def code(state: State, *, runtime: Runtime[Deps]) -> State:
    d, run_id = runtime.context, state["run_id"]
    pending = d.store.plans(run_id, status=PlanStatus.PENDING)
    if not pending or d.store.candidates(run_id, status=WAITING):
        return {}
    cands = d.store.candidates(run_id)
    done = {c.plan_id for c in cands}
    for row in [p for p in pending if p.id in done]:
        # Its candidate was written and the run stopped before the plan was marked.
        d.store.update_plan(row.id, status=PlanStatus.CODED)
    first = first_pending(pending, cands)
    if first is None:
        return {}
    job = prepare(d, run_id, first.id)
    if job is not None:
        record(d, run_id, job, ask(d, job))
    return {}


@dataclass(frozen=True)
class Job:
    """One plan about to be coded, with what the coder is shown."""

    plan_id: int
    plan: Plan
    parent_id: int | None
    base_patch: str
    sources: dict[str, str]


def prepare(d: Deps, run_id: str, plan_id: int) -> Job | None:
    """What the coder needs for a pending plan (None: it is pending no more); raises
    BudgetExhausted when no model call may be made."""
    budgets.check(d, run_id)
    row = d.store.plan(plan_id)
    if row is None or row.status != PlanStatus.PENDING:
        return None
    parent = d.store.candidate(row.data["parent_id"]) if row.data.get("parent_id") else None
    base_patch = parent.diff if parent else ""
    the_plan = Plan(row.title, row.text, row.source, tuple(row.targets), row.data)
    sources = d.checkout.sources(base_patch)
    return Job(row.id, the_plan, parent.id if parent else None, base_patch, sources)


def ask(d: Deps, job: Job) -> Edit:
    """The coder's edit for the job: the model call, and nothing else (it may run on a thread
    of its own, beside a measurement: `agent.loop.ahead`)."""
    d.progress(f"coding: {job.plan.title}")
    if job.plan.data.get("repair_of") is not None and isinstance(d.coder, Repairer):
        failure = str(job.plan.data.get("failure") or "")
        request = RepairRequest(d.task, job.plan, job.sources, job.base_patch, failure)
        return d.coder.repair(request)
    return d.coder.code(CodeRequest(task=d.task, plan=job.plan, sources=job.sources))


def record(d: Deps, run_id: str, job: Job, edit: Edit) -> None:
    """The edit as a candidate diff, or a recorded failure; the plan is coded."""
    fields: dict[str, Any] = {
        "plan_id": job.plan_id,
        "model": getattr(d.coder, "name", ""),
        "parent_id": job.parent_id,
    }
    problem = edit_problem(edit, job.sources)
    if not problem:
        try:
            diff = d.checkout.diff(job.base_patch, edit.files)
        except (ProtectedPathError, SandboxError) as exc:
            problem = str(exc)
        else:
            problem = "" if diff.strip() else "empty diff"
    if problem:
        d.store.add_candidate(run_id, status=Status.EDIT_FAILED, reason=problem, **fields)
        d.progress(f"  edit failed: {problem.splitlines()[0]}")
    else:
        record_diff(d, run_id, diff, fields)
    d.store.update_plan(job.plan_id, status=PlanStatus.CODED)


def record_diff(d: Deps, run_id: str, diff: str, fields: dict[str, Any]) -> None:
    digest = normalized_hash(diff)
    twin = d.store.candidate_by_hash(run_id, digest)
    status, reason = Status.CODED, ""
    if twin is not None:
        status, reason = Status.DUPLICATE, f"same change as candidate {twin.id}"
        d.progress(f"  skipped: {reason}")
    d.store.add_candidate(
        run_id, status=status, reason=reason, diff=diff, diff_hash=digest, **fields
    )
