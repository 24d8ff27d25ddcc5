"""SIGKILL at several points of one optimize run; every resume re-measures nothing finished.

Guards against: a resumed run measuring a finished candidate again (wasted time and a second
sample that could flip its verdict), losing a finished candidate, and a resumed run ending on
a different Pareto front than an uninterrupted one with the same replay script.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from agent.views.summary import EVALUATED
from storage import Store, sqlite_url
from tests.agent.test_cli_run import ROOT, cli, env, scripted
from tests.agent.test_loop import FAST, PROJECT, RAISES, WRONG

PLANS = [
    {"title": "drop the sleep", "text": "remove sleep", "files": {"calc/core.py": FAST}},
    {"title": "off by one", "text": "add one", "files": {"calc/core.py": WRONG}},
    {"title": "raise", "text": "raise", "files": {"calc/core.py": RAISES}},
]
Probe = Callable[[Store], bool]


def in_llm_call(store: Store) -> bool:
    """The baseline is done and the (slow, scripted) planner has not answered yet."""
    runs = store.runs()
    return bool(runs and runs[0].baseline and not store.plans(runs[0].id))


def in_measurement(store: Store) -> bool:
    runs = store.runs()
    return bool(runs and store.candidates(runs[0].id, status=("evaluating",)))


def between_candidates(store: Store) -> bool:
    """One candidate finished; the next is not being measured yet (the coder is busy)."""
    runs = store.runs()
    if not runs:
        return False
    cands = store.candidates(runs[0].id)
    done = [c for c in cands if c.status in EVALUATED]
    return len(done) == 1 and not any(c.status in ("coded", "evaluating") for c in cands)


def kill_when(cmd: list[str], db: Path, probe: Probe, what: str) -> None:
    proc = subprocess.Popen(
        cmd, env=env(), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if db.exists() and probe(Store(sqlite_url(db))):
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
                return
            time.sleep(0.1)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    pytest.fail(f"the run ended (exit {proc.returncode}) before it was {what}")


def finished(store: Store, run_id: str) -> dict[int, tuple[str, int]]:
    """Each finished candidate: its verdict and how many evaluation trials it has.

    "faster" is reported as such even once confirmation has made it accepted or
    unconfirmed: that step comes after the evaluation and is not a re-measurement."""
    out = {}
    for c in store.candidates(run_id):
        if c.status not in EVALUATED:
            continue
        verdict = "faster" if c.status in ("accepted", "unconfirmed") else c.status
        trials = [t for t in store.trials(run_id, c.id) if t.phase == "evaluate"]
        out[c.id] = (verdict, len(trials))
    return out


def front(store: Store, run_id: str) -> set[str]:
    titles = {p.id: p.title for p in store.plans(run_id)}
    return {titles[c.plan_id or -1] for c in store.candidates(run_id, status=("accepted",))}


@pytest.mark.slow
def test_sigkill_at_several_points_then_resume_matches_an_uninterrupted_run(
    make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = make_repo(PROJECT)
    model = scripted(tmp_path, PLANS, sleep=2)
    optimize = ["optimize", str(repo), "--model", model, "--sandbox", "local"]

    ref_db = tmp_path / "ref.db"
    ref = subprocess.run(
        cli(*optimize, "--db", str(ref_db), "--json"),
        env=env(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert ref.returncode == 0, ref.stderr
    ref_store = Store(sqlite_url(ref_db))
    ref_run = json.loads(ref.stdout)["run_id"]

    db = tmp_path / "p.db"
    kill_when(cli(*optimize, "--db", str(db)), db, in_llm_call, "in an LLM call")
    run_id = Store(sqlite_url(db)).runs()[0].id
    resume = cli("resume", run_id, "--db", str(db), "--sandbox", "local")
    seen: dict[int, tuple[str, int]] = {}
    for probe, what in ((in_measurement, "measuring"), (between_candidates, "between candidates")):
        kill_when(resume, db, probe, what)
        now = finished(Store(sqlite_url(db)), run_id)
        assert {k: now[k] for k in seen} == seen  # nothing finished was measured again
        assert all(n > 0 for _, n in now.values())
        seen = now
    assert seen, "no candidate had finished at the last kill"

    done = subprocess.run(
        [*resume, "--json"], env=env(), cwd=ROOT, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stderr
    store = Store(sqlite_url(db))
    final = finished(store, run_id)
    assert {k: final[k] for k in seen} == seen
    assert len([t for t in store.trials(run_id) if t.phase == "baseline"]) == 3
    assert front(store, run_id) == front(ref_store, ref_run) == {"drop the sleep"}
    statuses = {c.status for c in store.candidates(run_id)}
    assert "evaluating" not in statuses and "coded" not in statuses
