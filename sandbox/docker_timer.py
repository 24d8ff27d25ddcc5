"""Run and time one command inside a warm Docker sandbox container, then reset the container
(stdlib only, Python >= 3.9).

The host `docker exec`s this file as root with only CAP_SETUID/CAP_SETGID; the command runs as
the unprivileged sandbox user, which therefore cannot signal, trace or write to this process.
The result (status, captured stdout and stderr) goes to this process's own stdout, the exec
stream only the host reads, so nothing the command prints or writes can forge a timing, an exit
status or a size. The timer measures the command alone: `docker exec`, its own start-up and the
reset after it stay outside `duration_s`.

The reset, done as the sandbox user (who owns everything the command made; the root
filesystem is read-only): kill every process of that user, list and delete what it left in
the container's writable places (its tmpfs mounts: /tmp, HOME, /var/tmp, /run/lock, /dev/shm,
/dev/mqueue) and remove its System V IPC objects. What was listed becomes `writes`. A reset
that fails marks the container dirty: the host replaces it before the next command.

Usage: python3 -I -S docker_timer.py JOB_JSON      python3 -I -S docker_timer.py --idle
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import resource
import selectors
import shutil
import signal
import subprocess
import sys
import time
from typing import Any

CHUNK = 65536
WRITABLE = ("/tmp", "/perfagent/home", "/var/tmp", "/run/lock", "/dev/shm", "/dev/mqueue")
"""Where a command can write besides the work tree and scratch (all tmpfs or kernel objects)."""


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


def processes(uid: int | None = None) -> list[tuple[int, str]]:
    """(pid, name) of live processes (of `uid` when given) besides PID 1 and this one."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) in (1, os.getpid()):
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
            owner = os.stat(f"/proc/{entry}").st_uid
        except OSError:
            continue
        name = stat[stat.find("(") + 1 : stat.rfind(")")]
        state = stat[stat.rfind(")") + 2 : stat.rfind(")") + 3]
        if state != "Z" and (uid is None or owner == uid):
            found.append((int(entry), name))
    return found


class Capture:
    """Keeps the first `limit` bytes of a stream in memory and counts the rest."""

    def __init__(self, limit: int) -> None:
        self.data = bytearray()
        self.limit = limit
        self.dropped = 0

    def feed(self, chunk: bytes) -> None:
        room = self.limit - len(self.data)
        if room > 0:
            self.data += chunk[:room]
        self.dropped += max(0, len(chunk) - max(room, 0))


