"""A planner that fails or has nothing left ends a step, not the run: measured candidates are
still confirmed, and the run ends with a clear status."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from agent.config import RunConfig
from agent.llm.coder import LLMCoder
from agent.llm.planner import LLMPlanner, PlannerConfig
from agent.loop.graph import run_loop
from agent.loop.state import Deps
from agent.models.replay import ReplayModel
from agent.protocols import Task
from agent.views.summary import run_summary
from agent.wiring import loop_deps, planned_rounds
from profilers.config import MeasureConfig
from sandbox.local import LocalSandboxFactory
from storage import Store, sqlite_url
from tasks import load_task
from tests.agent.test_planner_loop import DROP_SLEEP, PROJECT
from tests.agent.test_repair import PLAN

FAIL = {"raise": "error", "message": "Retry-After 120 s is over the 60 s cap"}


def run(
    make_repo: Callable[..., Path],
    replies: list[Any],
    max_rounds: int = 3,
    plans_per_round: int = 1,
    said: list[str] | None = None,
) -> tuple[Store, str]:
    store, run_id, task = start(make_repo)
    model = ReplayModel(replies)
    progress = (said if said is not None else []).append
    run_loop(run_id, deps_for(store, run_id, task, model, progress, max_rounds, plans_per_round))
    assert model.remaining == 0
    return store, run_id


def start(make_repo: Callable[..., Path], name: str = "repo") -> tuple[Store, str, Task]:
    repo = make_repo(PROJECT, name)
    task = load_task(repo)
    store = Store(sqlite_url(repo.parent / f"{name}.db"))
    run_id = store.create_run(
        repo=str(task.repo), base_commit=task.base_ref, task={}, model="replay", sandbox="local"
    ).id
    return store, run_id, task


def deps_for(
    store: Store,
    run_id: str,
    task: Task,
    model: ReplayModel,
    progress: Callable[[str], None],
    max_rounds: int,
    plans_per_round: int,
) -> Deps:
    return loop_deps(
        store,
        run_id,
        task,
        LocalSandboxFactory(),
        RunConfig(budget=3, plans_per_round=plans_per_round, max_rounds=max_rounds),
        progress,
        agents=(LLMPlanner(model, PlannerConfig(mode="cheap")), LLMCoder(model)),
        measure=MeasureConfig(pairs=10, max_pairs=20, instructions="off"),
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("later", "reason"),
    [
        ([FAIL, FAIL], "planner-failed: the planner failed 2 round(s) in a row: replay: error"),
        (['{"plans": []}'] * 2, "converged: the planner says there is nothing left to try"),
    ],
)
def test_a_measured_candidate_is_confirmed_when_planning_ends(
    make_repo: Callable[..., Path], later: list[Any], reason: str
) -> None:
    """Guards the issue-14 failures: `{"plans": []}` raised and any planner model error
    (retries used up, Retry-After over the cap, an empty reply) ended the run with exit 2
    and no JSON, so the candidate already measured faster was never confirmed. Nothing new on
    top of the candidate hands the next round to the base, and nothing there ends the run."""
    store, run_id = run(make_repo, [json.dumps(PLAN), DROP_SLEEP, *later])
    summary = run_summary(store, run_id)
    assert summary["status"] == "finished" and summary["reason"].startswith(reason)
    [cand] = summary["candidates"]
    assert cand["status"] == "accepted" and summary["best"]["candidate_id"] == cand["candidate_id"]
    errors = [e for e in store.events(run_id) if e.kind == "planner-error"]
    assert len(errors) == (2 if later[0] is FAIL else 0)
    assert [e.data["round"] for e in errors] == ([2, 3] if errors else [])


@pytest.mark.slow
def test_a_planner_that_recovers_plans_in_the_next_round(make_repo: Callable[..., Path]) -> None:
    """One failed round is retried in the next one, not counted as the end."""
    store, run_id = run(make_repo, [FAIL, json.dumps(PLAN), DROP_SLEEP], max_rounds=2)
    summary = run_summary(store, run_id)
    assert summary["status"] == "finished"
    assert [p.round for p in store.plans(run_id)] == [2]
    [error] = [e for e in store.events(run_id) if e.kind == "planner-error"]
    assert error.data["round"] == 1 and "Retry-After 120 s" in error.message


TWO_PLANS = {
    "plans": [
        PLAN["plans"][0],
        {
            "title": "Name the sum in total",
            "text": "Bind the sum to a local before returning it.",
            "targets": ["calc/core.py:total"],
        },
    ]
}
NAMED_SUM = (
    "calc/core.py\n```python\n<<<<<<< SEARCH\n    return sum(values)\n=======\n"
    "    result = sum(values)\n    return result\n>>>>>>> REPLACE\n```\n"
)


@pytest.mark.slow
def test_a_parent_with_nothing_new_hands_the_next_round_to_another(
    make_repo: Callable[..., Path],
) -> None:
    """Guards a run that converged when the parent drawn for a round (a candidate that may
    have been drawn to explore) held every change the planner knew, while another measured
    candidate lacked some: the next round builds on the other (here a sound candidate that
    is not faster, which selection may draw too), then, with every candidate spent, on the
    base, and the run ends when the base too has nothing new."""
    empty = '{"plans": []}'
    said: list[str] = []
    replies = [json.dumps(TWO_PLANS), DROP_SLEEP, NAMED_SUM, empty, empty, empty]
    store, run_id = run(make_repo, replies, max_rounds=4, plans_per_round=2, said=said)
    summary = run_summary(store, run_id)
    assert summary["status"] == "finished"
    assert summary["reason"].startswith("converged: the planner says there is nothing left")
    spent = [e for e in store.events(run_id) if e.kind == "parent-exhausted"]
    parents = [line.split("on top of candidate ")[1] for line in said if "planning on top" in line]
    assert parents == [str(e.data["parent"]) for e in spent] and len(parents) == 2
    assert set(parents) == {str(c["candidate_id"]) for c in summary["candidates"]}
    rounds = [line for line in said if line.startswith("round ") and ": planning" in line]
    assert rounds[-1] == "round 4: planning"  # the base again, after both candidates
    assert any(line.endswith("the next round builds on the base") for line in said)


class Killed(BaseException):
    """Stands for the process being killed at a chosen progress line."""


@pytest.mark.slow
def test_a_run_killed_after_a_round_without_plans_resumes_at_the_next_round(
    make_repo: Callable[..., Path],
) -> None:
    """Guards resume against a round that wrote no plan (its parent had nothing new): the
    resumed run's counter started at the last round that wrote plans, so it planned that
    round's number again, drew its parent with that round's seed, and got an extra round."""
    empty = '{"plans": []}'
    replies = [json.dumps(TWO_PLANS), DROP_SLEEP, NAMED_SUM, empty, empty, empty]
    whole: list[str] = []
    first, first_id, task = start(make_repo, "whole")
    run_loop(first_id, deps_for(first, first_id, task, ReplayModel(replies), whole.append, 4, 2))

    said: list[str] = []

    def killed_after_the_round(line: str) -> None:
        said.append(line)
        if "the next round builds on" in line:
            raise Killed(line)

    store, run_id, task = start(make_repo, "killed")
    model = ReplayModel(replies)
    with pytest.raises(Killed):
        run_loop(run_id, deps_for(store, run_id, task, model, killed_after_the_round, 4, 2))
    assert planned_rounds(store, run_id) == 2
    resumed = deps_for(store, run_id, task, model, said.append, 4, 2)
    run_loop(run_id, resumed, planned_rounds(store, run_id))

    def rounds(lines: list[str]) -> list[str]:
        return [line for line in lines if line.startswith("round ") and ": planning" in line]

    assert rounds(said) == rounds(whole)
    assert run_summary(store, run_id)["reason"] == run_summary(first, first_id)["reason"]


@pytest.mark.slow
def test_failures_apart_do_not_end_the_run(make_repo: Callable[..., Path]) -> None:
    """Guards the count of failed rounds in a row (review): a round whose call answered with
    nothing new on top of its parent did not break the row, so two failures around it ended
    the run with planning left to do."""
    empty = '{"plans": []}'
    replies = [json.dumps(TWO_PLANS), DROP_SLEEP, NAMED_SUM, FAIL, empty, FAIL, empty, empty]
    said: list[str] = []
    store, run_id = run(make_repo, replies, max_rounds=8, plans_per_round=2, said=said)
    summary = run_summary(store, run_id)
    assert summary["reason"].startswith("converged: the planner says there is nothing left")
    errors = [e.data["round"] for e in store.events(run_id) if e.kind == "planner-error"]
    assert errors == [2, 4]


@pytest.mark.slow
@pytest.mark.parametrize("kill_at", ["  planner failed", "confirming candidate"])
def test_a_run_killed_as_it_ends_finishes_on_resume(
    make_repo: Callable[..., Path], kill_at: str
) -> None:
    """Guards resume at the end of a run (review): killed after the second failed round in a
    row, or while finishing, the resumed run asked the planner for another round, a paid
    call the whole run never made, and ended for another reason."""
    replies = [json.dumps(PLAN), DROP_SLEEP, FAIL, FAIL, FAIL]
    first, first_id, task = start(make_repo, "whole")
    whole = ReplayModel(replies)
    run_loop(first_id, deps_for(first, first_id, task, whole, lambda _: None, 5, 1))
    seen: list[str] = []

    def killed_at(line: str) -> None:
        seen.append(line)
        if line.startswith(kill_at) and (kill_at != "  planner failed" or len(
            [s for s in seen if s.startswith(kill_at)]) == 2):  # fmt: skip
            raise Killed(line)

    store, run_id, task = start(make_repo, "killed")
    model = ReplayModel(replies)
    with pytest.raises(Killed):
        run_loop(run_id, deps_for(store, run_id, task, model, killed_at, 5, 1))
    resumed = deps_for(store, run_id, task, model, lambda _: None, 5, 1)
    run_loop(run_id, resumed, planned_rounds(store, run_id))
    assert model.remaining == whole.remaining == 1
    assert run_summary(store, run_id)["reason"] == run_summary(first, first_id)["reason"]
    assert run_summary(store, run_id)["status"] == "finished"
