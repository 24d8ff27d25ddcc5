"""A pull request cannot run its own code on the bot's host by planting perfagent's module
names: the optimize child is started isolated, with the checkout as an argument only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from agent.github.runner import subprocess_runner
from agent.selfrun import isolated_env, perfagent_argv
from storage import Store
from storage.jobs import jobs
from tests.conftest import git, write_tree
from tests.github.conftest import Hub, start_bot
from tests.github.test_bot import comment_payload, deliver, wait_done

PLANTED = ("tasks.py", "agent/__init__.py", "agent/__main__.py", "storage/__init__.py",
           "sitecustomize.py")  # fmt: skip


def plant(root: Path, marker: Path) -> None:
    """Modules named like perfagent's that append their own name to `marker` when imported."""
    write_tree(
        root,
        {
            name: f"open({str(marker)!r}, 'a').write({name!r} + '\\n')\n"
            "raise SystemExit('planted code ran')\n"
            for name in PLANTED
        },
    )


def test_planted_modules_would_run_under_the_old_start_and_not_under_the_isolated_one(
    tmp_path: Path,
) -> None:
    """Guards the attack itself and the fix: `python -m agent` started in a checkout that
    plants `agent/` runs the planted code; `perfagent_argv` from the same directory does not."""
    checkout, marker = tmp_path / "checkout", tmp_path / "marker"
    plant(checkout, marker)
    env = isolated_env()
    subprocess.run([sys.executable, "-m", "agent", "--help"], cwd=checkout, env=env,
                   capture_output=True)  # fmt: skip
    assert marker.exists(), "the planted package must be picked up by a non-isolated start"
    marker.unlink()
    proc = subprocess.run(
        perfagent_argv("--help"),
        cwd=checkout,
        env={**env, "PYTHONPATH": str(checkout)},
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert "optimize" in proc.stdout
    assert not marker.exists(), marker.read_text()


@pytest.mark.slow
def test_a_pull_request_planting_perfagents_module_names_never_runs_them(
    hub: Hub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guards the bot's open door (issue 17): a PR adding `tasks.py`, `agent/__main__.py`,
    `storage/__init__.py` and `sitecustomize.py` is fetched and optimized by the real
    runner, and none of them is ever imported on the host (the marker never appears)."""
    marker = tmp_path / "planted-code-ran"
    git(hub.repo, "checkout", "-q", "-b", "planted")
    plant(hub.repo, marker)
    (hub.repo / "bench.py").write_text("raise SystemExit('the workload is broken on purpose')\n")
    git(hub.repo, "add", "-A")
    git(hub.repo, "commit", "-q", "-m", "plant perfagent's module names")
    git(hub.repo, "push", "-q", str(hub.bare), "planted")
    hub.fake.add_pull(7, "planted")
    monkeypatch.setenv("PYTHONPATH", str(hub.repo))  # even this must not put it on the path
    monkeypatch.chdir(hub.repo)
    store = Store(f"sqlite:///{tmp_path / 'bot.db'}")
    service = start_bot(store, tmp_path, subprocess_runner, sandbox="local", model="rules")
    try:
        reply = deliver(service.url, "issue_comment", comment_payload("/perfagent optimize"))
        assert reply.status_code == 202, reply.text
        (job,) = wait_done(store)
    finally:
        service.stop()
    assert not marker.exists(), marker.read_text()
    assert job.status == "failed" and "base is broken" in job.reason, job.reason
    (comment,) = hub.fake.comments.values()
    assert "the workload is broken on purpose" in comment["body"] or "base" in comment["body"]
    assert [j.id for j in jobs(store)] == [job.id]
    assert os.environ["PYTHONPATH"] == str(hub.repo)
