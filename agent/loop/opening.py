"""The opening candidate: with a model that computes elsewhere, the first edit comes from a
plan the loop writes from the profile, so a candidate is measured while the planner's first
round is still thinking.

A round is a chain of model calls (observations, plans, then the coder's for a plan), so the
first candidate of a run waits for all of them; every later one is coded beside a
measurement (`agent.loop.ahead`). The opening plan needs no planner: it names the hottest
functions of the editable code and asks for them to be made faster for every input, as a
profile-guided optimizer would. It is coded ahead at once, the first round is planned ahead
beside it, and the loop measures its candidate as soon as the coder answers. It is one
candidate of the budget like any other (`RunConfig.opening`).
"""

from __future__ import annotations

from agent.loop import pipeline, planning, rounds
from agent.loop.ahead import room_to_plan
from agent.loop.state import Deps, State
from agent.protocols import Plan, PlanRequest

SOURCE = "profile"
"""The opening plan's source, where a planner's plans name their model."""
HOTTEST = 3
"""Hot functions the opening plan names at most."""


def opening_plan(request: PlanRequest) -> Plan | None:
    """A plan to speed up the hottest functions of the editable files (None: the profile
    names none)."""
    hot = [h for h in request.profile.hotspots if h.file in request.sources][:HOTTEST]
    if not hot:
        return None
    named = ", ".join(f"{h.function} ({h.file}:{h.line}, {h.total_share:.0%})" for h in hot)
    text = (
        f"The profile of the workload puts these functions on the stack in the share of its "
        f"samples shown: {named}. Make them faster for every input, not only the benchmark's: "
        "remove repeated work, and use data structures and algorithms suited to how they are "
        "called. Keep their results, what they do to their arguments and the exceptions they "
        "raise exactly as they are, and change nothing else."
    )
    title = f"speed up the hottest code: {', '.join(h.function for h in hot)}"
    targets = tuple(f"{h.file}:{h.function}" for h in hot)
    return Plan(title, text, SOURCE, targets, {"hot": [h.function for h in hot]})


def due(d: Deps, run_id: str, job: planning.Round) -> bool:
    """Whether this round opens with a plan from the profile: the first round of a run whose
    model calls run beside the measurement, before any plan was written."""
    return bool(d.opening and d.lookahead) and job.round == 1 and not d.store.plans(run_id)


def begin(d: Deps, run_id: str, job: planning.Round) -> State | None:
    """The opening plan written and coded ahead, and the round planned ahead beside it
    (None: no opening plan, the round runs as usual)."""
    p = opening_plan(job.request)
    if p is None:
        return None
    d.store.add_plans(run_id, job.round, [planning.plan_row(p, None)])
    d.progress(f"  plan: {p.title} (from the profile, while round {job.round} is planned)")
    pipeline.code_ahead(d, run_id)
    plans, cands = d.store.plans(run_id), d.store.candidates(run_id)
    room = room_to_plan(plans, cands, d.config.budget, len(d.ahead.coding()), early=True)
    if room:
        d.ahead.start(
            "plan",
            lambda: rounds.plan_and_code(d, run_id, job, room),
            lambda got: rounds.write(d, run_id, job, got),
        )
    return {}
