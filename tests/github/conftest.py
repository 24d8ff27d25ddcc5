"""Fixtures for the PR bot: a loopback GitHub backed by a bare repo, and stored runs."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from agent.github.config import BotConfig, GitHubConfig
from agent.github.runner import OptimizeOutcome, OptimizeRequest
from agent.github.service import BotService
from storage import Store, sqlite_url
from tests.conftest import git
from tests.github.fake_github import FakeGitHub, serve

TOKEN = "ghp_FAKEperfagentTOKEN0123456789abcdef"
SECRET = "whsec-perfagent-test-secret-42"
FULL = "octo/calc"

SLOW = "import time\n\n\ndef total(values):\n    time.sleep(0.25)\n    return sum(values)\n"
FAST = "def total(values):\n    return sum(values)\n"
PROJECT = {
    "calc/__init__.py": "",
    "calc/core.py": SLOW,
    "calc/unused.py": "X = 1\n",
    "bench.py": "from calc.core import total\nprint(total(range(100)))\n",
    "tests/test_core.py": "from calc.core import total\n\n\ndef test_total():\n"
    "    assert total([1, 2]) == 3\n",
    "pyproject.toml": '[tool.perfagent]\nbench = "python bench.py"\n'
    'test = "python -m pytest -q -p no:cacheprovider tests"\ninclude = ["calc/**/*.py"]\n',
}


@dataclass
class Hub:
    """A local clone, its "GitHub" (bare repo behind a loopback API) and the fake's state."""

    repo: Path
    bare: Path
    fake: FakeGitHub
    base: str


@pytest.fixture
def secrets_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("PERFAGENT_WEBHOOK_SECRET", SECRET)
    monkeypatch.delenv("GH_TOKEN", raising=False)


