"""`perfagent optimize` as users run it: JSON contract, apply, interruption and resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from storage import Store, sqlite_url
from tests.agent.test_loop import PROJECT, SCRIPT

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, cwd: Path = ROOT) -> list[str]:
    return [sys.executable, "-m", "agent", *args]


def scripted(tmp_path: Path, plans: list[dict[str, object]], sleep: float = 0) -> str:
    path = tmp_path / "script.json"
    path.write_text(json.dumps({"plans": plans, "sleep": sleep}))
    return f"tests.agent.fakes:ScriptedEngine:{path}"


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "PERFAGENT_MAX_ROUNDS": "1"}


@pytest.mark.slow
def test_optimize_json_contract_and_apply(make_repo: Callable[..., Path], tmp_path: Path) -> None:
    repo = make_repo(PROJECT)
    model = scripted(tmp_path, SCRIPT["plans"][1:2])
    proc = subprocess.run(
        cli("optimize", str(repo), "--model", model, "--sandbox", "local", "--json"),
        capture_output=True,
        text=True,
        env=env(),
        cwd=ROOT,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert {"run_id", "status", "baseline", "best", "pareto", "candidates_evaluated", "llm"} <= set(
        out
    )
    best = out["best"]
    assert {
        "candidate_id",
        "plan",
        "diff",
        "runtime_ratio",
        "ci_low",
        "ci_high",
        "instructions_ratio",
        "tests_passed",
    } <= set(best)
    assert best["tests_passed"] is True and best["ci_high"] < 1
    assert set(out["llm"]) == {
        "calls",
        "input_tokens",
        "output_tokens",
        "cached_input_tokens",
        "cache_write_tokens",
        "cost_usd",
    }
    db = repo / ".perfagent" / "perfagent.db"
    assert db.exists()
    assert (
        subprocess.run(
            ["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True
        ).stdout
        == ""
    )  # the store is kept out of git
    applied = subprocess.run(
        cli("apply", out["run_id"]), cwd=repo, env=env(), capture_output=True, text=True
    )
    assert applied.returncode == 0, applied.stderr
    assert "sleep" not in (repo / "calc" / "core.py").read_text()


@pytest.mark.slow
def test_baseline_failure_exits_3_with_the_tail(
    make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    files = dict(PROJECT)
    files["tests/test_core.py"] = "def test_fails():\n    assert False, 'BROKEN-BASELINE'\n"
    repo = make_repo(files)
    proc = subprocess.run(
        cli("optimize", str(repo), "--model", scripted(tmp_path, []), "--sandbox", "local"),
        capture_output=True,
        text=True,
        env=env(),
        cwd=ROOT,
        timeout=300,
    )
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr
    assert "the tests fail before any edit" in proc.stderr
    assert "BROKEN-BASELINE" in proc.stderr


@pytest.mark.slow
def test_killed_run_is_listed_interrupted_and_resumes(
    make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = make_repo(PROJECT)
    db = tmp_path / "p.db"
    model = scripted(tmp_path, SCRIPT["plans"][1:2], sleep=3)
    proc = subprocess.Popen(
        cli("optimize", str(repo), "--model", model, "--sandbox", "local", "--db", str(db)),
        env=env(),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    store = None
    while time.monotonic() < deadline:
        time.sleep(0.5)
        if db.exists():
            store = Store(sqlite_url(db))
            found = store.runs()
            if found and found[0].baseline:
                break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert store is not None
    listing = subprocess.run(
        cli("runs", "--db", str(db)), capture_output=True, text=True, env=env(), cwd=ROOT
    )
    assert "interrupted" in listing.stdout
    run_id = listing.stdout.split()[0]
    resumed = subprocess.run(
        cli("resume", run_id, "--db", str(db), "--sandbox", "local", "--json"),
        capture_output=True,
        text=True,
        env=env(),
        cwd=ROOT,
        timeout=600,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads(resumed.stdout)["status"] == "finished"
    baseline_trials = [t for t in Store(sqlite_url(db)).trials(run_id) if t.phase == "baseline"]
    assert len(baseline_trials) == 3  # the baseline was not measured again
