"""One spawned local command: start it, find where the command itself starts and ends, enforce
the deadline and the output flood limit, then kill and reap everything it left.

The init (`sandbox.local_init`) reports on a pipe: `r<EPOCHREALTIME>` just before it execs the
command and, when it can be trusted to (the command runs without capabilities), `e<...>` right
after the command exits. The duration is taken between the two, so setting up the private
root before and tearing it down after stay out of the timing; without a trusted end mark it
ends at the init's exit, seen by the host.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import signal
import subprocess
import time
from typing import IO

from sandbox.base import SandboxError
from sandbox.limits import PidsCgroup

log = logging.getLogger("perfagent.sandbox")

SETUP_TIMEOUT_S = 120.0
"""How long the init may take to build a command's private view before it counts as hung."""
_EXIT_GRACE_S = 5.0


class Run:
    """One spawned command (see the module docstring)."""

    def __init__(
        self,
        argv: list[str],
        env: dict[str, str],
        cwd: str,
        out: IO[bytes],
        err: IO[bytes],
        marks_fd: int,
    ) -> None:
        self.out, self.err = out, err
        self.timed_out = False
        self.ready = False
        self.reason = ""
        self.returncode: int | None = None
        self.duration_s = 0.0
        self._marks = b""
        self._marks_closed = False
        self.phases: dict[str, float] = {}
        """Host-side times of the set-up, the command and the teardown, for benchmarks."""
        self.spawned = time.perf_counter()
        try:
            self.proc = subprocess.Popen(
                argv,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                start_new_session=True,
                close_fds=True,
                pass_fds=(marks_fd,),
            )
        except OSError as exc:
            raise SandboxError(f"cannot start command: {exc}") from None

    def wait(self, marks: int, timeout: float, flood_bytes: int, trust_end: bool) -> None:
        """Block until the command ends (its init left a zombie, not reaped) or a limit ends it.
        `marks` is the read end of the init's pipe."""
        pid = self.proc.pid
        try:
            pidfd: int | None = os.pidfd_open(pid)
        except (AttributeError, OSError):
            pidfd = None
        started = ended = None
        deadline = self.spawned + SETUP_TIMEOUT_S
        try:
            while True:
                now = time.perf_counter()
                if now >= deadline:
                    if started is not None and ended is None:
                        self.timed_out = True
                        self.reason = f"timeout after {timeout:g} s"
                    break
                exited = self._poll(pid, pidfd, marks, min(deadline - now, 0.25))
                if started is None and self._has(b"r"):
                    started = time.perf_counter()
                    self.phases["setup_s"] = started - self.spawned
                    self.ready = True
                    deadline = started + timeout
                if trust_end and ended is None and self._has(b"e"):
                    ended = time.perf_counter()
                    deadline = min(deadline, ended + _EXIT_GRACE_S)  # the init exits right away
                if exited:
                    break
                if max(_size(self.out), _size(self.err)) > flood_bytes:
                    self.reason = f"output flood (more than {flood_bytes} bytes)"
                    break
        finally:
            if pidfd is not None:
                os.close(pidfd)
        if ended is not None:
            self.phases["teardown_s"] = time.perf_counter() - ended
        self.duration_s = self._duration(started, ended or time.perf_counter(), trust_end)

    def _poll(self, pid: int, pidfd: int | None, marks: int, step: float) -> bool:
        """Wait up to `step` s for a mark or the exit; True when the init has exited."""
        fds = [] if self._marks_closed else [marks]
        if pidfd is not None:
            fds.append(pidfd)
        if not fds:
            time.sleep(min(step, 0.001))
        ready = select.select(fds, [], [], step)[0] if fds else []
        if marks in ready:
            try:
                chunk = os.read(marks, 256)
            except OSError:
                chunk = b""
            self._marks += chunk
            self._marks_closed = not chunk
        if pidfd is not None:
            return pidfd in ready
        return bool(os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT))

    def _has(self, kind: bytes) -> bool:
        return any(line[:1] == kind for line in self._marks.split(b"\n")[:-1])

    def _mark(self, kind: bytes) -> float | None:
        """The init's timestamp on the `kind` line, once that line is complete."""
        for line in self._marks.split(b"\n")[:-1]:
            if line[:1] == kind:
                try:
                    return float(line[1:].replace(b",", b"."))
                except ValueError:
                    return None
        return None

    def _duration(self, started: float | None, ended: float, trust_end: bool) -> float:
        """Between the init's marks when both are trusted and plausible, else host-observed."""
        if started is None:
            return 0.0
        host = ended - started
        r, e = self._mark(b"r"), self._mark(b"e")
        if trust_end and r is not None and e is not None and 0 <= e - r <= host + 1.0:
            return e - r
        return host

    def finish(self, cgroup: PidsCgroup | None) -> None:
        """Kill the process group and the cgroup (leader still unreaped, so its pid cannot be
        reused under us), then reap the leader. Its rusage is not used: ru_maxrss of a
        process we spawn starts at our own RSS (kept through exec); GNU time measures instead."""
        pid = self.proc.pid
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
        if cgroup is not None:
            cgroup.kill_all()
        else:
            kill_group_members(pid)
        _, status = os.waitpid(pid, 0)
        self.proc.returncode = os.waitstatus_to_exitcode(status)  # Popen must not reap it again
        code = self.proc.returncode
        self.returncode = 128 - code if code < 0 else code


def _size(fh: IO[bytes]) -> int:
    return os.fstat(fh.fileno()).st_size


def kill_group_members(pgid: int, timeout: float = 2.0) -> None:
    """Without a cgroup: SIGKILL any live process still in the group until none is left."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = []
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(os.path.join(entry.path, "stat")) as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if fields[0] not in ("Z", "X") and int(fields[2]) == pgid:
                alive.append(int(entry.name))
        if not alive:
            return
        for pid in alive:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.01)
    log.warning("processes of group %d would not die", pgid)


def read_capped(fh: IO[bytes], cap: int) -> tuple[str, bool]:
    """The captured stream, or its head and tail around a marker when it exceeds `cap` bytes."""
    size = _size(fh)
    fh.seek(0)
    if size <= cap:
        return fh.read().decode("utf-8", "replace"), False
    marker = f"\n[... {size - cap} bytes cut by the sandbox ...]\n".encode()
    head_n = max(0, cap // 2)
    tail_n = max(0, cap - head_n - len(marker))
    head = fh.read(head_n)
    fh.seek(size - tail_n)
    tail = fh.read(tail_n) if tail_n else b""
    return (head + marker + tail).decode("utf-8", "replace"), True
