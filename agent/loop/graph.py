"""The optimization loop as a LangGraph graph.

    baseline ─► select ─► plan ─► select ─► code ─► select ─► evaluate ─► select ─► … ─► finish
                              (select ─► repair ─► select ─► code: a failed candidate's fix)

`select` reads the store and routes; every other node does one step of work and writes its
result to the store. State holds ids and counters only.
"""

from __future__ import annotations

from typing import Any, Literal

from langgraph.graph import END, START, StateGraph

from agent.loop.baseline import baseline
from agent.loop.coding import code
from agent.loop.evaluation import evaluate
from agent.loop.finish import finish
from agent.loop.plan_step import plan
from agent.loop.repair import repair
from agent.loop.routing import select
from agent.loop.state import Deps, State, recorded_stop
from storage.vocabulary import Status

Route = Literal["plan", "code", "evaluate", "repair", "finish"]


def route(state: State) -> Route:
    return state.get("next", "plan")  # type: ignore[return-value]


def build() -> Any:
    graph = StateGraph(State, context_schema=Deps)
    for step in (baseline, plan, code, evaluate, repair, select, finish):
        graph.add_node(step.__name__, step)
    graph.add_edge(START, "baseline")
    graph.add_edge("baseline", "select")
    graph.add_conditional_edges("select", route, ["plan", "code", "evaluate", "repair", "finish"])
    for node in ("plan", "code", "evaluate", "repair"):
        graph.add_edge(node, "select")
    graph.add_edge("finish", END)
    return graph.compile()


GRAPH = build()


def run_loop(run_id: str, deps: Deps, round_: int = 0) -> State:
    """Run (or resume) one optimization run to its end; the store holds the outcome."""
    for cand in deps.store.candidates(run_id, status={Status.REVIEWING}):
        # The last process ended before the review was heard: measured (and reviewed) again.
        deps.store.update_candidate(cand.id, status=Status.CODED)
    config = {"recursion_limit": deps.config.recursion_limit}
    start: State = {"run_id": run_id, "round": round_}
    ended = recorded_stop(deps.store, run_id)
    if ended:  # stopped before it could finish: what is coded is measured, then it finishes
        start["ending"] = ended
    result: State = GRAPH.invoke(start, config=config, context=deps)
    return result
