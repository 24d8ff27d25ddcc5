"""A planning round: what the planner is shown, its call, and its plans written down (the
plan node, `agent.loop.rounds`, runs these in turn)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from agent.exceptions import Converged, ModelAuthError, ModelError, PlannerFailed
from agent.loop import budgets
from agent.loop.baseline import load_profile
from agent.loop.selection import choose_parents, eligible
from agent.loop.state import Deps, State
from agent.protocols import Drafting, Drafts, Outcome, Plan, PlanRequest
from profilers.verdicts import Verdict
from storage import Store
from storage.models import Candidate
from storage.vocabulary import DEAD_ENDS, IMPROVING

PARENT_EXHAUSTED = "parent-exhausted"
"""The event kind recording a candidate the planner had no new plan for, as a parent."""
PLANNER_ERROR = "planner-error"
"""The event kind recording a planning round whose model call failed."""
FAILURES_TO_STOP = 2
"""Planning rounds in a row whose model call failed before the run ends (with its JSON, and
its measured candidates confirmed)."""


def outcome_of(c: Candidate, plan_title: str) -> Outcome:
    ci = (c.ci_low, c.ci_high) if c.ci_low is not None and c.ci_high is not None else None
    verdict = Verdict(c.verdict) if c.verdict else None
    return Outcome(plan_title, c.status, c.runtime_ratio, ci, c.reason, verdict)


def pick_parent(d: Deps, run_id: str, cands: list[Candidate], round_: int) -> Candidate | None:
    """The candidate this round builds on, or None for the base.

    Only once something improved on the base, and never one the planner had nothing new for;
    the draw is seeded by the round alone so a resumed run and an uninterrupted one make the
    same choices."""
    if not d.config.build_on_front or not any(c.status in IMPROVING for c in cands):
        return None
    spent = exhausted(d, run_id)
    pool = [c for c in cands if c.id not in spent]
    picks = choose_parents(pool, 1, random.Random(f"perfagent-round-{round_}"))
    return next((c for c in pool if picks and c.id == picks[0]), None)


def exhausted(d: Deps, run_id: str) -> set[int]:
    """The candidates the planner had no new plan for, as parents."""
    return {int(e.data["parent"]) for e in d.store.events(run_id) if e.kind == PARENT_EXHAUSTED}


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


@dataclass(frozen=True)
class Round:
    """One planning round about to be asked for, with what the planner is shown."""

    round: int
    request: PlanRequest
    parent_id: int | None


def prepare(d: Deps, run_id: str, round_: int) -> Round:
    """What the planner is shown for round `round_`; raises BudgetExhausted when no model
    call may be made, and PlannerFailed when the planner has already failed as many rounds
    in a row as end a run (a run killed as it ended, then resumed)."""
    budgets.check(d, run_id)
    failed = failures_in_a_row(d, run_id)
    if len(failed) >= FAILURES_TO_STOP:
        last = failed[-1].message
        raise PlannerFailed(f"the planner failed {len(failed)} round(s) in a row: {last}")
    run = d.store.run(run_id)
    cands = d.store.candidates(run_id)
    parent = pick_parent(d, run_id, cands, round_)
    titles = {p.id: p.title for p in d.store.plans(run_id)}
    request = PlanRequest(
        task=d.task,
        profile=load_profile(d.store, run_id),
        sources=d.checkout.sources(parent.diff if parent else ""),
        baseline=run.baseline if run else {},
        history=[outcome_of(c, titles.get(c.plan_id or -1, "")) for c in cands],
        n_plans=round_size(d, round_),
        round=round_,
        parent_id=parent.id if parent else None,
        parent_diff=parent.diff if parent else "",
    )
    return Round(round_, request, parent.id if parent else None)


def round_size(d: Deps, round_: int) -> int:
    """Plans to ask for: `plans_per_round`, or, when model calls run beside the measurement,
    twice as many in the first round (planned before any outcome exists, it loses no
    feedback by being larger, and its plans are measured while the second is planned) and
    more in a later round that outlasts measuring its plans (`agent.loop.pace`)."""
    usual = d.config.plans_per_round
    if not d.lookahead:
        return usual
    return 2 * usual if round_ == 1 else d.ahead.pace.round_size(usual)


def ask(d: Deps, job: Round, drafts: Drafts | None = None) -> list[Plan] | ModelError:
    """The planner's plans, or the model failure that ends the round: the model call, which
    may run beside a measurement (`agent.loop.ahead`), and writes nothing. `drafts` is told
    the plans before a drafting planner's critique reviews them."""
    on = f" on top of candidate {job.parent_id}" if job.parent_id else ""
    d.progress(f"round {job.round}: planning{on}")
    try:
        if drafts is not None and isinstance(d.planner, Drafting):
            return d.planner.plan_drafts(job.request, drafts)
        return d.planner.plan(job.request)
    except ModelAuthError:
        raise
    except ModelError as exc:
        return exc


