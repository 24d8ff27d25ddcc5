"""The repair round: a candidate that failed its tests goes back to the coder with the failure,
once, and the fix is a child of the failed candidate."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from langgraph.runtime import Runtime

from agent.config import RunConfig
from agent.llm.coder import LLMCoder
from agent.llm.planner import LLMPlanner, PlannerConfig
from agent.loop import repair
from agent.loop.graph import run_loop
from agent.loop.state import Deps
from agent.models.replay import ReplayModel
from agent.protocols import Task
from agent.views.report import render_report
from agent.views.summary import run_summary
from agent.wiring import loop_deps
from profilers.config import MeasureConfig
from sandbox.local import LocalSandboxFactory
from storage import Store, sqlite_url
from storage.vocabulary import Status
from tasks import load_task
from tests.agent.fakes import ScriptedEngine
from tests.agent.test_planner_loop import PROJECT

PLAN = {
    "plans": [
        {
            "title": "Drop the sleep in total",
            "text": "total spends its time in time.sleep; remove it.",
            "targets": ["calc/core.py:total"],
        }
    ]
}
WRONG = (
    "calc/core.py\n```python\n<<<<<<< SEARCH\n    time.sleep(0.25)\n    return sum(values)\n"
    "=======\n    return sum(values) + 1\n>>>>>>> REPLACE\n```\n"
)
FIX = (
    "calc/core.py\n```python\n<<<<<<< SEARCH\n    return sum(values) + 1\n"
    "=======\n    return sum(values)\n>>>>>>> REPLACE\n```\n"
)


@pytest.mark.slow
def test_a_failing_candidate_is_repaired_once_and_the_repair_is_accepted(
    make_repo: Callable[..., Path],
) -> None:
    """The issue-14 "done when": a candidate that fails its tests is not just dropped; the
    coder sees the failing test output and the failed change, its fix is measured, accepted,
    and shown as the failed candidate's child and repair."""
    repo = make_repo(PROJECT)
    task = load_task(repo)
    store = Store(sqlite_url(repo.parent / "store.db"))
    model = ReplayModel([json.dumps(PLAN), WRONG, FIX])
    run_id = store.create_run(
        repo=str(task.repo), base_commit=task.base_ref, task={}, model="replay", sandbox="local"
    ).id
    deps = loop_deps(
        store,
        run_id,
        task,
        LocalSandboxFactory(),
        RunConfig(budget=3, plans_per_round=1, max_rounds=1),
        lambda _m: None,
        agents=(LLMPlanner(model, PlannerConfig(mode="cheap")), LLMCoder(model)),
        measure=MeasureConfig(pairs=10, max_pairs=20, instructions="off"),
    )
    run_loop(run_id, deps)
    failed, fixed = store.candidates(run_id)
    assert failed.status == Status.TESTS_FAILED and failed.parent_id is None
    assert fixed.status == Status.ACCEPTED and fixed.parent_id == failed.id
    assert "-    time.sleep(0.25)" in fixed.diff and "+ 1" not in fixed.diff
    repair_prompt = "\n".join(m.content for m in model.calls[2])
    assert "The change made for this plan failed" in repair_prompt
    assert "+    return sum(values) + 1" in repair_prompt  # the failed diff
    assert "assert" in repair_prompt and "tests check failed" in repair_prompt  # the test output
    assert "return sum(values) + 1" in model.calls[2][1].content  # the code holds the change
    summary = run_summary(store, run_id)
    rows = {c["candidate_id"]: c for c in summary["candidates"]}
    assert rows[fixed.id]["repair_of"] == failed.id and rows[failed.id]["repair_of"] is None
    assert (
        rows[fixed.id]["plan_title"] == f"Repair of candidate {failed.id}: Drop the sleep in total"
    )
    assert summary["best"]["candidate_id"] == fixed.id
    assert model.remaining == 0
    html = render_report(store, run_id)
    assert f'repair of <a href="#cand-{failed.id}">#{failed.id}</a>' in html


