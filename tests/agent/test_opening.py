"""The opening plan (`agent.loop.opening`): written from the profile alone, it names the hot
functions of the editable files and nothing else."""

from __future__ import annotations

from pathlib import Path

from agent.loop.opening import SOURCE, opening_plan
from agent.protocols import Hotspot, HotspotProfile, PlanRequest
from tasks.task import Task


def request(hotspots: list[Hotspot]) -> PlanRequest:
    task = Task(task_id="t", repo=Path("."), bench="python bench.py")
    sources = {"pkg/core.py": "def slow(): ...\n", "pkg/io.py": "def read(): ...\n"}
    profile = HotspotProfile(tuple(hotspots), 100)
    return PlanRequest(task=task, profile=profile, sources=sources, baseline={})


def test_the_opening_plan_names_the_hottest_editable_functions() -> None:
    plan = opening_plan(
        request(
            [
                Hotspot("main", "bench.py", 1, 0.0, 1.0),  # not editable: left out
                Hotspot("slow", "pkg/core.py", 3, 0.5, 0.8),
                Hotspot("read", "pkg/io.py", 9, 0.1, 0.2),
            ]
        )
    )
    assert plan is not None and plan.source == SOURCE
    assert plan.targets == ("pkg/core.py:slow", "pkg/io.py:read")
    assert "slow (pkg/core.py:3, 80%)" in plan.text and "bench.py" not in plan.text
    assert "every input" in plan.text  # not the benchmark's input alone


def test_no_opening_plan_without_an_editable_hotspot() -> None:
    assert opening_plan(request([Hotspot("main", "bench.py", 1, 0.0, 1.0)])) is None
    assert opening_plan(request([])) is None
