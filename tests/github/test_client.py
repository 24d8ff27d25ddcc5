"""The REST client against the loopback GitHub: rate limits, errors, permissions."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from agent.github.client import GitHubClient, GitHubError, RateLimited
from agent.github.config import GitHubConfig
from agent.github.pr import repo_from_remote
from agent.github.runner import OptimizeRequest, child_env, optimize_argv
from agent.github.webhook import CommandError, parse_command, sign, verify_signature
from tests.github.conftest import FULL, SECRET, TOKEN, Hub


class Clock:
    """A fake clock whose sleep advances it: waits are asserted by value, never timed."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def time(self) -> float:
        return self.now


def client(hub: Hub, clock: Clock, **config: Any) -> GitHubClient:
    return GitHubClient(GitHubConfig(**config), sleep=clock.sleep, clock=clock.time)


def test_retry_after_is_honoured(hub: Hub) -> None:
    """Guards the secondary rate limit: a 403 with Retry-After is retried after that wait."""
    clock = Clock()
    hits: list[str] = []

    def limited(method: str, path: str) -> tuple[int, dict[str, str], object] | None:
        if path.endswith("/permission") and len(hits) < 2:
            hits.append(path)
            return (
                403,
                {"Retry-After": "7"},
                {"message": "You have exceeded a secondary rate limit"},
            )
        return None

    hub.fake.faults.append(limited)
    hub.fake.permissions["alice"] = "maintain"
    with client(hub, clock) as gh:
        assert gh.can_write(FULL, "alice")
    assert clock.slept == [7.0, 7.0]


def test_an_exhausted_limit_waits_until_the_reset(hub: Hub) -> None:
    """Guards X-RateLimit-Remaining: 0 — the next request waits for X-RateLimit-Reset, and a
    429 without Retry-After waits for the reset it names."""
    clock = Clock()
    reset = int(clock.now) + 30
    state = {"n": 0}

    def exhausted(method: str, path: str) -> tuple[int, dict[str, str], object] | None:
        state["n"] += 1
        if state["n"] == 1:
            headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)}
            return 200, headers, {"full_name": FULL, "default_branch": "main"}
        return None

    hub.fake.faults.append(exhausted)
    with client(hub, clock) as gh:
        assert gh.repo(FULL)["default_branch"] == "main"
        assert clock.slept == []
        gh.repo(FULL)
    assert clock.slept == [31.0]

    clock2 = Clock()
    hub.fake.faults[:] = [
        lambda m, p: (
            (
                429,
                {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(clock2.now) + 10)},
                {"message": "API rate limit exceeded"},
            )
            if not clock2.slept
            else None
        )
    ]
    with client(hub, clock2) as gh:
        gh.repo(FULL)
    assert clock2.slept == [11.0]


def test_a_wait_longer_than_allowed_fails_with_one_line(hub: Hub) -> None:
    """Guards against a bot hanging for an hour on a reset: the job fails with a reason."""
    clock = Clock()
    hub.fake.faults.append(lambda m, p: (429, {"Retry-After": "3600"}, {"message": "slow down"}))
    with client(hub, clock, max_wait_s=60) as gh, pytest.raises(RateLimited, match="3600s"):
        gh.repo(FULL)
    assert clock.slept == []


def test_server_errors_are_retried_for_reads_only(hub: Hub) -> None:
    """Guards against duplicate PRs or comments: a 502 on a write is not retried blindly."""
    clock = Clock()
    hub.fake.faults.append(lambda m, p: (502, {}, {"message": "bad gateway"}))
    with client(hub, clock, max_retries=2) as gh:
        with pytest.raises(GitHubError, match="502"):
            gh.repo(FULL)
        assert clock.slept == [1.0, 2.0]
        with pytest.raises(GitHubError, match="502"):
            gh.comment(FULL, 7, "hello")
    assert clock.slept == [1.0, 2.0]
    assert len(hub.fake.calls("POST", "/comments")) == 1


