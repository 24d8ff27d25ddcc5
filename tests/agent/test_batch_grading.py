"""Grading batch results with each benchmark's metric, and the batch summary's score."""

from __future__ import annotations

import json
import runpy
from pathlib import Path
from typing import Any

import pytest

from agent.batch.driver import summarize
from agent.batch.validate import ValidateConfig
from agent.batch.worker import grade_patch
from sandbox.local import LocalSandboxFactory
from tasks.formats import build_task, parse_records
from tasks.repos import RepoConfig

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "tasks"


def test_summary_scores_follow_each_benchmark() -> None:
    """Opt@1 counts only opt_commit over all instances; SWE-fficiency counts ungraded ones at
    1/gold; SWE-Perf divides summed deltas by every instance."""
    rows: list[dict[str, Any]] = [
        {
            "instance_id": "a",
            "status": "finished",
            "accepted": True,
            "grade": {"opt_commit": True, "opt_base": True},
        },
        {
            "instance_id": "b",
            "status": "finished",
            "accepted": True,
            "grade": {"opt_commit": False, "opt_base": True},
        },
        {"instance_id": "c", "status": "repo-missing"},
        {"instance_id": "d", "status": "no-improvement", "skipped": True},
    ]
    s = summarize("gso", rows)
    assert s["score"] == {"opt@1": 25.0, "opt_base": 2}
    assert s["accepted"] == 2 and s["skipped"] == 1 and s["statuses"]["finished"] == 2
    sf: list[dict[str, Any]] = [
        {
            "instance_id": "a",
            "status": "finished",
            "grade": {"speedup_ratio": 0.5},
            "expert_speedup": 4.0,
        },
        {"instance_id": "b", "status": "no-improvement", "expert_speedup": 4.0},
    ]
    assert summarize("swefficiency", sf)["score"]["hm_speedup_ratio"] == pytest.approx(2 / (2 + 4))
    sp: list[dict[str, Any]] = [
        {"instance_id": "a", "status": "finished", "grade": {"metric": {"delta": 0.3}}},
        {"instance_id": "b", "status": "failed"},
    ]
    assert summarize("sweperf", sp)["score"]["performance"] == pytest.approx(0.15)


@pytest.mark.slow
def test_gso_patch_is_graded_against_base_and_expert(tmp_path: Path) -> None:
    """Guards batch grading: hidden tests injected at evaluation time, base/patch/expert timed
    together, GSO's opt_base and HM vs expert computed; a wrong patch is broken."""
    runpy.run_path(str(EXAMPLES / "make_repos.py"))["build_all"](tmp_path / "mirror")
    record = json.loads((EXAMPLES / "gso.jsonl").read_text().splitlines()[0])
    [loaded] = parse_records([record], "gso")
    assert loaded.instance is not None
    config = RepoConfig(work_dir=tmp_path / "ws", cache_dir=tmp_path / "mirror", allow_clone=False)
    task, ws = build_task(loaded.instance, config)
    factory = LocalSandboxFactory()
    grading = ValidateConfig(iterations=5)
    good = grade_patch(loaded.instance, task, factory, loaded.instance.expert_patch, grading, print)
    assert good["status"] == "ok" and good["verdict"] == "faster"
    assert good["opt_base"] is True and good["metric"]["gm_speedup"] > 1.2
    assert isinstance(good["hm_vs_expert"], float) and good["hm_vs_expert"] > 0.5
    assert not list(ws.path.rglob("gso_test_*"))  # hidden tests never entered the workspace
    wrong = (EXAMPLES / "gso_broken_expert.json").read_text()
    wrong_diff = json.loads(wrong)[0]["gt_diff"]
    bad = grade_patch(loaded.instance, task, factory, wrong_diff, grading, print)
    assert bad["verdict"] == "broken" and "opt_commit" not in bad
