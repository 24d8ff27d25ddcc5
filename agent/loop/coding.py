"""The code node: the next pending plan becomes a candidate diff, or a recorded failure."""

from __future__ import annotations

import hashlib
from typing import Any

from langgraph.runtime import Runtime

from agent.loop import budgets
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
    # A repair first: its failure is fresh, and it was owed before the plans waiting.
    row = next((p for p in pending if p.data.get("repair_of") is not None), pending[0])
    code_plan(d, run_id, row.id)
    return {}


def code_plan(d: Deps, run_id: str, plan_id: int) -> None:
    """Code one pending plan: a candidate diff, or a recorded failure (also run ahead of
    time, beside a measurement: `agent.loop.ahead`)."""
    budgets.check(d, run_id)
    row = d.store.plan(plan_id)
    if row is None or row.status != PlanStatus.PENDING:
        return
    the_plan = Plan(row.title, row.text, row.source, tuple(row.targets), row.data)
    parent = d.store.candidate(row.data["parent_id"]) if row.data.get("parent_id") else None
    base_patch = parent.diff if parent else ""
    sources = d.checkout.sources(base_patch)
    d.progress(f"coding: {row.title}")
    if row.data.get("repair_of") is not None and isinstance(d.coder, Repairer):
        failure = str(row.data.get("failure") or "")
        edit = d.coder.repair(RepairRequest(d.task, the_plan, sources, base_patch, failure))
    else:
        edit = d.coder.code(CodeRequest(task=d.task, plan=the_plan, sources=sources))
    fields: dict[str, Any] = {
        "plan_id": row.id,
        "model": getattr(d.coder, "name", ""),
        "parent_id": parent.id if parent else None,
    }
    problem = edit_problem(edit, sources)
    if not problem:
        try:
            diff = d.checkout.diff(base_patch, edit.files)
        except (ProtectedPathError, SandboxError) as exc:
            problem = str(exc)
        else:
            problem = "" if diff.strip() else "empty diff"
    if problem:
        d.store.add_candidate(run_id, status=Status.EDIT_FAILED, reason=problem, **fields)
        d.progress(f"  edit failed: {problem.splitlines()[0]}")
    else:
        record_diff(d, run_id, diff, fields)
    d.store.update_plan(row.id, status=PlanStatus.CODED)


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