def test_a_bad_token_is_one_line_without_the_token(
    hub: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guards the 401 message and that no token is echoed in errors."""
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_WRONGtoken000000000000000000000")
    with GitHubClient(GitHubConfig()) as gh, pytest.raises(GitHubError) as caught:
        gh.repo(FULL)
    assert "rejected the token" in str(caught.value)
    assert "WRONG" not in str(caught.value) and "\n" not in str(caught.value)
    monkeypatch.delenv("GITHUB_TOKEN")
    with pytest.raises(GitHubError, match="set GITHUB_TOKEN or GH_TOKEN"):
        GitHubClient(GitHubConfig())


def test_enterprise_base_url_and_gh_token(hub: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    """Guards the configurable API base (GitHub Enterprise) and GH_TOKEN as the token source."""
    monkeypatch.delenv("GITHUB_TOKEN")
    monkeypatch.setenv("GH_TOKEN", TOKEN)
    config = GitHubConfig()
    assert config.api_url == hub.fake.url
    assert TOKEN not in repr(config)
    with GitHubClient(config) as gh:
        assert gh.permission(FULL, "alice") == "write"
        assert gh.permission(FULL, "nobody") == "none"


def test_signatures_are_checked_exactly() -> None:
    """Guards the HMAC check: right secret and body only, `sha256=` prefix required."""
    body = b'{"a": 1}'
    good = sign(SECRET.encode(), body)
    assert verify_signature(SECRET.encode(), body, good)
    assert not verify_signature(SECRET.encode(), body + b" ", good)
    assert not verify_signature(b"other", body, good)
    assert not verify_signature(SECRET.encode(), body, good.removeprefix("sha256="))
    assert not verify_signature(SECRET.encode(), body, None)


def test_command_parsing() -> None:
    """Guards what a comment may ask for: known options only, a capped budget."""
    prefix = "/perfagent optimize"
    assert parse_command("/perfagent optimize", prefix, 6) == {}
    assert parse_command(
        "/perfagent optimize --bench 'python b.py -n 3' --test=pytest --budget 3\nthanks!",
        prefix,
        6,
    ) == {"bench": "python b.py -n 3", "test": "pytest", "budget": 3}
    assert parse_command("please /perfagent optimize", prefix, 6) is None
    assert parse_command("/perfagent optimizer", prefix, 6) is None
    for bad, message in (
        ("--budget 99", "from 1 to 6"),
        ("--sandbox local", "unknown option"),
        ("--bench", "needs a value"),
        ("--bench 'open", "cannot parse"),
    ):
        with pytest.raises(CommandError, match=message):
            parse_command(f"{prefix} {bad}", prefix, 6)


def test_the_optimize_child_gets_no_bot_secret(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Guards "secrets never reach sandboxes": the optimize subprocess has no GitHub token
    or webhook secret (model keys stay, the run needs them)."""
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("GH_TOKEN", TOKEN)
    monkeypatch.setenv("PERFAGENT_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-keep")
    env = child_env()
    assert TOKEN not in env.values() and SECRET not in env.values()
    assert env["ANTHROPIC_API_KEY"] == "sk-ant-keep"
    req = OptimizeRequest(
        tmp_path, "sqlite:///x.db", {"bench": "python b.py", "budget": 2}, model="rules"
    )
    argv = optimize_argv(req)
    assert argv[1] == "-I" and argv[5:8] == ["optimize", str(tmp_path), "--json"]
    assert "--bench=python b.py" in argv and "--budget=2" in argv and "--model=rules" in argv


@pytest.mark.parametrize(
    ("url", "full"),
    [
        ("git@github.com:octo/calc.git", "octo/calc"),
        ("https://github.com/octo/calc", "octo/calc"),
        ("https://x-access-token:abc@ghe.example.com/octo/calc.git", "octo/calc"),
        ("ssh://git@github.com/octo/calc.git", "octo/calc"),
    ],
)
def test_repository_from_the_origin_remote(tmp_path: Path, url: str, full: str) -> None:
    """Guards `--repo` inference from the usual remote URL shapes."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "remote", "add", "origin", url], cwd=tmp_path, check=True)
    assert repo_from_remote(str(tmp_path)) == full
    assert os.path.isdir(tmp_path / ".git")


def test_the_token_reaches_git_only_for_the_api_host(hub: Hub) -> None:
    """Guards private-repo fetches: the token goes to git through environment config for
    github.com (API api.github.com) or the Enterprise host, and never for other URLs."""
    from agent.github.queue import fetch_env

    with GitHubClient(GitHubConfig(api_url="https://api.github.com")) as gh:
        env = fetch_env("https://github.com/octo/calc.git", gh)
        assert env["GIT_CONFIG_KEY_0"] == "http.https://github.com/.extraheader"
        assert TOKEN not in env["GIT_CONFIG_VALUE_0"]  # base64 in a Basic header
        assert "GIT_CONFIG_KEY_0" not in fetch_env("https://evil.example/octo/calc.git", gh)
        assert "GIT_CONFIG_KEY_0" not in fetch_env(str(hub.bare), gh)
    with GitHubClient(GitHubConfig(api_url="https://ghe.corp/api/v3")) as gh:
        assert "GIT_CONFIG_KEY_0" in fetch_env("https://ghe.corp/octo/calc.git", gh)