def write(d: Deps, run_id: str, job: Round, proposed: list[Plan] | ModelError) -> State:
    """The round's new plans in the store (or its recorded failure)."""
    if isinstance(proposed, ModelError):
        return planner_failed(d, run_id, job.round, proposed)
    rows = d.store.plans(run_id)
    cands = d.store.candidates(run_id)
    plans = [p for p in proposed if not already_tried(p.title, job.parent_id, rows, cands)]
    if not plans:
        if job.parent_id is not None:
            return _parent_exhausted(d, run_id, job)
        why = "has no new plan" if proposed else "says there is nothing left to try"
        raise Converged(f"the planner {why}")
    d.store.add_plans(run_id, job.round, [plan_row(p, job.parent_id) for p in plans])
    log_exploration(d, run_id, job.round, plans)
    for p in plans:
        d.progress(f"  plan: {p.title}")
    return {"round": job.round}


def plan_row(p: Plan, parent_id: int | None) -> dict[str, Any]:
    return {
        "title": p.title,
        "text": p.text,
        "source": p.source,
        "targets": list(p.targets),
        "data": {**p.data, "parent_id": parent_id},
    }


def _parent_exhausted(d: Deps, run_id: str, job: Round) -> State:
    """Nothing new on top of this round's parent ends the round, not the run: a later round
    builds on another candidate (a parent drawn for exploration may hold every change the
    planner knows, while the best one still lacks some), or, once every candidate is spent,
    on the base. Planned afresh from the base with every outcome in hand, a combination can
    leave out a change that measured slower, which no plan on top of a parent holding it can;
    the run converges when the base, too, has nothing new."""
    message = f"round {job.round}: nothing new on top of candidate {job.parent_id}"
    d.store.log(run_id, PARENT_EXHAUSTED, message, round=job.round, parent=job.parent_id)
    spent = exhausted(d, run_id)
    other = any(c.id not in spent for c in eligible(d.store.candidates(run_id)))
    then = "another candidate" if other else "the base"
    d.progress(
        f"  nothing new on top of candidate {job.parent_id}: the next round builds on {then}"
    )
    return {"round": job.round}


def planner_failed(d: Deps, run_id: str, round_: int, exc: ModelError) -> State:
    """A planner whose model failed ends the round, not the run (as a coder's failure ends
    only its edit): recorded, tried again next round, and after `FAILURES_TO_STOP` failed
    rounds in a row (or at the last round) the loop ends through `finish`, which still
    confirms every candidate measured faster. A round whose call answered breaks the row,
    whether it wrote plans or had nothing new on top of its parent."""
    message = " ".join(str(exc).split())[:500]
    d.store.log(run_id, PLANNER_ERROR, message, round=round_)
    d.progress(f"  planner failed: {message}")
    failed = failures_in_a_row(d, run_id)
    if len(failed) >= FAILURES_TO_STOP or round_ >= d.config.max_rounds:
        raise PlannerFailed(f"the planner failed {len(failed)} round(s) in a row: {message}")
    return {"round": round_}


def failures_in_a_row(d: Deps, run_id: str) -> list[Any]:
    """The planner-error events since the last round whose call answered (with plans, or
    with nothing new on top of its parent)."""
    last = last_round(d.store, run_id, (PARENT_EXHAUSTED,))
    return [e for e in d.store.events(run_id) if e.kind == PLANNER_ERROR and _round(e) > last]


def last_round(store: Store, run_id: str, kinds: tuple[str, ...]) -> int:
    """The last round that wrote plans or recorded an event of one of `kinds`."""
    ended = [_round(e) for e in store.events(run_id) if e.kind in kinds]
    return max([*(p.round for p in store.plans(run_id)), *ended], default=0)


def _round(event: Any) -> int:
    return int(event.data.get("round") or 0)


def log_exploration(d: Deps, run_id: str, round_: int, plans: list[Plan]) -> None:
    """The read-only exploration a planner did before planning, with its step budget."""
    explored = plans[0].data.get("exploration") if plans else None
    if isinstance(explored, dict) and explored.get("budget"):
        steps = explored.get("steps", 0)
        d.store.log(
            run_id,
            "explore",
            f"round {round_}: {steps} of {explored['budget']} exploration steps",
            round=round_,
            **explored,
        )
