"""Which model calls the evaluate node starts beside its measurement (`agent.loop.ahead`):
the coder's for the next pending plan, and, once no plan is left to code, the planner's for
the next round, followed on the same thread by the coder's for that round's first plan, so
the candidate after this one is coded by the time it is needed."""

from __future__ import annotations

from dataclasses import dataclass

from agent.exceptions import LoopEnded, ModelError
from agent.loop import coding, planning, repair
from agent.loop.ahead import next_plan, room_to_plan
from agent.loop.selection import should_stop
from agent.loop.state import Deps, State
from agent.protocols import Edit, Plan
from storage.vocabulary import PlanStatus


def allowed(d: Deps, run_id: str) -> bool:
    """Whether a model call may be made ahead: not when a stop rule or a repair is due (the
    loop would not make that call next)."""
    if not d.lookahead or repair.due(d, run_id) is not None:
        return False
    return not (d.config.patience and should_stop(d.store.candidates(run_id), d.config.patience))


def code_ahead(d: Deps, run_id: str) -> None:
    """Ask the coder for the next pending plan while this candidate is measured."""
    if d.ahead.busy("code") or not allowed(d, run_id):
        return
    plan_id = next_plan(d.store.plans(run_id), d.store.candidates(run_id), d.config.budget)
    if plan_id is None:
        return
    try:
        job = coding.prepare(d, run_id, plan_id)
    except LoopEnded:
        return  # the code node meets the same stop in turn
    if job is not None:
        d.progress(f"coding plan {plan_id} while the candidate is measured")
        d.ahead.start(
            "code", lambda: coding.ask(d, job), lambda edit: coding.record(d, run_id, job, edit)
        )


@dataclass(frozen=True)
class Planned:
    """A round planned ahead, and the edit of its first new plan when that was coded too."""

    plans: list[Plan] | ModelError
    first: Plan | None = None
    edit: Edit | None = None


def plan_ahead(d: Deps, run_id: str, round_: int) -> None:
    """Ask the planner for the next round while this candidate is measured, once no plan is
    left to code and the budget has room for more candidates than are coded or pending."""
    if d.ahead.busy("plan") or round_ >= d.config.max_rounds or not allowed(d, run_id):
        return
    plans, cands = d.store.plans(run_id), d.store.candidates(run_id)
    if not room_to_plan(plans, cands, d.config.budget, coding=d.ahead.busy("code")):
        return
    try:
        job = planning.prepare(d, run_id, round_ + 1)
    except LoopEnded:
        return  # the plan node meets the same stop in turn
    d.progress(f"planning round {round_ + 1} while the candidate is measured")
    d.ahead.start(
        "plan", lambda: plan_and_code(d, run_id, job), lambda got: write(d, run_id, job, got)
    )


def plan_and_code(d: Deps, run_id: str, job: planning.Round) -> Planned:
    """The planner's call, then the coder's for the first plan the loop would code. A failed
    coder call leaves that plan pending: the code node makes it again in turn."""
    got = planning.ask(d, job)
    if isinstance(got, ModelError):
        return Planned(got)
    tried = d.store.plans(run_id), d.store.candidates(run_id)
    fresh = [p for p in got if not planning.already_tried(p.title, job.parent_id, *tried)]
    if not fresh:
        return Planned(got)
    first = as_row(fresh[0], job.parent_id)
    code_job = coding.Job(
        -1, first, job.parent_id, job.request.parent_diff, dict(job.request.sources)
    )
    try:
        return Planned(got, first, coding.ask(d, code_job))
    except Exception:
        return Planned(got)


def as_row(p: Plan, parent_id: int | None) -> Plan:
    """The plan as the code node reads it back from the store."""
    row = planning.plan_row(p, parent_id)
    return Plan(row["title"], row["text"], row["source"], tuple(row["targets"]), row["data"])


def write(d: Deps, run_id: str, job: planning.Round, got: Planned) -> State:
    """The round's plans in the store, and the coded first plan as a candidate (if it is
    still the first pending plan of the round)."""
    update = planning.write(d, run_id, job, got.plans)
    if got.first is None or got.edit is None:
        return update
    rows = [
        r
        for r in d.store.plans(run_id, status=PlanStatus.PENDING)
        if r.round == job.round and r.title == got.first.title
    ]
    if rows:
        first = coding.Job(
            rows[0].id, got.first, job.parent_id, job.request.parent_diff, dict(job.request.sources)
        )
        coding.record(d, run_id, first, got.edit)
    return update
