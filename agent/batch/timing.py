"""One timing slot per machine: instances that share a node never measure at the same time.

Every sandbox a batch worker opens (baseline, evaluate, confirm, the install check, grading)
holds an exclusive `fcntl` lock on a file in the node's temporary directory for as long as it
is open, so a second instance on the same machine waits while the first one times, and
overlaps it only in planning and coding. The kernel drops the lock of a process that dies, so
a killed worker never blocks the node, and a frozen one (stopped by a signal) is not waited
for (`sandbox.flocks`). Each hold is reported (`on_hold`) with when it started
and ended, and how long it waited.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sandbox.base import Limits, Sandbox, SandboxFactory, WorkspaceSpec
from sandbox.flocks import hold

Hold = Callable[[dict[str, float]], None]
"""Told of each hold: {"waited_s", "from", "to"} (epoch seconds)."""


def default_lock_path() -> Path:
    return Path(tempfile.gettempdir()) / f"perfagent-timing-{os.getuid()}.lock"


@dataclass
class NodeLock:
    """An exclusive lock per machine, re-entrant within this process (a measurement opens
    its base and head sandboxes together). One thread at a time uses it, as the loop does."""

    path: Path = field(default_factory=default_lock_path)
    on_wait: Callable[[], None] = lambda: None
    """Called once when the lock is busy and this process starts waiting."""
    on_hold: Hold = lambda _h: None
    on_frozen: Callable[[list[int]], None] = lambda _pids: None
    """Called when the slot's holders stayed stopped (a frozen worker) and this one goes on."""
    depth: int = 0
    fd: int | None = None
    since: float = 0.0
    waited: float = 0.0

    def acquire(self) -> None:
        if self.depth == 0:
            started = time.time()
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                frozen = hold(fd, self.on_wait)
                if frozen:
                    self.on_frozen(frozen)
            except BaseException:
                os.close(fd)
                raise
            self.fd, self.since = fd, time.time()
            self.waited = self.since - started
        self.depth += 1

    def release(self) -> None:
        self.depth -= 1
        if self.depth > 0 or self.fd is None:
            return
        ended = time.time()
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)
        self.fd = None
        with contextlib.suppress(Exception):  # a report must never break a measurement
            self.on_hold({"waited_s": self.waited, "from": self.since, "to": ended})


class HeldSandbox:
    """A sandbox that gives its machine's timing slot back when it closes."""

    def __init__(self, inner: Sandbox, lock: NodeLock) -> None:
        self.inner, self.lock, self.kind = inner, lock, inner.kind
        self.closed = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            self.inner.close()
        finally:
            self.lock.release()


class TimedAlone:
    """A SandboxFactory whose sandboxes hold the machine's timing slot while open."""

    def __init__(self, inner: SandboxFactory, lock: NodeLock) -> None:
        self.inner, self.lock, self.kind = inner, lock, inner.kind

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def open(self, spec: WorkspaceSpec, limits: Limits | None = None) -> Sandbox:
        self.lock.acquire()
        try:
            box = self.inner.open(spec, limits)
        except BaseException:
            self.lock.release()
            raise
        return HeldSandbox(box, self.lock)
