"""The whole loop on a real git repository, with a scripted planner and coder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from agent.config import RunConfig
from agent.loop.graph import run_loop
from agent.protocols import Measurement, Profiler
from agent.views.summary import run_summary
from agent.wiring import loop_deps
from profilers import session
from profilers.config import MeasureConfig
from profilers.verdicts import Verdict
from sandbox.local import LocalSandboxFactory
from storage import Store, sqlite_url
from tasks import load_task
from tests.agent.fakes import ScriptedEngine

SLOW = """import time


def total(values):
    time.sleep(0.25)
    return sum(values)
"""
FAST = """def total(values):
    return sum(values)
"""
WRONG = """def total(values):
    return sum(values) + 1
"""
RAISES = """def total(values):
    raise ValueError("oops")
"""
PROJECT = {
    "calc/__init__.py": "",
    "calc/core.py": SLOW,
    "bench.py": "from calc.core import total\nprint(total(range(100)))\n",
    "tests/test_core.py": "from calc.core import total\n\n\ndef test_total():\n    assert total([1, 2]) == 3\n",
    "pyproject.toml": '[tool.perfagent]\nbench = "python bench.py"\n'
    'test = "python -m pytest -q -p no:cacheprovider tests"\ninclude = ["calc/**/*.py"]\n',
}

SCRIPT = {
    "plans": [
        {"title": "off by one", "text": "add one", "files": {"calc/core.py": WRONG}},
        {"title": "drop the sleep", "text": "remove sleep", "files": {"calc/core.py": FAST}},
        {"title": "raise", "text": "raise", "files": {"calc/core.py": RAISES}},
        {"title": "edit the tests", "text": "cheat", "files": {"tests/test_core.py": "x = 1\n"}},
    ]
}


def run(
    repo: Path,
    script: dict[str, object],
    budget: int = 4,
    patience: int = 5,
    engine: ScriptedEngine | None = None,
    plans_per_round: int = 4,
    max_rounds: int = 1,
    measure: MeasureConfig | None = None,
    progress: Callable[[str], None] = lambda _m: None,
    wrap: Callable[[Any], None] = lambda _deps: None,
) -> tuple[Store, str]:
    task = load_task(repo)
    store = Store(sqlite_url(repo.parent / "store.db"))
    engine = engine or ScriptedEngine(script)
    run_id = store.create_run(
        repo=str(task.repo), base_commit=task.base_ref, task={}, model="scripted", sandbox="local"
    ).id
    deps = loop_deps(
        store,
        run_id,
        task,
        LocalSandboxFactory(),
        RunConfig(
            budget=budget, plans_per_round=plans_per_round, max_rounds=max_rounds, patience=patience
        ),
        progress,
        agents=(engine, engine),
        measure=measure or MeasureConfig(pairs=10, max_pairs=20, instructions="never"),
    )
    wrap(deps)
    run_loop(run_id, deps)
    return store, run_id


@pytest.mark.slow
def test_loop_accepts_the_real_speedup_and_rejects_the_rest(
    make_repo: Callable[..., Path],
) -> None:
    repo = make_repo(PROJECT)
    store, run_id = run(repo, SCRIPT)
    summary = run_summary(store, run_id)
    by_title = {c["plan_title"]: c for c in summary["candidates"]}
    assert by_title["drop the sleep"]["status"] == "accepted"
    assert by_title["drop the sleep"]["ci_high"] < 1
    assert by_title["off by one"]["status"] == "tests-failed"
    assert by_title["raise"]["status"] == "tests-failed"
    assert by_title["raise"]["tests_passed"] is False
    assert by_title["edit the tests"]["status"] == "edit-failed"
    assert summary["status"] == "finished"
    assert summary["best"]["plan_title"] == "drop the sleep"
    assert summary["best"]["diff"].startswith("diff --git")
    assert [c["candidate_id"] for c in summary["pareto"]] == [summary["best"]["candidate_id"]]
    raw = store.trials(run_id, summary["best"]["candidate_id"])
    assert {t.phase for t in raw} >= {"evaluate", "confirm"}
    assert all(t.env for t in raw if t.metric == "walltime_s" and t.phase == "evaluate")


@pytest.mark.slow
def test_loop_says_plainly_when_nothing_is_faster(make_repo: Callable[..., Path]) -> None:
    repo = make_repo(PROJECT)
    script = {
        "plans": [
            SCRIPT["plans"][0],
            {
                "title": "noop",
                "text": "rename",
                "files": {"calc/core.py": SLOW.replace("values", "vals")},
            },
        ]
    }
    store, run_id = run(repo, script, budget=2)
    summary = run_summary(store, run_id)
    assert summary["status"] == "no-improvement"
    assert summary["best"] is None
    assert {c["status"] for c in summary["candidates"]} <= {
        "broken",
        "tests-failed",
        "same",
        "slower",
    }


def test_loop_stops_once_patience_runs_out(make_repo: Callable[..., Path]) -> None:
    """Guards against spending the whole budget (and the model's calls) after the search has
    stopped adding anything to the front: two broken candidates in a row end a patience-2 run
    before the third plan is coded."""
    repo = make_repo(PROJECT)
    script = {"plans": [SCRIPT["plans"][0], SCRIPT["plans"][2], SCRIPT["plans"][1]]}
    store, run_id = run(repo, script, budget=3, patience=2)
    summary = run_summary(store, run_id)
    assert [c["status"] for c in summary["candidates"]] == ["tests-failed", "tests-failed"]
    assert summary["status"] == "no-improvement"
    assert summary["reason"].startswith("converged: the last 2 candidates")


@pytest.mark.slow
def test_a_later_round_builds_on_the_improving_candidate(make_repo: Callable[..., Path]) -> None:
    """Guards against every round starting from the base again, so gains never compound: round
    two plans and codes on top of round one's faster candidate, and its diff (against the base)
    carries both changes."""
    documented = '"""Totals."""\n\n\n' + FAST
    script = {
        "rounds": [
            [SCRIPT["plans"][1]],
            [{"title": "document", "text": "docstring", "files": {"calc/core.py": documented}}],
        ]
    }
    engine = ScriptedEngine(script)
    repo = make_repo(PROJECT)
    store, run_id = run(repo, script, budget=2, engine=engine, plans_per_round=1, max_rounds=2)
    first, second = store.candidates(run_id)
    assert first.parent_id is None and second.parent_id == first.id
    assert engine.requests[1].sources["calc/core.py"] == FAST  # it saw the parent's code
    assert "-    time.sleep(0.25)" in second.diff and '+"""Totals."""' in second.diff
    assert second.tests_passed


@pytest.mark.valgrind
@pytest.mark.slow
def test_only_the_front_is_counted_and_before_confirmation(
    make_repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """instructions = "auto" (guards verdicts that wait for valgrind): the faster candidate
    on the front is counted at the finish, before its confirmation, and its counts are kept
    as trials; a candidate whose tests fail is never counted. On one core (with a spare one
    it is counted beside its checks instead: tests/profilers/test_count_beside.py)."""
    monkeypatch.setattr(session, "spare_core", lambda: False)
    seen: list[str] = []
    store, run_id = run(
        make_repo(PROJECT),
        {"plans": [SCRIPT["plans"][1], SCRIPT["plans"][0]]},
        budget=2,
        patience=0,
        measure=MeasureConfig(pairs=6, max_pairs=10, min_sample_s=0.05),
        progress=seen.append,
    )
    cands = store.candidates(run_id)
    [won] = [c for c in cands if c.status == "accepted"]
    assert won.instructions_ratio is not None and won.instructions_ratio < 1
    [failed] = [c for c in cands if c.id != won.id]
    assert failed.status == "tests-failed" and failed.instructions_ratio is None
    counted = seen.index(f"counting candidate {won.id} (on the front)")
    verdict = next(i for i, m in enumerate(seen) if m.startswith(f"  candidate {won.id}: faster"))
    confirming = seen.index(f"confirming candidate {won.id} from scratch")
    assert verdict < counted < confirming
    phases = {t.phase for t in store.trials(run_id, won.id)}
    assert phases >= {"evaluate", "count", "confirm"}


class TurnsAway:
    """The real profiler, but the confirmation of `patch` says "same" (a winner whose first
    verdict was luck): what the finish does next is under test, not the timing."""

    def __init__(self, inner: Profiler, patch: Callable[[str], bool]) -> None:
        self.inner, self.patch, self.turned_away = inner, patch, 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def confirm(self, patch: str, progress: Callable[[str], None]) -> Measurement:
        again = self.inner.confirm(patch, progress)
        if not self.patch(patch):
            return again
        self.turned_away += 1
        return replace(again, verdict=Verdict.SAME, reason="same: turned away by the test")


@pytest.mark.slow
def test_a_winner_turned_away_gives_the_candidates_it_dominated_their_turn(
    make_repo: Callable[..., Path],
) -> None:
    """Guards against a run that ends with nothing when its best candidate does not hold up
    on re-measurement: the faster candidate it dominated is confirmed and accepted then."""
    task_repo = make_repo(PROJECT)
    less = SLOW.replace("time.sleep(0.25)", "time.sleep(0.08)")
    script = {
        "plans": [
            {"title": "drop the sleep", "text": "x", "files": {"calc/core.py": FAST}},
            {"title": "sleep less", "text": "x", "files": {"calc/core.py": less}},
        ]
    }
    wrapped: list[TurnsAway] = []

    def wrap(deps: Any) -> None:
        deps.profiler = TurnsAway(deps.profiler, lambda diff: "time.sleep(0.08)" not in diff)
        wrapped.append(deps.profiler)

    store, run_id = run(task_repo, script, budget=2, patience=0, wrap=wrap)
    status = {c.plan_id: c.status for c in store.candidates(run_id)}
    titles = {p.id: p.title for p in store.plans(run_id)}
    by_title = {titles[pid]: s for pid, s in status.items()}
    assert by_title == {"drop the sleep": "unconfirmed", "sleep less": "accepted"}
    assert wrapped[0].turned_away == 1
