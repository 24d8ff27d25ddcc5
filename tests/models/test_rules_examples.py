"""On each bundled example, the engine's plans (from a hand-written profile naming the hot
functions) include edits that keep the example's tests passing and its output unchanged."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from agent.engines.rules import RulesEngine
from agent.protocols import CodeRequest, Hotspot, HotspotProfile, PlanRequest, Task

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

PROFILES = {
    "inventory": [
        ("keep_allowed", "inventory/catalog.py", 12, 0.34, 0.34),
        ("process_orders", "inventory/restock.py", 17, 0.07, 0.23),
        ("unique", "inventory/restock.py", 33, 0.16, 0.16),
        ("suppliers", "inventory/catalog.py", 21, 0.12, 0.12),
    ],
    "logstats": [
        ("summarize", "logstats/stats.py", 64, 0.0, 0.87),
        ("unique_clients", "logstats/stats.py", 36, 0.62, 0.62),
        ("blocked_hits", "logstats/stats.py", 45, 0.17, 0.17),
        ("parse_line", "logstats/parse.py", 29, 0.04, 0.06),
    ],
}


def sources_of(root: Path, package: str) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text()
        for p in sorted((root / package).rglob("*.py"))
    }


def run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(PROFILES))
def test_best_plans_keep_the_example_correct(name: str, tmp_path: Path) -> None:
    """Guards the examples and the engine together: the top plans must code cleanly, keep the
    example's tests green and its benchmark output identical."""
    root = EXAMPLES / name
    sources = sources_of(root, name)
    prof = HotspotProfile(
        hotspots=tuple(Hotspot(f, file, line, s, t) for f, file, line, s, t in PROFILES[name]),
        samples=500,
    )
    task = Task(task_id=name, repo=root, bench="python bench.py", test="python -m pytest -q tests")
    engine = RulesEngine()
    plans = engine.plan(
        PlanRequest(task=task, profile=prof, sources=sources, baseline={}, n_plans=3)
    )
    assert plans and plans[0].title.startswith("rules: all rewrites in the")
    expected = run([sys.executable, "bench.py"], root)
    assert expected.returncode == 0, expected.stderr
    for plan in plans:
        edit = engine.code(CodeRequest(task=task, plan=plan, sources=sources))
        assert not edit.error and edit.files, plan.title
        copy = tmp_path / f"{name}-{plans.index(plan)}"
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
        for path, text in edit.files.items():
            (copy / path).write_text(text)
        tests = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"], copy)
        assert tests.returncode == 0, f"{plan.title}\n{tests.stdout}\n{tests.stderr}"
        bench = run([sys.executable, "bench.py"], copy)
        assert bench.returncode == 0 and bench.stdout == expected.stdout, plan.title
