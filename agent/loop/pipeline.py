"""Which model calls the evaluate node starts beside its measurement (`agent.loop.ahead`):
the coder's for the next pending plan, and, once no plan is left to code, the planner's for
the next round, followed at once by the coder's for that round's plans (as many as the
budget has room for, side by side), so the next candidates are coded by the time the loop
needs them."""

from __future__ import annotations

from dataclasses import dataclass

from agent.exceptions import LoopEnded, ModelError
from agent.loop import coding, planning, repair
from agent.loop.ahead import Call, next_plan, room_to_plan
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
    """A round planned ahead, and the edits of its new plans that were coded too."""

    plans: list[Plan] | ModelError
    coded: tuple[tuple[Plan, Edit], ...] = ()


def plan_ahead(d: Deps, run_id: str, round_: int) -> None:
    """Ask the planner for the next round while this candidate is measured, once no plan is
    left to code and the budget has room for more candidates than are coded or pending."""
    if d.ahead.busy("plan") or round_ >= d.config.max_rounds or not allowed(d, run_id):
        return
    plans, cands = d.store.plans(run_id), d.store.candidates(run_id)
    room = room_to_plan(plans, cands, d.config.budget, coding=d.ahead.busy("code"))
    if not room:
        return
    try:
        job = planning.prepare(d, run_id, round_ + 1)
    except LoopEnded:
        return  # the plan node meets the same stop in turn
    d.progress(f"planning round {round_ + 1} while the candidate is measured")
    d.ahead.start(
        "plan", lambda: plan_and_code(d, run_id, job, room), lambda got: write(d, run_id, job, got)
    )


def plan_and_code(d: Deps, run_id: str, job: planning.Round, room: int) -> Planned:
    """The planner's call, then the coder's for the first `room` plans the loop would code,
    side by side. A coder call that fails leaves its plan pending: the code node makes it
    again in turn."""
    got = planning.ask(d, job)
    if isinstance(got, ModelError):
        return Planned(got)
    tried = d.store.plans(run_id), d.store.candidates(run_id)
    fresh = [p for p in got if not planning.already_tried(p.title, job.parent_id, *tried)]
    rows = [as_row(p, job.parent_id) for p in fresh[:room]]
    calls = [coder_call(d, job, p) for p in rows]
    coded = []
    for p, call in zip(rows, calls, strict=True):
        try:
            coded.append((p, call.wait()))
        except Exception:
            continue
    return Planned(got, tuple(coded))


def coder_call(d: Deps, job: planning.Round, p: Plan) -> Call:
    return Call(lambda: coding.ask(d, code_job(job, -1, p)), "perfagent-code-ahead")


def code_job(job: planning.Round, plan_id: int, p: Plan) -> coding.Job:
    """What the coder is shown for a plan of a round planned ahead."""
    return coding.Job(plan_id, p, job.parent_id, job.request.parent_diff, dict(job.request.sources))


def as_row(p: Plan, parent_id: int | None) -> Plan:
    """The plan as the code node reads it back from the store."""
    row = planning.plan_row(p, parent_id)
    return Plan(row["title"], row["text"], row["source"], tuple(row["targets"]), row["data"])


def write(d: Deps, run_id: str, job: planning.Round, got: Planned) -> State:
    """The round's plans in the store, and each plan coded with it as a candidate (if it is
    still pending), in the order the code node would have coded them."""
    update = planning.write(d, run_id, job, got.plans)
    pending = [r for r in d.store.plans(run_id, status=PlanStatus.PENDING) if r.round == job.round]
    for p, edit in got.coded:
        row = next((r for r in pending if r.title == p.title), None)
        if row is not None:
            pending.remove(row)
            coding.record(d, run_id, code_job(job, row.id, p), edit)
    return update
