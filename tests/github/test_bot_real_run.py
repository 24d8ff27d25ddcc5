"""The bot end to end with the real `perfagent optimize` subprocess (scripted engine, local
sandbox) on a tiny repository whose workload is slowed by a sleep."""

from __future__ import annotations

import json
import logging
import subprocess
from pathlib import Path

import pytest

from agent.github.runner import subprocess_runner
from tests.conftest import git
from tests.github.conftest import FAST, PROJECT, SECRET, TOKEN, Hub, store_at
from tests.github.test_bot import (
    comment_payload,
    deliver,
    everything_logged_or_stored,
    start_bot,
    wait_done,
)

ROOT = Path(__file__).resolve().parents[2]
NO_SECRETS_BENCH = (
    "import os\n"
    "from calc.core import total\n"
    "leaked = {'GITHUB_TOKEN', 'GH_TOKEN', 'PERFAGENT_WEBHOOK_SECRET'} & set(os.environ)\n"
    "assert not leaked, leaked\n"
    "print(total(range(100)))\n"
)


@pytest.mark.slow
def test_the_bot_runs_a_real_optimize_and_proposes_the_confirmed_speedup(
    hub: Hub,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Guards the real job path: clone of the PR head, `python -m agent optimize --json`
    as a subprocess without the bot's secrets, evidence read back from the store, and a
    follow-up PR whose numbers are the run's."""
    caplog.set_level(logging.INFO)
    git(hub.repo, "checkout", "-q", "-b", "slow-feature")
    (hub.repo / "bench.py").write_text(NO_SECRETS_BENCH)
    git(hub.repo, "add", "-A")
    git(hub.repo, "commit", "-q", "-m", "bench that fails if a bot secret leaks")
    git(hub.repo, "push", "-q", str(hub.bare), "slow-feature")
    head = git(hub.repo, "rev-parse", "HEAD")
    hub.fake.add_pull(7, "slow-feature")
    script = tmp_path / "script.json"
    script.write_text(
        json.dumps(
            {"plans": [{"title": "drop the sleep", "text": "remove the sleep",
                        "files": {"calc/core.py": FAST}}]}
        )
    )  # fmt: skip
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.setenv("PERFAGENT_MAX_ROUNDS", "1")
    store = store_at(tmp_path / "bot.db")
    service = start_bot(
        store,
        tmp_path,
        subprocess_runner,
        sandbox="local",
        model=f"tests.agent.fakes:ScriptedEngine:{script}",
    )
    try:
        reply = deliver(
            service.url, "issue_comment", comment_payload("/perfagent optimize --budget 1")
        )
        assert reply.status_code == 202
        (job,) = wait_done(store)
    finally:
        service.stop()
    assert job.status == "done", job.reason
    run = store.run(job.run_id)
    assert run is not None and run.base_commit == head and run.status == "finished"
    follow_up = hub.fake.pulls[8]
    assert follow_up["base"]["ref"] == "slow-feature"
    assert hub.fake.file_at(follow_up["head"]["ref"], "calc/core.py") == FAST.strip()
    best = store.candidate(run.best_candidate_id or -1)
    assert best is not None
    assert f"**{best.confirmation['ratio']:.3f}**" in follow_up["body"]
    assert "interleaved pairs" in follow_up["body"] and "**Sandbox:** `local`" in follow_up["body"]
    assert TOKEN not in hub.fake.everything_sent_to_us()
    assert TOKEN.encode() not in everything_logged_or_stored(caplog, store)
    assert SECRET.encode() not in everything_logged_or_stored(caplog, store)
    assert (
        subprocess.run(["git", "status", "--porcelain"], cwd=hub.repo, capture_output=True).stdout
        == b""
    )
    assert PROJECT["calc/core.py"] != FAST
