"""A planning round coded with its plans: with calls made ahead
(`Deps.lookahead`), the coder is asked for the round's plans as soon as they exist, each
from its draft while the planner's critique still reviews it (`agent.protocols.Drafting`):
in turn the first plan only, ahead (`agent.loop.pipeline`) as many as the budget has room for,
side by side."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

from agent.exceptions import ModelError
from agent.loop import coding, planning
from agent.loop.ahead import Call
from agent.loop.state import Deps, State
from agent.protocols import Edit, Plan
from storage.vocabulary import PlanStatus


@dataclass(frozen=True)
class Planned:
    """A round's plans, and the edits of its new plans that were coded with it."""

    plans: list[Plan] | ModelError
    coded: tuple[tuple[Plan, Edit], ...] = ()


Key = tuple[str, str, tuple[str, ...], str]
"""What the coder is shown of a plan: title, text, targets and the profile shares it ranks
the code map by."""


def key(p: Plan) -> Key:
    """A draft with the same key as a final plan has the same edit."""
    hot = json.dumps(p.data.get("hot"), sort_keys=True, default=str)
    return (p.title, p.text, tuple(p.targets), hot)


def plan_and_code(d: Deps, run_id: str, job: planning.Round, room: int) -> Planned:
    """The planner's call, and the coder's for the first `room` plans the loop would code,
    side by side: started on the drafts (a draft the critique changes is coded again, and its
    first edit dropped), else once the plans are back. A coder call that fails leaves its plan
    pending: the code node makes it again in turn. Every call started here has ended when this
    returns (or raises), so none records a paid call after the run."""
    drafted: dict[Key, Call] = {}
    started: list[Call] = []
    begun = time.monotonic()
    lock = threading.Lock()  # a Drafting planner may tell its drafts from a thread of its own

    def fresh(plans: Sequence[Plan]) -> list[Plan]:
        tried = d.store.plans(run_id), d.store.candidates(run_id)
        new = [p for p in plans if not planning.already_tried(p.title, job.parent_id, *tried)]
        return [as_row(p, job.parent_id) for p in new[:room]]

    def on_drafts(plans: Sequence[Plan]) -> None:
        with lock:
            for p in fresh(plans):
                if key(p) not in drafted:
                    drafted[key(p)] = call = coder_call(d, job, p)
                    started.append(call)

    try:
        got = planning.ask(d, job, on_drafts)
        if isinstance(got, ModelError):
            return Planned(got)
        rows = fresh(got)
        with lock:
            calls = [
                drafted.pop(key(p)) if key(p) in drafted else coder_call(d, job, p) for p in rows
            ]
            started.extend(calls)
        if drafted:
            d.progress(f"  {len(drafted)} draft edit(s) dropped: the critique changed their plans")
        coded = []
        for p, call in zip(rows, calls, strict=True):
            try:
                coded.append((p, call.wait()))
            except Exception:
                continue
        if coded:
            d.ahead.pace.planned(time.monotonic() - begun)
        return Planned(got, tuple(coded))
    finally:
        for call in started:
            call.thread.join()


def coder_call(d: Deps, job: planning.Round, p: Plan) -> Call:
    """The coder's call for a plan of the round, on a thread of its own."""
    return Call(lambda: coding.ask(d, code_job(job, -1, p)), "perfagent-code-ahead")


def code_job(job: planning.Round, plan_id: int, p: Plan) -> coding.Job:
    """What the coder is shown for a plan of a round coded with its plans."""
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
