"""The ExecResult of one command in the Docker sandbox, from what its timer reported."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.base import ExecResult, Limits
from sandbox.docker_box import HOME

_LABELS = ((HOME + "/", "$HOME/"), ("/tmp/", "$TMPDIR/"))


def _label(path: str) -> str:
    for prefix, label in _LABELS:
        if path.startswith(prefix):
            return label + path[len(prefix) :]
    return path


def exec_result(
    command: str, status: Mapping[str, Any] | None, why: str, timeout: float, limits: Limits
) -> ExecResult:
    """`status` is the timer's report (None when it gave none: `why` says what happened)."""
    status = status or {}
    reasons: list[str] = []
    timed_out = why == "host-timeout" or bool(status.get("timed_out"))
    if timed_out:
        reasons.append(f"timeout after {timeout:g} s")
    if status.get("oom_kills"):
        reasons.append(f"memory limit ({limits.memory_bytes // 1024**2} MiB) exceeded")
    if status.get("pid_limit_hits"):
        reasons.append(f"process limit ({limits.max_processes}) reached")
    returncode = None if timed_out else status.get("returncode")
    if returncode == -25:  # SIGXFSZ
        reasons.append(f"file size limit ({limits.max_file_bytes} bytes) exceeded")
    leftover = status.get("leftover") or []
    if leftover and not timed_out:
        names = ", ".join(sorted({str(n) for _, n in leftover}))
        reasons.append(f"left {len(leftover)} process(es) running after exit, killed: {names}")
    if not status and not timed_out:
        reasons.append("sandbox timer failed: " + (why or "no output"))
    cap = limits.max_output_bytes
    stdout: bytes = status.get("stdout", b"")[:cap]
    stderr: bytes = status.get("stderr", b"")[:cap]
    return ExecResult(
        command=command,
        returncode=returncode,
        stdout=stdout.decode("utf-8", "replace"),
        stderr=stderr.decode("utf-8", "replace"),
        duration_s=float(status.get("duration_s", timeout if timed_out else 0.0)),
        timed_out=timed_out,
        peak_rss_bytes=status.get("maxrss_bytes"),
        output_truncated=bool(status.get("stdout_dropped") or status.get("stderr_dropped")),
        killed_reason="; ".join(reasons),
        writes=tuple(_label(str(p)) for p in status.get("writes") or ()),
    )
