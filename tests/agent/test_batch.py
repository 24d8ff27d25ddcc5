"""`perfagent batch` on a real local Ray instance: bad input, kill, rerun, predictions, score."""

from __future__ import annotations

import contextlib
import json
import os
import runpy
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from storage import Store, sqlite_url
from tasks.predictions import read_predictions, validation_errors

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "tasks"
pytestmark = pytest.mark.slow
DONE = ("finished", "no-improvement", "failed")


def tagged_pids(tag: str) -> list[int]:
    """Processes (ours) whose environment carries `tag`: the driver and everything Ray spawned."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if tag.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def kill_tagged(tag: str) -> None:
    for pid in tagged_pids(tag):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


@pytest.fixture
def setup(tmp_path: Path) -> dict[str, Any]:
    make = runpy.run_path(str(EXAMPLES / "make_repos.py"))
    mirror = tmp_path / "mirror"
    make["build_all"](mirror)
    good = (EXAMPLES / "native.jsonl").read_text()
    first = json.loads(good.splitlines()[0])
    bad = [
        {"instance_id": "unknown-repo", "repo": "nobody/nothing", "bench": "true"},
        {**first, "instance_id": "install-fails", "install": ["exit 7"]},
        {"instance_id": "no-bench", "repo": "perfagent-examples/stats"},
    ]
    tasks = tmp_path / "tasks.jsonl"
    tasks.write_text(good + "".join(json.dumps(r) + "\n" for r in bad))
    script = tmp_path / "script.json"
    script.write_text(
        json.dumps(
            {
                "plans": [
                    {"title": "compute the mean once", "text": "hoist mean()",
                     "files": {"stats.py": make["STATS_FAST"]}},
                    {"title": "seen-set membership", "text": "a set for membership",
                     "files": {"dedupe/__init__.py": make["DEDUPE_FAST"]}},
                ]
            }
        )
    )  # fmt: skip
    db = tmp_path / "batch.db"
    argv = [
        sys.executable, "-m", "agent", "batch", str(tasks), "--format", "native",
        "--repo-cache", str(mirror), "--work-dir", str(tmp_path / "ws"), "--no-clone",
        "--db", str(db), "--sandbox", "local", "--workers", "2", "--budget", "2",
        "--model", f"tests.agent.fakes:ScriptedEngine:{script}",
        "--predictions", str(tmp_path / "preds.jsonl"), "--json",
    ]  # fmt: skip
    return {"argv": argv, "db": db, "tmp": tmp_path}


def runs_by_instance(db: Path) -> dict[str, list[Any]]:
    store = Store(sqlite_url(db))
    try:
        out: dict[str, list[Any]] = {}
        for run in store.runs(limit=1000):
            out.setdefault(run.config["batch"]["instance_id"], []).append(run)
        return out
    finally:
        store.close()


def test_killed_batch_reruns_only_unfinished_instances(setup: dict[str, Any]) -> None:
    """Guards resumability: after a SIGKILL mid-batch, a rerun reports finished instances from
    the store without redoing them, resumes the interrupted ones, and every instance ends
    with exactly one run; bad instances get their own status and do not stop the batch."""
    tag = f"PERFAGENT_BATCH_TEST={uuid.uuid4().hex}"
    key, value = tag.split("=")
    env = {**os.environ, key: value}
    driver = subprocess.Popen(
        setup["argv"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    first_done: dict[str, str] = {}
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and driver.poll() is None:
            time.sleep(1)
            if not setup["db"].exists():
                continue
            runs = runs_by_instance(setup["db"])
            done = {
                i: r[0].id for i, r in runs.items() if r[0].status in DONE and i != "install-fails"
            }
            if done and any(r[0].status == "running" for r in runs.values()):
                first_done = done
                break
        assert driver.poll() is None, "the batch ended before it could be killed"
        assert first_done, "no instance finished in time"
    finally:
        kill_tagged(value)
        driver.wait(timeout=60)
    time.sleep(1)
    assert tagged_pids(value) == []

    rerun = subprocess.run(setup["argv"], cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert "Traceback" not in rerun.stderr
    lines = [json.loads(line) for line in rerun.stdout.splitlines()]
    *rows, last = lines
    by_id = {r["instance_id"]: r for r in rows}
    assert all("accepted" in r and "expert_speedup" in r and "verdict" in r for r in rows)
    for instance_id, run_id in first_done.items():
        assert by_id[instance_id]["skipped"] is True
        assert by_id[instance_id]["run_id"] == run_id
    runs = runs_by_instance(setup["db"])
    for instance_id in ("stats-variance", "dedupe-unique", "dedupe-unique-fork"):
        assert len(runs[instance_id]) == 1, instance_id  # resumed, never restarted
        assert runs[instance_id][0].status in DONE
        assert by_id[instance_id]["status"] in (*DONE, "baseline-broken")
    assert by_id["unknown-repo"]["status"] == "repo-missing"
    assert by_id["install-fails"]["status"] == "install-failed"
    assert by_id["no-bench"]["status"] == "malformed"
    assert last["summary"]["tasks"] == 6
    assert last["summary"]["skipped"] >= len(first_done)
    preds = read_predictions(setup["tmp"] / "preds.jsonl")
    assert validation_errors(preds, "native") == []
    assert {p["instance_id"] for p in preds} == {
        "stats-variance", "dedupe-unique", "dedupe-unique-fork", "unknown-repo", "install-fails",
    }  # fmt: skip
    for p in preds:
        accepted = by_id[p["instance_id"]].get("accepted")
        assert bool(p["model_patch"]) == bool(accepted)
