"""The plan node: a planning round, in turn or opened by a plan from the profile
(`agent.loop.opening`), its first plan coded with it (`agent.loop.rounds`)."""

from __future__ import annotations

import time

from langgraph.runtime import Runtime

from agent.exceptions import ModelError
from agent.loop import opening, planning, rounds
from agent.loop.ahead import room_to_plan
from agent.loop.state import Deps, State, stops_loop
from agent.protocols import Drafting
from storage.vocabulary import PlanStatus


@stops_loop
def plan(state: State, *, runtime: Runtime[Deps]) -> State:
    d, run_id = runtime.context, state["run_id"]
    plans = d.store.plans(run_id)
    if any(p.status == PlanStatus.PENDING for p in plans):
        return {}
    job = planning.prepare(d, run_id, state.get("round", 0) + 1)
    if opening.due(d, run_id, job) and (opened := opening.begin(d, run_id, job)) is not None:
        return opened
    if not d.lookahead or not isinstance(d.planner, Drafting):
        begun = time.monotonic()
        got = planning.ask(d, job)
        if not isinstance(got, ModelError):
            d.ahead.pace.planned(time.monotonic() - begun)
        return planning.write(d, run_id, job, got)
    # The first plan is coded from its draft while the critique runs; the rest are coded
    # beside the first measurement, as in turn (`agent.loop.pipeline`).
    room = room_to_plan(plans, d.store.candidates(run_id), d.config.budget, coding=0)
    return rounds.write(d, run_id, job, rounds.plan_and_code(d, run_id, job, min(room, 1)))
