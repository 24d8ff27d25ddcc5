"""The select node: decide what comes next from what the store holds."""

from __future__ import annotations

from typing import cast

from langgraph.runtime import Runtime

from agent.exceptions import BudgetExhausted, LoopEnded
from agent.loop import budgets, repair
from agent.loop.counts import count_early
from agent.loop.selection import should_stop
from agent.loop.state import STOP, Deps, State
from storage.vocabulary import WAITING, PlanStatus


def select(state: State, *, runtime: Runtime[Deps]) -> State:
    d, run_id = runtime.context, state["run_id"]
    update: State = {}
    ending = state.get("ending", "")
    # Model calls made beside the last measurement (`agent.loop.ahead`): those that have
    # ended are written down first, without waiting; the rest are waited for one at a time,
    # only while nothing is left to measure (and no contender is left to count). A call that
    # ends the loop (a budget spent, a planner with nothing left) ends it once the candidates
    # already coded are measured.
    wait = False
    while True:
        try:
            update.update(cast(State, d.ahead.first() if wait else d.ahead.collect()))
        except LoopEnded as exc:
            d.store.log(run_id, STOP, str(exc), reason=exc.reason)
            ending = ending or f"{exc.reason}: {exc}"
        if not state.get("stop") and measure_next(d, run_id):
            budgets.save_wall(d, run_id)
            return {**update, "next": "evaluate", **({"ending": ending} if ending else {})}
        if not d.ahead.running:
            break
        wait = not count_early(d, run_id)  # the machine would idle while the model thinks
    budgets.save_wall(d, run_id)
    if ending:
        return {**update, "next": "finish", "stop": ending}
    return {**update, **route(d, run_id, {**state, **update})}


def measure_next(d: Deps, run_id: str) -> bool:
    """A coded candidate is waiting and the candidate budget lets it be measured."""
    if not d.store.candidates(run_id, status=WAITING):
        return False
    try:
        budgets.check_candidates(d, run_id)
    except BudgetExhausted:
        return False
    return True


def route(d: Deps, run_id: str, state: State) -> State:
    if state.get("stop"):
        return {"next": "finish"}
    try:
        budgets.check_candidates(d, run_id)
        if d.store.candidates(run_id, status=WAITING):
            return {"next": "evaluate"}  # already paid for: evaluate it before any stop rule
        budgets.check(d, run_id)
    except BudgetExhausted as exc:
        return {"next": "finish", "stop": f"{exc.reason}: {exc}"}
    patience = d.config.patience
    if patience and should_stop(d.store.candidates(run_id), patience):
        stop = f"converged: the last {patience} candidates added nothing to the front"
        d.store.log(run_id, STOP, stop, reason="converged")
        return {"next": "finish", "stop": stop}
    if repair.due(d, run_id) is not None:
        return {"next": "repair"}
    if d.store.plans(run_id, status=PlanStatus.PENDING):
        return {"next": "code"}
    if state.get("round", 0) >= d.config.max_rounds:
        return {"next": "finish", "stop": f"converged: {d.config.max_rounds} planning rounds"}
    return {"next": "plan"}
