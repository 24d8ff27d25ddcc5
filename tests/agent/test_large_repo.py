"""A repository of more than 100 k lines (`tests/fixtures/big_repo.py`): the planner and the
coder see bounded prompts, and an edit to a function buried in a 3,000-line file applies."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from agent.config import RunConfig
from agent.llm.coder import LLMCoder
from agent.llm.planner import LLMPlanner, PlannerConfig
from agent.loop.graph import run_loop
from agent.models.replay import ReplayModel
from agent.protocols import CodeRequest, Hotspot, HotspotProfile, Message, Plan, PlanRequest, Task
from agent.wiring import loop_deps
from profilers.config import MeasureConfig
from sandbox.local import LocalSandboxFactory
from storage import Store, sqlite_url
from storage.vocabulary import IMPROVING
from tasks import load_task
from tests.fixtures.big_repo import (
    BURIED,
    FAST_LOOP,
    REGISTRY,
    SLOW_LOOP,
    big_repo_files,
    package_lines,
)

CODER_BUDGET = 6000
"""Tokens (four characters each) the coder's whole prompt stays under on this repository."""
PLANNER_BUDGET = 10000
"""Tokens the planner's whole prompt stays under on this repository."""
TARGET = f"{REGISTRY}:Registry.{BURIED}"
FIX = (
    f"{REGISTRY}\n```python\n<<<<<<< SEARCH\n{SLOW_LOOP}=======\n{FAST_LOOP}>>>>>>> REPLACE\n```\n"
)
PLAN = {
    "plans": [
        {
            "title": "Stop normalizing keys 400 times",
            "text": f"`Registry.{BURIED}` runs 400 rounds of str.replace per key; loop only "
            "while a double space is left.",
            "targets": [TARGET],
        }
    ]
}
TASK = Task(task_id="big", repo=Path("/nonexistent"), bench="python bench.py")


@pytest.fixture(scope="module")
def sources() -> dict[str, str]:
    return {p: t for p, t in big_repo_files().items() if p.startswith("bigpkg/")}


def tokens(messages: list[Message]) -> int:
    return sum(len(m.content) for m in messages) // 4


def profile() -> HotspotProfile:
    path = (
        "<module> (bench.py:3)",
        "run (bigpkg/api.py:10)",
        "process (bigpkg/engine.py:10)",
        "<listcomp> (bigpkg/engine.py:11)",
        "lookup (bigpkg/core/registry.py:1574)",
        f"{BURIED} (bigpkg/core/registry.py:1580)",
    )
    return HotspotProfile(
        hotspots=(
            Hotspot("<module>", "bench.py", 3, 0.0, 1.0, path[:1]),
            Hotspot("lookup", REGISTRY, 1574, 0.01, 0.93, path[:-1]),
            Hotspot(BURIED, REGISTRY, 1580, 0.9, 0.92, path),
        ),
        samples=500,
    )


def test_the_fixture_is_large_with_one_buried_hot_spot(sources: dict[str, str]) -> None:
    lines = sources[REGISTRY].split("\n")
    at = next(i for i, line in enumerate(lines) if f"def {BURIED}" in line)
    assert package_lines(big_repo_files()) >= 100_000 and len(lines) >= 3000
    assert 1000 < at < len(lines) - 1000


def test_a_coder_told_of_a_buried_function_gets_its_edit_applied_within_budget(
    sources: dict[str, str],
) -> None:
    """The coder sees a window around the function, the file's imports and a map, not whole
    files: its prompt stays under `CODER_BUDGET` tokens, and the edit applies to the
    3,000-line file."""
    model = ReplayModel([FIX])
    plan = Plan(PLAN["plans"][0]["title"], PLAN["plans"][0]["text"], "m", (TARGET,))
    edit = LLMCoder(model).code(CodeRequest(task=TASK, plan=plan, sources=sources))
    assert edit.error == "" and set(edit.files) == {REGISTRY}
    assert edit.files[REGISTRY] == sources[REGISTRY].replace(SLOW_LOOP, FAST_LOOP)
    [prompt] = model.calls
    assert tokens(prompt) < CODER_BUDGET
    code = prompt[1].content
    assert f"## {REGISTRY} (3,029 lines: only the parts below are shown)" in code
    assert f"def {BURIED}(self, key):" in code and "class `Registry`" in code
    assert "def registry_step_3(" not in code  # the rest of the file is not shown
    assert "# Other editable files (a map" in code and "Not listed:" in code


