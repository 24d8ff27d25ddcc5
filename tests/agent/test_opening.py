"""The opening plans (`agent.loop.opening`): written from the profile alone, they name the hot
functions of the editable files and nothing else, and take at most half the budget."""

from __future__ import annotations

from pathlib import Path

from agent.loop.evaluation import plan_order
from agent.loop.opening import SOURCE, opening_plans
from agent.loop.planning import plan_row
from agent.protocols import Hotspot, HotspotProfile, PlanRequest
from storage import Store, sqlite_url
from storage.vocabulary import WAITING, Status
from tasks.task import Task

HOT = [
    Hotspot("main", "bench.py", 1, 0.0, 1.0),  # not editable: left out
    Hotspot("slow", "pkg/core.py", 3, 0.5, 0.8),
    Hotspot("read", "pkg/io.py", 9, 0.1, 0.2),
]


def request(hotspots: list[Hotspot]) -> PlanRequest:
    task = Task(task_id="t", repo=Path("."), bench="python bench.py")
    sources = {"pkg/core.py": "def slow(): ...\n", "pkg/io.py": "def read(): ...\n"}
    profile = HotspotProfile(tuple(hotspots), 100)
    return PlanRequest(task=task, profile=profile, sources=sources, baseline={})


def test_the_opening_plan_names_the_hottest_editable_functions() -> None:
    [plan] = opening_plans(request(HOT), budget=2)
    assert plan.source == SOURCE
    assert plan.targets == ("pkg/core.py:slow", "pkg/io.py:read")
    assert "slow (pkg/core.py:3, 80%)" in plan.text and "bench.py" not in plan.text
    assert "every input" in plan.text  # not the benchmark's input alone


def test_a_larger_budget_adds_one_plan_per_hot_function_up_to_half_of_it() -> None:
    together, first, second = opening_plans(request(HOT), budget=8)
    assert together.targets == ("pkg/core.py:slow", "pkg/io.py:read")
    assert (first.targets, second.targets) == (("pkg/core.py:slow",), ("pkg/io.py:read",))
    assert "read" not in first.text and "every input" in second.text
    assert len({p.title for p in (together, first, second)}) == 3  # the duplicate filter keeps all
    assert len(opening_plans(request(HOT), budget=4)) == 2


def test_one_hot_function_gets_one_plan_whatever_the_budget() -> None:
    assert len(opening_plans(request(HOT[:2]), budget=8)) == 1


def test_no_opening_plan_without_an_editable_hotspot() -> None:
    assert opening_plans(request([Hotspot("main", "bench.py", 1, 0.0, 1.0)]), budget=8) == []
    assert opening_plans(request([]), budget=8) == []


def test_of_candidates_coded_at_once_the_first_plans_is_measured_first(tmp_path: Path) -> None:
    """Guards the broad opening plan waiting behind a narrow one whose coder call happened to
    end first (a slow model answers all of them at once): measured first, a winner lets the
    rest be found dominated without paying their trust checks."""
    store = Store(sqlite_url(tmp_path / "store.db"))
    run_id = store.create_run(repo=".", base_commit="b", task={}, model="m", sandbox="local").id
    broad, narrow, later = opening_plans(request(HOT), budget=8)
    ids = store.add_plans(run_id, 1, [plan_row(p, None) for p in (broad, narrow, later)])
    for plan_id in reversed(ids):  # the coder's answers arrive in reverse
        store.add_candidate(run_id, status=Status.CODED, plan_id=plan_id, diff=str(plan_id))
    waiting = store.candidates(run_id, status=WAITING)
    assert [c.plan_id for c in sorted(waiting, key=plan_order)] == ids
