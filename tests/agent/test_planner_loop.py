"""The real loop with LLMPlanner and LLMCoder, driven by the replay model (no network)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from agent.config import RunConfig
from agent.llm.coder import LLMCoder
from agent.llm.planner import LLMPlanner, PlannerConfig
from agent.loop.graph import run_loop
from agent.models.accounting import BudgetedModel
from agent.models.replay import ReplayModel
from agent.views.summary import run_summary
from agent.wiring import loop_deps
from profilers.config import MeasureConfig
from sandbox.local import LocalSandboxFactory
from storage import Store, sqlite_url
from tasks import load_task

SLOW = "import time\n\n\ndef total(values):\n    time.sleep(0.25)\n    return sum(values)\n"
PROJECT = {
    "calc/__init__.py": "",
    "calc/core.py": SLOW,
    "bench.py": "from calc.core import total\nprint(total(range(100)))\n",
    "tests/test_core.py": "from calc.core import total\n\n\ndef test_total():\n    assert total([1, 2]) == 3\n",
    "pyproject.toml": '[tool.perfagent]\nbench = "python bench.py"\n'
    'test = "python -m pytest -q -p no:cacheprovider tests"\ninclude = ["calc/**/*.py"]\n',
}
PLANS = {
    "observations": [{"id": "O1", "text": "total sleeps 0.25 s per call"}],
    "plans": [
        {
            "title": "Drop the sleep in total",
            "text": "total spends its time in time.sleep; remove it.",
            "targets": ["calc/core.py:total"],
        },
        {
            "title": "Weaken the test",
            "text": "Make the test accept anything.",
            "targets": ["tests/test_core.py:test_total"],
        },
    ],
}
DROP_SLEEP = (
    "calc/core.py\n```python\n<<<<<<< SEARCH\n    time.sleep(0.25)\n    return sum(values)\n"
    "=======\n    return sum(values)\n>>>>>>> REPLACE\n```\n"
)
CHEAT = (
    "tests/test_core.py\n```python\n<<<<<<< SEARCH\n    assert total([1, 2]) == 3\n"
    "=======\n    assert True\n>>>>>>> REPLACE\n```\n"
)


@pytest.mark.slow
def test_replayed_llm_agents_drive_the_loop(make_repo: Callable[..., Path]) -> None:
    """Guards the documented reply contract: one JSON reply plans a round (search mode
    short-circuits on `plans`), SEARCH/REPLACE replies code it, protected files are refused."""
    repo = make_repo(PROJECT)
    task = load_task(repo)
    store = Store(sqlite_url(repo.parent / "store.db"))
    replies = [json.dumps(PLANS), DROP_SLEEP, CHEAT, CHEAT, CHEAT, CHEAT]
    model = BudgetedModel(ReplayModel(replies), max_calls=20)
    run_id = store.create_run(
        repo=str(task.repo), base_commit=task.base_ref, task={}, model="replay", sandbox="local"
    ).id
    deps = loop_deps(
        store,
        run_id,
        task,
        LocalSandboxFactory(),
        RunConfig(budget=2, plans_per_round=2, max_rounds=1),
        lambda _m: None,
        agents=(LLMPlanner(model, PlannerConfig(mode="search")), LLMCoder(model)),
        measure=MeasureConfig(pairs=10, max_pairs=20, instructions="never"),
    )
    run_loop(run_id, deps)
    summary = run_summary(store, run_id)
    by_title = {c["plan_title"]: c for c in summary["candidates"]}
    assert by_title["Drop the sleep in total"]["status"] == "accepted"
    assert by_title["Weaken the test"]["status"] == "edit-failed"
    assert summary["best"]["plan_title"] == "Drop the sleep in total"
    assert model.ledger.calls == 6
