"""Plans coded from their drafts while the planner's critique runs (issue 13), and counts
made while the loop waits for a model: the loop's choices stay those of a run without them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from agent.config import RunConfig
from agent.loop.counts import EARLY, count_early, count_front
from agent.loop.graph import run_loop
from agent.loop.state import Deps
from agent.protocols import InstructionComparison, Plan, PlanRequest
from agent.views.summary import run_summary
from agent.wiring import loop_deps
from profilers.config import MeasureConfig
from sandbox.local import LocalSandboxFactory
from storage import Store, sqlite_url
from storage.vocabulary import Status
from tasks import load_task
from tests.agent.test_ahead import WAIT_S, Recorded, plan
from tests.agent.test_loop import FAST, PROJECT, WRONG


class Drafter(Recorded):
    """A planner with a critique (`agent.protocols.Drafting`): it tells its plans as drafts,
    and its critique answers only once the coder has started on a draft (bounded); `revise`
    maps a title to the plan the critique makes of it."""

    def plan_drafts(self, request: PlanRequest, drafts: Callable[[list[Plan]], None]) -> list[Plan]:
        plans = self.plan(request)
        drafts(plans)
        self.started.wait(WAIT_S)
        self.events.append("critique end")
        revised = self.script.get("revise", {})
        return [
            Plan(
                p.title,
                revised[p.title]["text"],
                p.source,
                data={"files": revised[p.title]["files"]},
            )
            if p.title in revised
            else p
            for p in plans
        ]


def drafted_run(
    repo: Path, plans: list[dict[str, Any]], revise: dict[str, Any]
) -> tuple[Store, str, list[str]]:
    task = load_task(repo)
    store = Store(sqlite_url(repo.parent / "store.db"))
    events: list[str] = []
    engine = Drafter({"plans": plans, "revise": revise}, events)
    run_id = store.create_run(
        repo=str(task.repo), base_commit=task.base_ref, task={}, model="scripted", sandbox="local"
    ).id
    config = RunConfig(budget=1, plans_per_round=1, max_rounds=1, repair_attempts=0, patience=0)
    measure = MeasureConfig(pairs=10, max_pairs=20, instructions="never", memory=False)
    deps = loop_deps(
        store, run_id, task, LocalSandboxFactory(), config, lambda _m: None,
        agents=(engine, engine), measure=measure,
    )  # fmt: skip
    deps.lookahead = 1
    run_loop(run_id, deps)
    return store, run_id, events


@pytest.mark.slow
def test_the_first_plan_is_coded_from_its_draft_while_the_critique_runs(
    make_repo: Callable[..., Path],
) -> None:
    """Guards the first round's four calls in series: the coder starts on the first plan's
    draft before the critique ends, and a plan the critique leaves as it was is not coded
    again."""
    repo = make_repo(PROJECT)
    store, run_id, events = drafted_run(repo, [plan("drop the sleep", FAST)], revise={})
    assert events.index("code drop the sleep ahead") < events.index("critique end")
    assert [e for e in events if e.startswith("code ")] == ["code drop the sleep ahead"]
    summary = run_summary(store, run_id)
    assert [c["status"] for c in summary["candidates"]] == ["accepted"]


@pytest.mark.slow
def test_a_draft_the_critique_changes_is_coded_again_from_the_revised_plan(
    make_repo: Callable[..., Path],
) -> None:
    """Guards a candidate built from a plan the critique rejected: the draft's edit (here a
    wrong one) is dropped, and the candidate is the revised plan's."""
    repo = make_repo(PROJECT)
    revise = {
        "drop the sleep": {"text": "drop the sleep, reviewed", "files": {"calc/core.py": FAST}}
    }
    store, run_id, events = drafted_run(repo, [plan("drop the sleep", WRONG)], revise)
    assert [e for e in events if e.startswith("code ")] == ["code drop the sleep ahead"] * 2
    summary = run_summary(store, run_id)
    assert [c["status"] for c in summary["candidates"]] == ["accepted"]
    assert [p.text for p in store.plans(run_id)] == ["drop the sleep, reviewed"]


class Counter:
    """A profiler whose counts are noted (each candidate's ratio is its id / 10)."""

    def __init__(self) -> None:
        self.counted: list[str] = []

    def count(self, patch: str, progress: Callable[[str], None]) -> tuple[Any, str]:
        self.counted.append(patch)
        n = int(patch)
        return InstructionComparison(base=1000, head=100 * n, ratio=n / 10), ""


def test_a_count_made_while_waiting_changes_no_choice_before_the_finish(tmp_path: Path) -> None:
    """Guards the front the loop chooses parents and stops by: a contender counted early
    keeps no instruction ratio until the finish, which takes the early count instead of
    counting again (so a candidate its count would bring back stays off the front)."""
    store = Store(sqlite_url(tmp_path / "store.db"))
    run_id = store.create_run(repo="r", base_commit="c", task={}, model="m", sandbox="local").id
    for n, ratio in ((8, 0.80), (6, 0.60)):
        store.add_candidate(
            run_id, status=Status.FASTER, diff=str(n), runtime_ratio=ratio,
            ci_low=ratio - 0.02, ci_high=ratio + 0.02,
        )  # fmt: skip
    profiler = Counter()
    deps = Deps(store, None, None, profiler, None, None)  # type: ignore[arg-type]
    assert count_early(deps, run_id) and not count_early(deps, run_id)
    (early,) = [c for c in store.candidates(run_id) if EARLY in (c.measurement or {})]
    assert early.runtime_ratio == 0.60 and early.instructions_ratio is None
    count_front(deps, run_id)
    assert profiler.counted.count("6") == 1  # the early count taken over, not made again
    by_diff = {c.diff: c for c in store.candidates(run_id)}
    assert by_diff["6"].instructions_ratio == 0.6
    assert EARLY not in (by_diff["6"].measurement or {})
