"""Held-out workloads (issue 12 item 3): a winner must not be slower on any of them, they
show in `show`, and they never reach a model: neither the planner's nor the coder's prompt
names a held-out command or file, not even after a candidate was rejected on one."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli import app
from agent.config import RunConfig
from agent.llm.coder import LLMCoder
from agent.llm.planner import LLMPlanner, PlannerConfig
from agent.loop.baseline import load_profile
from agent.loop.graph import run_loop
from agent.loop.planning import outcome_of
from agent.models.replay import ReplayModel
from agent.protocols import CodeRequest, HotspotProfile, Message, PlanRequest
from agent.views.summary import run_summary
from agent.wiring import checkout_for, loop_deps
from profilers.config import MeasureConfig
from sandbox.local import LocalSandboxFactory
from storage import Store, sqlite_url
from tasks import Task, load_task
from tests.agent.fakes import ScriptedEngine

HOLDOUT = "python holdout_check.py --seed 7"
HIDDEN = ("holdout_check", "--seed 7", "seed 7")
SLOW = """import time


def work(n, seed):
    time.sleep(0.2)
    return sum((i * seed) % 7 for i in range(n))
"""
OVERFIT = SLOW.replace("    time.sleep(0.2)\n", "    if seed != 1:\n        time.sleep(0.4)\n")
FAST = SLOW.replace("    time.sleep(0.2)\n", "")
PROJECT = {
    "calc/__init__.py": "",
    "calc/core.py": SLOW,
    "bench.py": "from calc.core import work\nprint(work(1000, 1))\n",
    "holdout_check.py": "import sys\nfrom calc.core import work\n\n"
    "print(work(1000, int(sys.argv[sys.argv.index('--seed') + 1])))\n",
    "tests/test_core.py": "from calc.core import work\n\n\ndef test_work():\n"
    "    assert work(10, 1) == 24\n",
    "pyproject.toml": '[tool.perfagent]\nbench = "python bench.py"\n'
    'test = "python -m pytest -q -p no:cacheprovider tests"\n'
    f'include = ["calc/**/*.py"]\nholdout = ["{HOLDOUT}"]\n',
}
SCRIPT = {
    "plans": [
        {
            "title": "skip the wait for seed 1",
            "text": "fast path",
            "files": {"calc/core.py": OVERFIT},
        },
        {"title": "drop the sleep", "text": "remove the sleep", "files": {"calc/core.py": FAST}},
    ]
}
CHEAP = json.dumps(
    {
        "observations": [{"id": "O1", "text": "work sleeps"}],
        "plans": [{"title": "Sum with a generator of ints", "text": "rewrite the sum in work"}],
    }
)
EDIT = (
    "calc/core.py\n```python\n<<<<<<< SEARCH\n    time.sleep(0.2)\n=======\n"
    "    pass\n>>>>>>> REPLACE\n```"
)


def text_of(calls: list[list[Message]]) -> str:
    return "\n".join(m.content for call in calls for m in call)


def prompts(task: Task, request: PlanRequest) -> str:
    """What the LLM planner and coder send for this request (replay model, real templates)."""
    planner_model, coder_model = ReplayModel([CHEAP]), ReplayModel([EDIT])
    [plan] = LLMPlanner(planner_model, PlannerConfig(mode="cheap")).plan(request)
    edit = LLMCoder(coder_model).code(CodeRequest(task=task, plan=plan, sources=request.sources))
    assert edit.error == "", edit.error
    return text_of(planner_model.calls) + "\n" + text_of(coder_model.calls)


def test_prompts_never_name_a_holdout(make_repo: Callable[..., Path]) -> None:
    """Guards the held-out workloads' point: a model that saw them could tune for them too."""
    task = load_task(make_repo(PROJECT))
    assert task.holdouts and task.bench == "python bench.py"
    sources = checkout_for(task).sources()
    assert set(sources) == {"calc/__init__.py", "calc/core.py"}
    request = PlanRequest(
        task=task, profile=HotspotProfile(hotspots=(), samples=0), sources=sources, baseline={}
    )
    text = prompts(task, request)
    assert "python bench.py" in text and "calc/core.py" in text
    assert not [word for word in HIDDEN if word in text]


@pytest.mark.slow
def test_a_candidate_slower_on_a_holdout_is_overfit_and_stays_unnamed(
    make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = make_repo(PROJECT)
    task = load_task(repo)
    db = tmp_path / "store.db"
    store = Store(sqlite_url(db))
    run_id = store.create_run(
        repo=str(task.repo), base_commit=task.base_ref, task={}, model="scripted", sandbox="local"
    ).id
    engine = ScriptedEngine(SCRIPT)
    deps = loop_deps(
        store, run_id, task, LocalSandboxFactory(),
        RunConfig(budget=2, plans_per_round=2, max_rounds=1, confirm_top=1), lambda _m: None,
        agents=(engine, engine), measure=MeasureConfig(instructions="off", memory=False),
    )  # fmt: skip
    run_loop(run_id, deps)
    summary = run_summary(store, run_id)
    by_title = {c["plan_title"]: c for c in summary["candidates"]}
    overfit, good = by_title["skip the wait for seed 1"], by_title["drop the sleep"]
    assert overfit["status"] == "overfit", overfit["reason"]
    # Its fast path is keyed on an argument, so the generalization check (nearby inputs)
    # rejects it before the held-out workload is timed; `judge_suite`'s own tests cover a
    # slower holdout rejecting (tests/profilers/test_suite_rule.py).
    checks = {c["name"]: c for c in store.candidate(overfit["candidate_id"]).measurement["checks"]}
    caught = [c for c in checks.values() if c["passed"] is False]
    assert [c["rejects"] for c in caught] == ["overfit"]
    assert caught[0]["name"] in ("generalization", "holdout")
    assert good["status"] == "accepted", good["reason"]
    [held] = [w for w in good["workloads"] if w["role"] == "holdout"]
    assert held["name"] == HOLDOUT and held["verdict"] in ("faster", "same")
    shown = CliRunner().invoke(app, ["show", run_id, "--db", str(db)])
    assert "overfit" in shown.output and HOLDOUT in shown.output
    # The next round's prompts: the overfit outcome is there, the holdout is not.
    titles = {p.id: p.title for p in store.plans(run_id)}
    cands = store.candidates(run_id)
    request = PlanRequest(
        task=task,
        profile=load_profile(store, run_id),
        sources=checkout_for(task).sources(),
        baseline=store.run(run_id).baseline,  # type: ignore[union-attr]
        history=[outcome_of(c, titles.get(c.plan_id or -1, "")) for c in cands],
    )
    text = prompts(task, request)
    assert "skip the wait for seed 1" in text and "held-out" in text
    assert not [word for word in HIDDEN if word in text]