def test_the_planner_sees_the_buried_function_its_call_path_and_a_map(
    sources: dict[str, str],
) -> None:
    """Guards the sympy prompt: half of it was a list of 798 editable paths. The planner
    gets the hot code, the call path to it and a map ranked by the profile, under budget."""
    model = ReplayModel([json.dumps(PLAN)])
    request = PlanRequest(task=TASK, profile=profile(), sources=sources, baseline={}, round=1)
    [plan] = LLMPlanner(model, PlannerConfig(mode="cheap")).plan(request)
    [prompt] = model.calls
    evidence = prompt[1].content
    assert tokens(prompt) < PLANNER_BUDGET
    assert f"def {BURIED}(self, key):" in evidence
    assert (
        f"- {BURIED} (92%): <module> [bench.py] → run [bigpkg/api.py] → process "
        f"[bigpkg/engine.py] → <listcomp> [bigpkg/engine.py] → lookup [{REGISTRY}] → "
        f"{BURIED} [{REGISTRY}]"
    ) in evidence
    map_part = evidence.split(f"# Editable files ({len(sources)};", 1)[1]
    assert map_part.index(REGISTRY) < map_part.index("bigpkg/engine.py")
    assert f"    def {BURIED}(self, key)  (line 1580)  ← 92% of samples" in map_part
    assert "\n  class Registry  (line " in map_part
    listed = map_part.count(".py (")
    assert f"Not listed: {len(sources) - listed} more files" in map_part
    assert len(map_part) // 4 <= PlannerConfig().map_tokens + 40
    hot = {"path": REGISTRY, "function": f"Registry.{BURIED}", "share": 0.92}
    assert hot in plan.data["hot"]  # for the coder's map


def test_exploring_tools_run_within_the_step_budget(sources: dict[str, str]) -> None:
    """Read-only exploration: the calls run over the sources, at most `explore_steps` of
    them, and what they found joins the cached prefix of the planning steps."""
    grep = {"calls": [{"tool": "grep", "pattern": f"def {BURIED}", "path": "bigpkg"}]}
    view = {
        "calls": [
            {"tool": "view", "path": REGISTRY, "start": 1580, "end": 1584},
            {"tool": "callers", "name": BURIED},
            {"tool": "definitions", "path": "bigpkg/engine.py"},
        ]
    }
    model = ReplayModel([json.dumps(grep), json.dumps(view), json.dumps(PLAN)])
    request = PlanRequest(task=TASK, profile=profile(), sources=sources, baseline={}, round=1)
    planner = LLMPlanner(model, PlannerConfig(mode="cheap", explore_steps=3))
    [plan] = planner.plan(request)
    explored = plan.data["exploration"]
    assert explored["steps"] == 3 and explored["budget"] == 3
    assert explored["calls"][0] == f"grep(path='bigpkg', pattern='def {BURIED}')"
    assert len(model.calls) == 3  # the third call was the plan: no step was left
    assert [s.name for s in model.schemas if s] == ["planner_reply"] * 3
    assert "calls" in model.schemas[0].schema["properties"]  # type: ignore[union-attr]
    found = model.calls[2][2]
    assert found.cache and found.content.startswith("# What exploring found")
    assert f"{REGISTRY}:1580: def {BURIED}(self, key):" in found.content
    assert " 1581 |         text = " in found.content
    assert f"{REGISTRY}:1574-1578 Registry.lookup" in found.content
    assert "definitions(" not in found.content  # the fourth call was over the budget


@pytest.mark.slow
def test_a_run_on_a_100k_line_repository_edits_the_buried_hot_spot(
    make_repo: Callable[..., Path],
) -> None:
    """The issue-14 "done when", end to end: py-spy finds the function buried in the
    3,000-line file (with its call path), a scripted model names it after one exploring
    step, its edit applies, and the candidate is measured faster; every prompt stays under
    its budget and the exploration is recorded in the store."""
    repo = make_repo(big_repo_files())
    task = load_task(repo)
    store = Store(sqlite_url(repo.parent / "store.db"))
    explore = {"calls": [{"tool": "callers", "name": BURIED}]}
    model = ReplayModel([json.dumps(explore), json.dumps({"calls": []}), json.dumps(PLAN), FIX])
    run_id = store.create_run(
        repo=str(task.repo), base_commit=task.base_ref, task={}, model="replay", sandbox="local"
    ).id
    planner = LLMPlanner(model, PlannerConfig(mode="cheap", explore_steps=2))
    deps = loop_deps(
        store,
        run_id,
        task,
        LocalSandboxFactory(),
        RunConfig(budget=1, plans_per_round=1, max_rounds=1),
        lambda _m: None,
        agents=(planner, LLMCoder(model)),
        measure=MeasureConfig(pairs=10, max_pairs=20, instructions="off"),
    )
    run_loop(run_id, deps)
    baseline = store.run(run_id).baseline  # type: ignore[union-attr]
    hot = {h["function"].rsplit(".", 1)[-1]: h for h in baseline["hotspots"]}
    assert hot[BURIED]["file"] == REGISTRY
    assert any("lookup (bigpkg/core/registry.py" in f for f in hot[BURIED]["path"])
    [cand] = store.candidates(run_id)
    assert f"+{FAST_LOOP.splitlines()[0]}" in cand.diff
    assert cand.status in IMPROVING, cand.reason
    plan_calls, code_calls = model.calls[:3], model.calls[3:]
    assert all(tokens(c) < PLANNER_BUDGET for c in plan_calls)
    assert all(tokens(c) < CODER_BUDGET for c in code_calls)
    [event] = [e for e in store.events(run_id) if e.kind == "explore"]
    assert event.data["steps"] == 1 and event.data["budget"] == 2
