"""Run and time one command inside a Docker sandbox container (stdlib only, Python >= 3.9).

The container starts this file as root with only CAP_SETUID/CAP_SETGID; the command runs as the
unprivileged sandbox user, which therefore cannot signal, trace or write to this process or its
result directory. It reports to files in a root-only directory of the container's own filesystem,
which the host copies out after the container has stopped, so nothing the command prints or
writes can forge a timing, an exit status or a size. Exiting ends PID 1 (`--init`), which kills
whatever the command left behind.

Usage: python3 -I -S docker_timer.py JOB_JSON
"""

from __future__ import annotations

import json
import os
import resource
import selectors
import subprocess
import sys
import time
from typing import Any

CHUNK = 65536


def _counter(paths: tuple[str, ...], field: str) -> int:
    """A named counter from the first cgroup file that has it (v2 path first, then v1)."""
    for path in paths:
        try:
            with open(path) as fh:
                for line in fh:
                    parts = line.split()
                    if len(parts) == 2 and parts[0] == field:
                        return int(parts[1])
        except (OSError, ValueError):
            continue
    return 0


def oom_kills() -> int:
    return _counter(
        ("/sys/fs/cgroup/memory.events", "/sys/fs/cgroup/memory/memory.oom_control"), "oom_kill"
    )


def pid_limit_hits() -> int:
    return _counter(("/sys/fs/cgroup/pids.events", "/sys/fs/cgroup/pids/pids.events"), "max")


def leftover_processes(keep: set[int]) -> list[tuple[int, str]]:
    """(pid, name) of processes still alive besides ours: whatever the command left running."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) in keep:
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        name = stat[stat.find("(") + 1 : stat.rfind(")")]
        state = stat[stat.rfind(")") + 2 : stat.rfind(")") + 3]
        if state != "Z":
            found.append((int(entry), name))
    return found


class Capture:
    """Keeps the first `limit` bytes of a stream in a file and counts the rest."""

    def __init__(self, path: str, limit: int) -> None:
        self.fh = open(path, "wb", buffering=0)  # noqa: SIM115 - closed in finish()
        self.limit = limit
        self.kept = 0
        self.dropped = 0

    def feed(self, data: bytes) -> None:
        room = self.limit - self.kept
        if room > 0:
            self.fh.write(data[:room])
            self.kept += min(room, len(data))
        self.dropped += max(0, len(data) - max(room, 0))

    def finish(self) -> None:
        self.fh.close()


def run(job: dict[str, Any]) -> None:
    out_dir = job["out_dir"]
    os.makedirs(out_dir, mode=0o700, exist_ok=True)
    os.chmod(out_dir, 0o700)
    captures = {
        "stdout": Capture(os.path.join(out_dir, "stdout"), job["max_output_bytes"]),
        "stderr": Capture(os.path.join(out_dir, "stderr"), job["max_output_bytes"]),
    }
    oom_before, pids_before = oom_kills(), pid_limit_hits()
    # Set here (inherited) rather than in preexec_fn, so nothing runs in the child before exec.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    size = job["max_file_bytes"]
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    uid, gid = job["uid"], job["gid"]
    started = time.perf_counter()
    proc = subprocess.Popen(
        ["/bin/bash", "-c", job["command"]],
        cwd=job["cwd"],
        env=job["env"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        user=uid,
        group=gid,
        extra_groups=[],
        start_new_session=True,
        close_fds=True,
    )
    deadline = started + job["timeout_s"]
    pidfd = os.pidfd_open(proc.pid)
    sel = selectors.DefaultSelector()
    sel.register(pidfd, selectors.EVENT_READ, "exit")
    assert proc.stdout is not None and proc.stderr is not None
    sel.register(proc.stdout.fileno(), selectors.EVENT_READ, "stdout")
    sel.register(proc.stderr.fileno(), selectors.EVENT_READ, "stderr")
    exited = timed_out = False
    ended = started
    while not exited:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            timed_out = True
            ended = time.perf_counter()
            break
        events = sel.select(remaining)
        for key, _ in events:
            if key.data == "exit":
                ended = time.perf_counter()
                exited = True
        for key, _ in events:
            if key.data != "exit":
                chunk = os.read(key.fd, CHUNK)
                if chunk:
                    captures[key.data].feed(chunk)
                else:
                    sel.unregister(key.fd)
    status: dict[str, Any] = {"timed_out": timed_out, "returncode": None, "maxrss_bytes": None}
    if exited:
        _, wstatus, usage = os.wait4(proc.pid, 0)
        status["returncode"] = os.waitstatus_to_exitcode(wstatus)
        status["maxrss_bytes"] = usage.ru_maxrss * 1024
        status["user_s"] = usage.ru_utime
        status["sys_s"] = usage.ru_stime
    # Whatever is already buffered belongs to the run; a background writer cannot stall us.
    for name, stream in (("stdout", proc.stdout), ("stderr", proc.stderr)):
        os.set_blocking(stream.fileno(), False)
        drain_until = time.perf_counter() + 0.2
        while time.perf_counter() < drain_until:
            try:
                chunk = os.read(stream.fileno(), CHUNK)
            except BlockingIOError:
                break
            if not chunk:
                break
            captures[name].feed(chunk)
    status["duration_s"] = ended - started
    status["oom_kills"] = oom_kills() - oom_before
    status["pid_limit_hits"] = pid_limit_hits() - pids_before
    status["leftover"] = leftover_processes({1, os.getpid()})[:20]
    for name, cap in captures.items():
        cap.finish()
        status[f"{name}_dropped"] = cap.dropped
    tmp = os.path.join(out_dir, "status.json.tmp")
    with open(tmp, "w") as fh:
        json.dump(status, fh)
    os.replace(tmp, os.path.join(out_dir, "status.json"))


def main(argv: list[str]) -> int:
    with open(argv[1]) as fh:
        job = json.load(fh)
    run(job)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
