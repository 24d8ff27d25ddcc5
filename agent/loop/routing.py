"""The select node: decide what comes next from what the store holds."""

from __future__ import annotations

from langgraph.runtime import Runtime

from agent.exceptions import BudgetExhausted, LoopEnded
from agent.loop import budgets, repair
from agent.loop.selection import should_stop
from agent.loop.state import Deps, State
from storage.vocabulary import WAITING, PlanStatus


def select(state: State, *, runtime: Runtime[Deps]) -> State:
    d, run_id = runtime.context, state["run_id"]
    try:
        d.ahead.join()  # the plan coded beside the last measurement, if any
    except LoopEnded as exc:
        d.store.log(run_id, "stop", str(exc), reason=exc.reason)
        return {"next": "finish", "stop": f"{exc.reason}: {exc}"}
    budgets.save_wall(d, run_id)
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
        d.store.log(run_id, "stop", stop, reason="converged")
        return {"next": "finish", "stop": stop}
    if repair.due(d, run_id) is not None:
        return {"next": "repair"}
    if d.store.plans(run_id, status=PlanStatus.PENDING):
        return {"next": "code"}
    if state.get("round", 0) >= d.config.max_rounds:
        return {"next": "finish", "stop": f"converged: {d.config.max_rounds} planning rounds"}
    return {"next": "plan"}