# the node, on a store ------------------------------------------------------------------------
def deps(store: Store, coder: Any, attempts: int = 1) -> Deps:
    task = Task(task_id="t", repo=Path("/nonexistent"), bench="python bench.py")
    return Deps(
        store=store,
        task=task,
        checkout=None,  # type: ignore[arg-type]
        profiler=None,  # type: ignore[arg-type]
        planner=None,  # type: ignore[arg-type]
        coder=coder,
        config=RunConfig(repair_attempts=attempts),
    )


def failed_run(tmp_path: Path, status: Status = Status.TESTS_FAILED) -> tuple[Store, str, int]:
    store = Store(sqlite_url(tmp_path / "store.db"))
    run_id = store.create_run(
        repo="/r", base_commit="abc", task={}, model="replay", sandbox="local"
    ).id
    [plan_id] = store.add_plans(
        run_id, 1, [{"title": "T", "text": "do it", "source": "m", "targets": ["a.py:f"]}]
    )
    checks = [
        {"name": "tests", "passed": True, "reason": "ok", "rejects": None, "evidence": {}},
        {
            "name": "tests",
            "passed": False,
            "reason": "tests fail on head (exit 1): AssertionError",
            "rejects": "tests-failed",
            "evidence": {"tail": "E   assert 5051 == 5050\n" + "x\n" * 5000},
        },
    ]
    cid = store.add_candidate(
        run_id,
        plan_id=plan_id,
        status=status,
        diff="diff --git a/a.py b/a.py\n",
        reason="tests fail",
        measurement={"checks": checks},
    )
    return store, run_id, cid


def step(d: Deps, run_id: str) -> None:
    repair.repair({"run_id": run_id, "round": 1}, runtime=Runtime(context=d))


def test_the_repair_plan_is_written_once_with_the_failure(tmp_path: Path) -> None:
    """Guards idempotence: the node run twice (a resumed run) owes and writes one repair."""
    store, run_id, cid = failed_run(tmp_path)
    d = deps(store, LLMCoder(ReplayModel([])))
    assert repair.due(d, run_id) is not None
    step(d, run_id)
    step(d, run_id)
    rows = [p for p in store.plans(run_id) if p.data.get("repair_of") == cid]
    assert len(rows) == 1 and repair.due(d, run_id) is None
    data = rows[0].data
    assert data["parent_id"] == cid and rows[0].targets == ["a.py:f"]
    assert data["failure"].startswith("tests check failed: tests fail on head (exit 1)")
    assert "assert 5051 == 5050" in data["failure"] and len(data["failure"]) < 4200


def test_a_failed_repair_is_not_repaired_past_the_attempts(tmp_path: Path) -> None:
    store, run_id, cid = failed_run(tmp_path)
    d = deps(store, LLMCoder(ReplayModel([])))
    step(d, run_id)
    [row] = [p for p in store.plans(run_id) if p.data.get("repair_of") == cid]
    store.add_candidate(
        run_id, plan_id=row.id, parent_id=cid, status=Status.BROKEN, diff="diff x\n"
    )
    assert repair.due(d, run_id) is None
    assert repair.due(deps(store, LLMCoder(ReplayModel([])), attempts=2), run_id) is not None


@pytest.mark.parametrize("status", [Status.OVERFIT, Status.STATEFUL, Status.INPUT_SPECIFIC])
def test_gaming_rejections_are_never_repaired(tmp_path: Path, status: Status) -> None:
    store, run_id, _ = failed_run(tmp_path, status)
    assert repair.due(deps(store, LLMCoder(ReplayModel([]))), run_id) is None


def test_no_repair_when_off_or_when_the_coder_cannot(tmp_path: Path) -> None:
    store, run_id, _ = failed_run(tmp_path)
    assert repair.due(deps(store, LLMCoder(ReplayModel([])), attempts=0), run_id) is None
    assert repair.due(deps(store, ScriptedEngine({"plans": []})), run_id) is None
