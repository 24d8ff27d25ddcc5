"""Running `perfagent optimize` for a bot job: a subprocess with `--json`, secrets stripped.

The child is isolated from the pull request's checkout (`agent.selfrun`): `python -I` from an
empty directory, the checkout passed as an argument, so files the pull request plants
(`tasks.py`, `agent/`, `sitecustomize.py`) are never imported on the host.

The runner is a callable so tests (and other deployments) can swap it: it takes an
`OptimizeRequest` and a cancel event and returns an `OptimizeOutcome`.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from agent.selfrun import clean_cwd, isolated_env, perfagent_argv
from sandbox.secrets import redact

BOT_SECRETS = ("GITHUB_TOKEN", "GH_TOKEN", "PERFAGENT_WEBHOOK_SECRET", "PERFAGENT_DB")
"""Environment the optimize child never sees (model API keys stay: the run needs them)."""


@dataclass(frozen=True)
class OptimizeRequest:
    """One optimize run the bot asks for."""

    workdir: Path
    """The clone of the pull request's head."""
    db_url: str
    """Store the run is recorded in (the bot's own, so the bot can read the evidence)."""
    options: Mapping[str, Any] = field(default_factory=dict)
    """bench, test, budget from the comment."""
    sandbox: str = "auto"
    model: str | None = None
    timeout_s: float = 3600.0
    env: Mapping[str, str] = field(default_factory=dict)
    """The child's whole environment (empty: this process's, secrets and interpreter
    variables removed)."""
    log_path: Path | None = None
    """Where the run's stderr is kept (secrets redacted), for a "perfagent failed" reply."""


@dataclass(frozen=True)
class OptimizeOutcome:
    """What the run ended with: the exit code of docs/design.md §3, the run id if one was created, and the
    last line it printed on stderr (for a plain comment when it could not run)."""

    exit_code: int
    run_id: str | None
    message: str = ""
    summary: Mapping[str, Any] | None = None
    log_path: Path | None = None


Runner = Callable[[OptimizeRequest, threading.Event], OptimizeOutcome]


def child_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment without the bot's secrets, plus `extra`."""
    env = isolated_env(os.environ, drop=BOT_SECRETS)
    env.update(extra or {})
    return env


def optimize_argv(req: OptimizeRequest) -> list[str]:
    """`--opt=VALUE` throughout: a value from a comment can never be read as an option."""
    argv = perfagent_argv("optimize", str(req.workdir.resolve()), "--json")
    argv += [f"--db={absolute_db_url(req.db_url)}", f"--sandbox={req.sandbox}"]
    if req.model:
        argv.append(f"--model={req.model}")
    for key in ("bench", "test"):
        if req.options.get(key):
            argv.append(f"--{key}={req.options[key]}")
    if req.options.get("budget"):
        argv.append(f"--budget={int(req.options['budget'])}")
    return argv


def absolute_db_url(url: str) -> str:
    """A relative SQLite URL made absolute (the child starts in another directory)."""
    parsed = make_url(url)
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return url
    if Path(database).is_absolute():
        return url
    return parsed.set(database=str(Path(database).resolve())).render_as_string(hide_password=False)


def _stop(proc: subprocess.Popen[str]) -> None:
    """SIGTERM the run's process group (the run records itself as interrupted), then SIGKILL."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def subprocess_runner(req: OptimizeRequest, cancel: threading.Event) -> OptimizeOutcome:
    """Run `perfagent optimize WORKDIR --json` isolated and read its JSON object; its stderr
    (secrets redacted) goes to `req.log_path` when one is given."""
    env = isolated_env(req.env, drop=BOT_SECRETS) if req.env else child_env()
    with clean_cwd("perfagent-job-") as cwd:
        proc = subprocess.Popen(
            optimize_argv(req),
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        out, err, stopped = _wait(proc, cancel, time.monotonic() + req.timeout_s)
    err = redact(err)
    if req.log_path is not None:
        req.log_path.parent.mkdir(parents=True, exist_ok=True)
        req.log_path.write_text(err)
    if stopped:
        return OptimizeOutcome(-1, _run_id(out, err), stopped, log_path=req.log_path)
    summary: dict[str, Any] | None = None
    if out.strip():
        try:
            summary = json.loads(out)
        except ValueError:
            summary = None
    lines = [line for line in err.splitlines() if line.strip()]
    message = lines[-1].strip() if lines else ""
    run_id = str(summary["run_id"]) if summary and "run_id" in summary else _run_id(out, err)
    return OptimizeOutcome(proc.returncode, run_id, message, summary, req.log_path)


def _wait(
    proc: subprocess.Popen[str], cancel: threading.Event, deadline: float
) -> tuple[str, str, str]:
    """(stdout, stderr, why it was stopped or "") once the child ends or is stopped."""
    while True:
        try:
            out, err = proc.communicate(timeout=1.0)
            return out, err, ""
        except subprocess.TimeoutExpired:
            if cancel.is_set() or time.monotonic() > deadline:
                why = "the bot is stopping" if cancel.is_set() else "the job timed out"
                _stop(proc)
                out, err = proc.communicate()
                return out, err, why


def _run_id(out: str, err: str) -> str | None:
    """The run id from the progress line `perfagent: run ID on ...` when no JSON came."""
    for line in err.splitlines():
        if line.startswith("perfagent: run "):
            return line.split()[2]
    return None
