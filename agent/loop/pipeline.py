"""Which model calls the evaluate node starts beside its measurement (`agent.loop.ahead`):
the coder's for the pending plans (side by side, as many as the budget has room for), and,
once no plan is left to code (or earlier, when a round takes longer than measuring what is
in stock: `agent.loop.pace`), the planner's for the next round, followed at once by the
coder's for that round's plans (`agent.loop.rounds`), so the next candidates are coded by
the time the loop needs them."""

from __future__ import annotations

from agent.exceptions import LoopEnded
from agent.loop import coding, planning, repair, rounds
from agent.loop.ahead import next_plan, room_to_plan, stock
from agent.loop.selection import should_stop
from agent.loop.state import Deps
from agent.protocols import Edit


def allowed(d: Deps, run_id: str) -> bool:
    """Whether a model call may be made ahead: not when a stop rule or a repair is due (the
    loop would not make that call next)."""
    if not d.lookahead or repair.due(d, run_id) is not None:
        return False
    return not (d.config.patience and should_stop(d.store.candidates(run_id), d.config.patience))


def code_ahead(d: Deps, run_id: str) -> None:
    """Ask the coder for every pending plan the budget has room for while this candidate is
    measured, side by side: a slow model's edits are then ready together, not one per
    measurement."""
    if not allowed(d, run_id):
        return
    while (
        plan_id := next_plan(
            d.store.plans(run_id), d.store.candidates(run_id), d.config.budget, d.ahead.coding()
        )
    ) is not None:
        try:
            job = coding.prepare(d, run_id, plan_id)
        except LoopEnded:
            return  # the code node meets the same stop in turn
        if job is None:
            return
        d.progress(f"coding plan {plan_id} while the candidate is measured")
        start_coding(d, run_id, job)


def start_coding(d: Deps, run_id: str, job: coding.Job) -> None:
    """The coder's call for one plan, beside the measurement; its edit recorded in turn."""

    def record(edit: Edit) -> None:
        coding.record(d, run_id, job, edit)

    d.ahead.start(f"code {job.plan_id}", lambda: coding.ask(d, job), record)


def plan_ahead(d: Deps, run_id: str, round_: int) -> None:
    """Ask the planner for the next round while this candidate is measured, once no plan is
    left to code (or the stock would be measured before a round answers) and the budget has
    room for more candidates than are coded or pending."""
    if d.ahead.busy("plan") or round_ >= d.config.max_rounds or not allowed(d, run_id):
        return
    plans, cands = d.store.plans(run_id), d.store.candidates(run_id)
    early = d.ahead.pace.plan_early(stock(plans, cands))
    room = room_to_plan(plans, cands, d.config.budget, len(d.ahead.coding()), early)
    if not room:
        return
    try:
        job = planning.prepare(d, run_id, round_ + 1)
    except LoopEnded:
        return  # the plan node meets the same stop in turn
    d.progress(f"planning round {round_ + 1} while the candidate is measured")
    d.ahead.start(
        "plan",
        lambda: rounds.plan_and_code(d, run_id, job, room),
        lambda got: rounds.write(d, run_id, job, got),
    )