def spawn(job: dict[str, Any]) -> subprocess.Popen[bytes]:
    # Set here (inherited) rather than in preexec_fn, so nothing runs in the child before exec.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    size = job["max_file_bytes"]
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    return subprocess.Popen(
        ["/bin/bash", "-c", job["command"]],
        cwd=job["cwd"],
        env=job["env"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        user=job["uid"],
        group=job["gid"],
        extra_groups=[],
        start_new_session=True,
        close_fds=True,
    )


def run(job: dict[str, Any], captures: dict[str, Capture]) -> dict[str, Any]:
    """Run the command; its status (the streams are fed into `captures`)."""
    oom_before, pids_before = oom_kills(), pid_limit_hits()
    started = time.perf_counter()
    proc = spawn(job)
    deadline = started + job["timeout_s"]
    sel = selectors.DefaultSelector()
    sel.register(os.pidfd_open(proc.pid), selectors.EVENT_READ, "exit")
    assert proc.stdout is not None and proc.stderr is not None
    sel.register(proc.stdout.fileno(), selectors.EVENT_READ, "stdout")
    sel.register(proc.stderr.fileno(), selectors.EVENT_READ, "stderr")
    exited = timed_out = False
    ended = started
    while not exited:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            timed_out, ended = True, time.perf_counter()
            break
        events = sel.select(remaining)
        if any(key.data == "exit" for key, _ in events):
            ended, exited = time.perf_counter(), True
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
    drain(proc, captures)
    status["duration_s"] = ended - started
    status["oom_kills"] = oom_kills() - oom_before
    status["pid_limit_hits"] = pid_limit_hits() - pids_before
    status["leftover"] = processes(job["uid"])[:20]
    return status


def drain(proc: subprocess.Popen[bytes], captures: dict[str, Capture]) -> None:
    """Whatever is already buffered belongs to the run; a background writer cannot stall us."""
    for name, stream in (("stdout", proc.stdout), ("stderr", proc.stderr)):
        assert stream is not None
        os.set_blocking(stream.fileno(), False)
        until = time.perf_counter() + 0.2
        while time.perf_counter() < until:
            try:
                chunk = os.read(stream.fileno(), CHUNK)
            except BlockingIOError:
                break
            if not chunk:
                break
            captures[name].feed(chunk)
        stream.close()


def reset(uid: int, gid: int) -> tuple[list[str], bool]:
    """As the sandbox user, in a child: kill its processes, list and delete what it left in the
    writable places, remove its IPC objects. (paths listed, whether all of it worked)."""
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        return [], False  # the pids limit is exhausted: the host replaces the container
    if pid == 0:  # pragma: no cover - the child
        os.close(read_end)
        code = 1
        try:
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)
            found, clean = _reset_as_user(uid)
            os.write(write_end, json.dumps({"writes": found, "clean": clean}).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    data = b""
    while chunk := os.read(read_end, CHUNK):
        data += chunk
    os.close(read_end)
    _, wstatus = os.waitpid(pid, 0)
    try:
        report = json.loads(data)
    except ValueError:
        return [], False
    return list(report["writes"]), bool(report["clean"]) and os.waitstatus_to_exitcode(wstatus) == 0


def _reset_as_user(uid: int) -> tuple[list[str], bool]:
    deadline = time.monotonic() + 10
    while processes(uid) and time.monotonic() < deadline:
        with contextlib.suppress(ProcessLookupError):
            os.kill(-1, signal.SIGKILL)  # every process we may signal but ourselves
        time.sleep(0.005)
    clean = not processes(uid)
    found: list[str] = []
    for top in WRITABLE:
        found += _wipe(top)
    found += _remove_ipc(uid)
    clean = clean and not any(os.listdir(top) for top in WRITABLE if os.path.isdir(top))
    return found, clean


def _wipe(top: str) -> list[str]:
    """List (files, links, empty directories) and delete everything below `top`."""
    if not os.path.isdir(top):
        return []
    found: list[str] = []
    for entry in os.listdir(top):
        path = os.path.join(top, entry)
        if os.path.isdir(path) and not os.path.islink(path):
            for dirpath, dirnames, filenames in os.walk(path, onerror=lambda _e: None):
                for name in dirnames:
                    full = os.path.join(dirpath, name)
                    if not os.path.islink(full):
                        _chmod(full)
                links = [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]
                found += [os.path.join(dirpath, n) for n in (*filenames, *links)]
                if not dirnames and not filenames:
                    found.append(dirpath)
            _chmod(path)
            shutil.rmtree(path, ignore_errors=True)
        else:
            found.append(path)
            with contextlib.suppress(OSError):
                os.unlink(path)
    return found


def _chmod(path: str) -> None:
    with contextlib.suppress(OSError):
        os.chmod(path, 0o700)


def _remove_ipc(uid: int) -> list[str]:
    """Remove the user's System V shared memory, semaphores and message queues."""
    owned: list[tuple[str, int, str]] = []
    for kind, column in (("shm", 7), ("sem", 4), ("msg", 7)):
        try:
            with open(f"/proc/sysvipc/{kind}") as fh:
                rows = [line.split() for line in fh.readlines()[1:]]
        except OSError:
            continue
        owned += [(kind, int(row[1]), row[0]) for row in rows if int(row[column]) == uid]
    if not owned:
        return []
    import ctypes  # only now: importing it costs more than the rest of the reset

    libc = ctypes.CDLL(None, use_errno=True)
    remove = {
        "shm": lambda i: libc.shmctl(i, 0, None),
        "sem": lambda i: libc.semctl(i, 0, 0),
        "msg": lambda i: libc.msgctl(i, 0, None),
    }
    for kind, ident, _ in owned:
        remove[kind](ident)
    return [f"sysv-{kind}:{key}" for kind, _, key in owned]


def main(argv: list[str]) -> int:
    if argv[1:] == ["--idle"]:
        while True:
            signal.pause()
    with open(argv[1]) as fh:
        job = json.load(fh)
    captures = {name: Capture(job["max_output_bytes"]) for name in ("stdout", "stderr")}
    status = run(job, captures)
    status["writes"], status["clean"] = reset(job["uid"], job["gid"])
    for name, cap in captures.items():
        status[f"{name}_dropped"] = cap.dropped
        status[name] = base64.b64encode(bytes(cap.data)).decode()
    sys.stdout.write(json.dumps(status))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
