"""The whole loop with the offline `rules` engine on a temporary git repository: py-spy finds
the hot function, the engine plans a rewrite inside it (the annotations are what make
`in allowed` provably a list membership test of hashable ints), and the candidate is tested, measured
and accepted. Guards the seams the replay tests cannot see (real profile → real rewrite)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from agent.config import RunConfig
from agent.engines.rules import RulesEngine
from agent.loop.graph import run_loop
from agent.views.summary import run_summary
from agent.wiring import loop_deps
from profilers.config import MeasureConfig
from sandbox.local import LocalSandboxFactory
from storage import Store, sqlite_url
from tasks import load_task

FILTER = '''def keep(items: list[int], allowed: list[int]) -> list[int]:
    """Items whose code is allowed, in input order."""
    kept = []
    for item in items:
        if item in allowed:
            kept.append(item)
    return kept
'''
BENCH = """import random

from shop.filter import keep

rng = random.Random(7)
allowed = [rng.randrange(50_000) for _ in range(3_000)]
items = [rng.randrange(50_000) for _ in range(6_000)]
print(len(keep(items, allowed)), sum(keep(items, allowed)) % 9973)
"""
TESTS = """from shop.filter import keep


def test_keep_preserves_order_and_duplicates():
    assert keep([3, 1, 3, 2], [3, 2]) == [3, 3, 2]


def test_keep_empty():
    assert keep([], [1]) == [] and keep([1], []) == []
"""
PROJECT = {
    "shop/__init__.py": "",
    "shop/filter.py": FILTER,
    "bench.py": BENCH,
    "tests/test_filter.py": TESTS,
    "pyproject.toml": '[tool.perfagent]\nbench = "python bench.py"\n'
    'test = "python -m pytest -q -p no:cacheprovider tests"\ninclude = ["shop/**/*.py"]\n'
    'bench_files = ["bench.py"]\n',
}


@pytest.mark.slow
@pytest.mark.pyspy
def test_rules_engine_finds_and_the_loop_accepts_a_real_rewrite(
    make_repo: Callable[..., Path],
) -> None:
    repo = make_repo(PROJECT)
    task = load_task(repo)
    store = Store(sqlite_url(repo.parent / "store.db"))
    run_id = store.create_run(
        repo=str(task.repo), base_commit=task.base_ref, task={}, model="rules", sandbox="local"
    ).id
    engine = RulesEngine()
    deps = loop_deps(
        store,
        run_id,
        task,
        LocalSandboxFactory(),
        RunConfig(budget=2, plans_per_round=2, max_rounds=1),
        lambda _m: None,
        agents=(engine, engine),
        measure=MeasureConfig(pairs=10, max_pairs=20, instructions="never"),
    )
    run_loop(run_id, deps)

    run = store.run(run_id)
    assert run is not None
    hot = [h["function"] for h in run.baseline["hotspots"]]
    assert "keep" in hot  # the profile, not a hint, led the engine to the function
    summary = run_summary(store, run_id)
    best = summary["best"]
    assert summary["status"] == "finished", summary["reason"]
    assert best["tests_passed"] and best["equivalent"] is not False
    assert "shop/filter.py" in best["diff"] and "bench.py" not in best["diff"]
    assert best["ci_high"] < 1.0
    assert "keep" in best["plan"]  # the plan names the hot function it rewrites
