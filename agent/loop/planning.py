"""The plan node: new plans grounded in the profile and every outcome so far."""

from __future__ import annotations

import random
from typing import Any

from langgraph.runtime import Runtime

from agent.exceptions import Converged
from agent.loop import budgets
from agent.loop.baseline import load_profile
from agent.loop.selection import choose_parents
from agent.loop.state import Deps, State, stops_loop
from agent.protocols import Outcome, PlanRequest
from profilers.verdicts import Verdict
from storage.models import Candidate
from storage.vocabulary import DEAD_ENDS, IMPROVING, PlanStatus


def outcome_of(c: Candidate, plan_title: str) -> Outcome:
    ci = (c.ci_low, c.ci_high) if c.ci_low is not None and c.ci_high is not None else None
    verdict = Verdict(c.verdict) if c.verdict else None
    return Outcome(plan_title, c.status, c.runtime_ratio, ci, c.reason, verdict)


def pick_parent(d: Deps, cands: list[Candidate], round_: int) -> Candidate | None:
    """The candidate this round builds on, or None for the base.

    Only once something improved on the base; the draw is seeded by the round alone so a
    resumed run and an uninterrupted one make the same choices."""
    if not d.config.build_on_front or not any(c.status in IMPROVING for c in cands):
        return None
    picks = choose_parents(cands, 1, random.Random(f"perfagent-round-{round_}"))
    return next((c for c in cands if picks and c.id == picks[0]), None)


def already_tried(
    title: str, parent_id: int | None, rows: list[Any], cands: list[Candidate]
) -> bool:
    """A plan is not planned twice on the same parent, nor on a descendant of the candidate
    it produced, nor again anywhere once it broke."""
    same = [r for r in rows if r.title == title]
    if any((r.data or {}).get("parent_id") == parent_id for r in same):
        return True
    ids = {r.id for r in same}
    if any(c.plan_id in ids and c.status in DEAD_ENDS for c in cands):
        return True
    by_id = {c.id: c for c in cands}
    seen: set[int] = set()
    while parent_id is not None and parent_id in by_id and parent_id not in seen:
        seen.add(parent_id)
        if by_id[parent_id].plan_id in ids:
            return True  # the lineage already contains this plan's change
        parent_id = by_id[parent_id].parent_id
    return False


@stops_loop
def plan(state: State, *, runtime: Runtime[Deps]) -> State:
    d, run_id = runtime.context, state["run_id"]
    if d.store.plans(run_id, status=PlanStatus.PENDING):
        return {}
    budgets.check(d, run_id)
    round_ = state.get("round", 0) + 1
    run = d.store.run(run_id)
    cands = d.store.candidates(run_id)
    parent = pick_parent(d, cands, round_)
    rows = d.store.plans(run_id)
    titles = {p.id: p.title for p in rows}
    request = PlanRequest(
        task=d.task,
        profile=load_profile(d.store, run_id),
        sources=d.checkout.sources(parent.diff if parent else ""),
        baseline=run.baseline if run else {},
        history=[outcome_of(c, titles.get(c.plan_id or -1, "")) for c in cands],
        n_plans=d.config.plans_per_round,
        round=round_,
    )
    on = f" on top of candidate {parent.id}" if parent else ""
    d.progress(f"round {round_}: planning{on}")
    parent_id = parent.id if parent else None
    plans = [
        p for p in d.planner.plan(request) if not already_tried(p.title, parent_id, rows, cands)
    ]
    if not plans:
        raise Converged("the planner has no new plan")
    d.store.add_plans(
        run_id,
        round_,
        [
            {
                "title": p.title,
                "text": p.text,
                "source": p.source,
                "targets": list(p.targets),
                "data": {**p.data, "parent_id": parent_id},
            }
            for p in plans
        ],
    )
    for p in plans:
        d.progress(f"  plan: {p.title}")
    return {"round": round_}
