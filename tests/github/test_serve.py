"""`perfagent bot serve` as a process: configuration errors, serving, stopping on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from storage.jobs import deliveries
from tests.github.conftest import SECRET, TOKEN, Hub, store_at
from tests.github.test_bot import deliver

ROOT = Path(__file__).resolve().parents[2]
MOUNTED = (
    "import sys; from agent.cli import app; from agent.cli.github import mount; mount(app); "
    "sys.argv[0] = 'perfagent'; app()"
)


def bot_cmd(*args: str) -> list[str]:
    return [sys.executable, "-c", MOUNTED, "bot", "serve", *args]


def test_serve_refuses_to_start_without_its_secrets(tmp_path: Path) -> None:
    """Guards the one-line bad-input exit (2) when the webhook secret or token is missing."""
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_TOKEN", "GH_TOKEN")}
    env.pop("PERFAGENT_WEBHOOK_SECRET", None)
    proc = subprocess.run(
        bot_cmd("--home", str(tmp_path)), capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == "perfagent: no webhook secret: set PERFAGENT_WEBHOOK_SECRET"
    env["PERFAGENT_WEBHOOK_SECRET"] = SECRET
    proc = subprocess.run(
        bot_cmd("--home", str(tmp_path)), capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == "perfagent: no GitHub token: set GITHUB_TOKEN or GH_TOKEN"


@pytest.mark.slow
def test_serve_answers_deliveries_and_stops_on_sigterm(hub: Hub, tmp_path: Path) -> None:
    """Guards the real entry point: it listens, stores a signed delivery, exits 0 on SIGTERM
    and never prints the token or the secret."""
    home = tmp_path / "home"
    proc = subprocess.Popen(
        bot_cmd("--port", "0", "--home", str(home)),
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
    )
    try:
        assert proc.stderr is not None
        lines = []
        for line in proc.stderr:
            lines.append(line)
            if "bot listening on" in line:
                break
        url = line.split("listening on ")[1].split(";")[0].strip()
        assert httpx.get(url + "/healthz", timeout=10).status_code == 200
        assert deliver(url, "ping", {"zen": "x"}, delivery_id="p-1").json()["message"] == "pong"
        proc.send_signal(signal.SIGTERM)
        rest = proc.communicate(timeout=60)[1]
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, rest
    output = "".join(lines) + rest
    assert TOKEN not in output and SECRET not in output
    (stored,) = deliveries(store_at(home / "bot.db"))
    assert (stored.delivery_id, stored.outcome) == ("p-1", "200 pong")


SERVE_BOT = (
    "import sys; from agent.github.serve import serve_bot; serve_bot(port=0, home=sys.argv[1])"
)


def test_serve_bot_names_what_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Guards the function the command wraps: bad settings are BadInput (exit 2) in one line."""
    from agent.exceptions import BadInput
    from agent.github.serve import serve_bot

    monkeypatch.delenv("PERFAGENT_WEBHOOK_SECRET", raising=False)
    with pytest.raises(BadInput, match="no webhook secret"):
        serve_bot(home=tmp_path)
    monkeypatch.setenv("PERFAGENT_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("PERFAGENT_BOT_PORT", "99999")
    with pytest.raises(BadInput, match="bad bot configuration"):
        serve_bot(home=tmp_path)
    monkeypatch.delenv("PERFAGENT_BOT_PORT")
    with pytest.raises(BadInput, match=r"cannot open store"):
        serve_bot(home=tmp_path, db="postgresql://bot:hunter2@127.0.0.1:9/bot")


@pytest.mark.slow
def test_serve_bot_serves_until_sigterm(hub: Hub, tmp_path: Path) -> None:
    """Guards `serve_bot` as a process: it answers on loopback and stops with exit 0."""
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVE_BOT, str(tmp_path / "home")],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=tmp_path,
    )
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            if "bot listening on" in line:
                break
        url = line.split("listening on ")[1].split(";")[0].strip()
        assert deliver(url, "ping", {"zen": "y"}).json() == {"message": "pong"}
        proc.send_signal(signal.SIGTERM)
        rest = proc.communicate(timeout=60)[1]
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, rest
    assert "bot stopping (SIGTERM)" in rest