@pytest.fixture
def hub(
    make_repo: Callable[..., Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    secrets_env: None,
) -> Iterator[Hub]:
    repo = make_repo(PROJECT, name="clone")
    bare = tmp_path / "github" / "octo__calc.git"
    bare.parent.mkdir()
    subprocess.run(["git", "clone", "-q", "--bare", str(repo), str(bare)], check=True)
    git(repo, "remote", "add", "origin", f"git@github.com:{FULL}.git")
    fake = FakeGitHub(full=FULL, bare=bare, token=TOKEN, permissions={"alice": "write"})
    server = serve(fake)
    monkeypatch.setenv("PERFAGENT_GITHUB_API", fake.url)
    yield Hub(repo=repo, bare=bare, fake=fake, base=git(repo, "rev-parse", "HEAD"))
    server.shutdown()
    server.server_close()


def store_at(path: Path) -> Store:
    return Store(sqlite_url(path))  # migration m002 made the bot's tables


def make_diff(repo: Path, files: dict[str, str | None]) -> str:
    """The `git diff` of writing `files` (None deletes) into `repo`, then undone."""
    for rel, text in files.items():
        if text is None:
            (repo / rel).unlink()
        else:
            (repo / rel).parent.mkdir(parents=True, exist_ok=True)
            (repo / rel).write_text(text)
    git(repo, "add", "-A")
    diff = git(repo, "diff", "--cached", "--binary") + "\n"
    git(repo, "reset", "-q", "--hard", "HEAD")
    return diff


def add_run(
    store: Store,
    repo: Path,
    diff: str,
    *,
    accepted: bool = True,
    base: str | None = None,
    test: str | None = "python -m pytest -q tests",
) -> str:
    """A finished run as the loop stores it: a plan, a candidate, its trials; accepted (with a
    confirmed re-measurement) or not."""
    base = base or git(repo, "rev-parse", "HEAD")
    run = store.create_run(
        repo=str(repo),
        base_commit=base,
        task={"bench": "python bench.py", "test": test},
        model="rules",
        sandbox="local",
        baseline={"wall_s": 0.26, "tests_flaky": False},
    )
    (plan_id,) = store.add_plans(
        run.id,
        0,
        [{"title": "Drop the sleep in total()", "text": "time.sleep dominates; remove it.",
          "source": "rules"}],
    )  # fmt: skip
    runtime = {
        "base_median_s": 0.2612,
        "head_median_s": 0.0312,
        "ratio": 0.1195,
        "ci_low": 0.1150,
        "ci_high": 0.1240,
        "p_value": 1.1e-5,
        "n_pairs": 10,
    }
    cid = store.add_candidate(
        run.id,
        plan_id=plan_id,
        diff=diff,
        status="accepted" if accepted else "same",
        verdict="faster" if accepted else "same",
        tests_passed=True,
        equivalent=None,
        runtime_ratio=runtime["ratio"] if accepted else 1.0,
        ci_low=runtime["ci_low"] if accepted else 0.98,
        ci_high=runtime["ci_high"] if accepted else 1.02,
        p_value=runtime["p_value"] if accepted else 0.4,
        instructions_ratio=0.5,
        memory_ratio=1.0,
        measurement={
            "verdict": "faster",
            "tests_passed": True,
            "runtime": runtime,
            "instructions": {"base": 2_000_000, "head": 1_000_000, "ratio": 0.5},
            "peak_memory": {"base_bytes": 10 * 2**20, "head_bytes": 10 * 2**20, "ratio": 1.0},
        },
        confirmation={**runtime, "ratio": 0.1201, "verdict": "faster"} if accepted else {},
    )
    env = {
        "python": "3.11.9",
        "platform": "Linux-6.1-x86_64",
        "cpu_model": "Test CPU",
        "cpu_count": 2,
        "load_avg_1m": 0.5,
        "sandbox": "local",
        "hash_seed": 0,
        "extra": {},
    }
    store.add_trials(run.id, cid, "evaluate", "walltime_s", "base", [0.26] * 10, env)
    store.add_trials(run.id, cid, "evaluate", "instructions", "base", [2e6], {"seed": 0})
    if accepted:
        store.update_run(run.id, status="finished", best_candidate_id=cid)
    else:
        store.update_run(run.id, status="no-improvement", reason="nothing was faster")
    return run.id


class FakeRunner:
    """Stands in for `perfagent optimize`: records a finished run in the bot's store."""

    def __init__(self, accepted: bool = True) -> None:
        self.accepted = accepted
        self.requests: list[OptimizeRequest] = []
        self.heads: list[str] = []

    def __call__(self, req: OptimizeRequest, cancel: threading.Event) -> OptimizeOutcome:
        self.requests.append(req)
        self.heads.append(git(req.workdir, "rev-parse", "HEAD"))
        store = Store(req.db_url)
        diff = make_diff(req.workdir, {"calc/core.py": FAST})
        run_id = add_run(store, req.workdir, diff, accepted=self.accepted)
        store.close()
        return OptimizeOutcome(0 if self.accepted else 1, run_id)


@pytest.fixture
def feature(hub: Hub) -> str:
    """Branch `feature` pushed to the fake GitHub, open as PR #7; returns its head sha."""
    git(hub.repo, "checkout", "-q", "-b", "feature")
    (hub.repo / "calc" / "extra.py").write_text("Z = 3\n")
    git(hub.repo, "add", "-A")
    git(hub.repo, "commit", "-q", "-m", "feature work")
    git(hub.repo, "push", "-q", str(hub.bare), "feature")
    hub.fake.add_pull(7, "feature")
    return git(hub.repo, "rev-parse", "HEAD")


@pytest.fixture
def bot_store(tmp_path: Path) -> Store:
    return store_at(tmp_path / "bot.db")


def start_bot(store: Store, tmp_path: Path, runner: Any, **overrides: Any) -> BotService:
    config = BotConfig(home=tmp_path / "home", port=0, poll_s=0.1, **overrides)
    service = BotService(store, config, GitHubConfig(), runner=runner)
    service.start()
    return service


@pytest.fixture
def runner() -> FakeRunner:
    return FakeRunner()


@pytest.fixture
def bot(bot_store: Store, tmp_path: Path, runner: FakeRunner, hub: Hub) -> Iterator[BotService]:
    service = start_bot(bot_store, tmp_path, runner)
    yield service
    service.stop()
