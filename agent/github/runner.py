"""Running `perfagent optimize` for a bot job: a subprocess with `--json`, secrets stripped.

The runner is a callable so tests (and other deployments) can swap it: it takes an
`OptimizeRequest` and a cancel event and returns an `OptimizeOutcome`.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True)
class OptimizeOutcome:
    """What the run ended with: DESIGN's exit code, the run id if one was created, and the
    last line it printed on stderr (for a plain comment when it could not run)."""

    exit_code: int
    run_id: str | None
    message: str = ""
    summary: Mapping[str, Any] | None = None


Runner = Callable[[OptimizeRequest, threading.Event], OptimizeOutcome]


def child_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment without the bot's secrets, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if k not in BOT_SECRETS}
    env.update(extra or {})
    return env


def optimize_argv(req: OptimizeRequest) -> list[str]:
    argv = [sys.executable, "-m", "agent", "optimize", str(req.workdir), "--json"]
    argv += ["--db", req.db_url, "--sandbox", req.sandbox]
    if req.model:
        argv += ["--model", req.model]
    for key in ("bench", "test"):
        if req.options.get(key):
            argv += [f"--{key}", str(req.options[key])]
    if req.options.get("budget"):
        argv += ["--budget", str(int(req.options["budget"]))]
    return argv


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
    """Run `python -m agent optimize WORKDIR --json` and read its JSON object."""
    proc = subprocess.Popen(
        optimize_argv(req),
        cwd=req.workdir,
        env=dict(req.env) if req.env else child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + req.timeout_s
    out = err = ""
    while True:
        try:
            out, err = proc.communicate(timeout=1.0)
            break
        except subprocess.TimeoutExpired:
            if cancel.is_set() or time.monotonic() > deadline:
                _stop(proc)
                out, err = proc.communicate()
                why = "the bot is stopping" if cancel.is_set() else "the job timed out"
                return OptimizeOutcome(-1, _run_id(out, err), why)
    summary: dict[str, Any] | None = None
    if out.strip():
        try:
            summary = json.loads(out)
        except ValueError:
            summary = None
    lines = [line for line in redact(err).splitlines() if line.strip()]
    message = lines[-1].strip() if lines else ""
    run_id = str(summary["run_id"]) if summary and "run_id" in summary else _run_id(out, err)
    return OptimizeOutcome(proc.returncode, run_id, message, summary)


def _run_id(out: str, err: str) -> str | None:
    """The run id from the progress line `perfagent: run ID on ...` when no JSON came."""
    for line in err.splitlines():
        if line.startswith("perfagent: run "):
            return line.split()[2]
    return None
