"""Processes on this machine as `/proc/PID/stat` shows them: who owns a resource (a pid and
its start time, so a recycled pid is not mistaken for the owner), and whether a process is
stopped."""

from __future__ import annotations

import os
from pathlib import Path


def _stat(pid: int) -> list[str] | None:
    """The fields of `/proc/PID/stat` after the command name (the state first), or None."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def owner_token(pid: int | None = None) -> str:
    """`pid:start-time`, so a recycled pid is not mistaken for a live owner."""
    pid = os.getpid() if pid is None else pid
    fields = _stat(pid)
    return f"{pid}:{fields[19] if fields and len(fields) > 19 else 0}"


def owner_alive(token: str) -> bool:
    """Whether the process an `owner_token` names still runs."""
    pid_text, _, _ = token.partition(":")
    return pid_text.isdigit() and owner_token(int(pid_text)) == token


def stopped(pid: int) -> bool:
    """True when `pid` is stopped by a signal or a tracer (state T or t)."""
    fields = _stat(pid)
    return fields is not None and fields[:1] in (["T"], ["t"])
