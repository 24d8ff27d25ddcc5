"""The opening candidate: with a model that computes elsewhere, the first edit comes from a
plan the loop writes from the profile, so a candidate is measured while the planner's first
round is still thinking.

A round is a chain of model calls (observations, plans, then the coder's for a plan), so the
first candidate of a run waits for all of them; every later one is coded beside a
measurement (`agent.loop.ahead`). The opening plan needs no planner: it names the hottest
functions of the editable code and asks for them to be made faster for every input, as a
profile-guided optimizer would. With room in the budget, plans for the hottest functions one
at a time follow it (a narrower task, and more candidates ready when the first one's checks
end than one plan gives: the round's chain is three calls long). They are coded ahead at
once, the first round is planned ahead beside them, and the loop measures each candidate as
soon as the coder answers. Each is one candidate of the budget like any other
(`RunConfig.opening`).
"""

from __future__ import annotations

from agent.loop import pipeline, planning, rounds
from agent.loop.ahead import room_to_plan
from agent.loop.state import Deps, State
from agent.protocols import Hotspot, Plan, PlanRequest

SOURCE = "profile"
"""The opening plan's source, where a planner's plans name their model."""
HOTTEST = 3
"""Hot functions the opening plan names at most, and opening plans at most."""
SHARE = 2
"""The opening plans take at most 1/SHARE of the budget: the planner's plans the rest."""


def opening_plans(request: PlanRequest, budget: int) -> list[Plan]:
    """The plan for the hottest functions together, then, while the budget has room, one
    for each of the hottest alone (none when the profile names no editable function)."""
    hot = [h for h in request.profile.hotspots if h.file in request.sources][:HOTTEST]
    if not hot:
        return []
    room = max(1, min(HOTTEST, budget // SHARE))
    alone = [_plan([h], "the hot function") for h in hot[: room - 1]] if hot[1:] else []
    return [_plan(hot, "the hottest code"), *alone]


def _plan(hot: list[Hotspot], what: str) -> Plan:
    named = ", ".join(f"{h.function} ({h.file}:{h.line}, {h.total_share:.0%})" for h in hot)
    text = (
        f"The profile of the workload puts on the stack, in the share of its samples shown: "
        f"{named}. Make this code faster for every input, not only the benchmark's: remove "
        "repeated work, and use data structures and algorithms suited to how it is called. "
        "Keep the results, the effects on arguments and the exceptions raised exactly as they "
        "are, and change nothing else."
    )
    title = f"speed up {what}: {', '.join(h.function for h in hot)}"
    targets = tuple(f"{h.file}:{h.function}" for h in hot)
    return Plan(title, text, SOURCE, targets, {"hot": [h.function for h in hot]})


def due(d: Deps, run_id: str, job: planning.Round) -> bool:
    """Whether this round opens with plans from the profile: the first round of a run whose
    model calls run beside the measurement, before any plan was written."""
    return bool(d.opening and d.lookahead) and job.round == 1 and not d.store.plans(run_id)


def begin(d: Deps, run_id: str, job: planning.Round) -> State | None:
    """The opening plans written and coded ahead, and the round planned ahead beside them
    (None: no opening plan, the round runs as usual)."""
    opened = opening_plans(job.request, d.config.budget)
    if not opened:
        return None
    d.store.add_plans(run_id, job.round, [planning.plan_row(p, None) for p in opened])
    for p in opened:
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
