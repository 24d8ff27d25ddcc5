"""Limits for local commands: what this host can enforce, and the pieces that enforce it.

- `probe_host()` checks once per process (cached) whether we may create PID, network and mount
  namespaces (`unshare`, needs root or user namespaces) and a pids cgroup (needs a writable
  cgroup v1 `pids` hierarchy or cgroup v2 with the `pids` controller). What is missing becomes
  a warning; the local sandbox then falls back to process groups and rlimits.
- `ulimit_lines(limits)` are the bash builtins that set the rlimits in the command's first
  process (address space, processes, file size, no core files).
- `PidsCgroup` is one cgroup per command: it caps the number of tasks (root ignores
  RLIMIT_NPROC, so only a cgroup stops a fork bomb run as root) and lists every process the
  command left behind, even ones that called `setsid`, for the final SIGKILL.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sandbox.base import Limits

log = logging.getLogger("perfagent.sandbox")

CGROUP_DIR = "perfagent"
"""Name of the cgroup, below our own, that holds one child cgroup per running command."""


@dataclass(frozen=True)
class HostSupport:
    """What isolation this host allows us; probed once (`probe_host`)."""

    unshare: str | None
    """Path of util-linux `unshare`, when installed."""
    pid_namespace: bool
    """A new PID namespace per command: everything in it dies with its first process."""
    net_namespace: bool
    """A new network namespace: no route to the host's network, not even its loopback."""
    pids_cgroup: Path | None
    """Directory in which per-command pids cgroups are created."""
    mount_namespace: bool = False
    """A private mount namespace in which `/` can be remounted read-only."""
    gnu_time: str | None = None
    """GNU `time`, which reports the command tree's peak RSS without our own (a process we
    spawn inherits the spawner's RSS high-water mark through exec, so wait4 cannot tell)."""
    file_isolation: bool = False
    """An overlay over `/` can be mounted in a private mount namespace, and `setpriv`, `chroot`
    and `env -C` exist: commands can get a private copy-on-write view of the host's files."""
    setpriv: str | None = None
    warnings: tuple[str, ...] = ()
    """What is missing and what the sandbox does instead, one line each."""


def _probe_unshare(unshare: str, *flags: str, command: tuple[str, ...] = ("true",)) -> bool:
    try:
        proc = subprocess.run(
            [unshare, *flags, "--", *command],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return proc.returncode == 0


def _cgroup_candidates() -> list[Path]:
    """Our own cgroup directory in each hierarchy that has the pids controller."""
    own: dict[str, str] = {}
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            for ctl in controllers.split(",") if controllers else ["<v2>"]:
                own[ctl] = path
    found: list[Path] = []
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/mountinfo").read_text().splitlines():
            left, _, right = line.partition(" - ")
            fields, tail = left.split(), right.split()
            if len(fields) < 5 or len(tail) < 3:
                continue
            root, mountpoint, fstype, options = fields[3], fields[4], tail[0], tail[2]
            if fstype == "cgroup" and "pids" in options.split(","):
                key = "pids"
            elif fstype == "cgroup2":
                key = "<v2>"
                listed = Path(mountpoint, "cgroup.controllers")
                if not listed.exists() or "pids" not in listed.read_text().split():
                    continue
            else:
                continue
            mine = own.get(key)
            if mine is None or not mine.startswith(root):
                continue
            rel = mine[len(root) :].lstrip("/")
            found.append(Path(mountpoint, rel))
    return found


def _enable_pids(cgroup: Path) -> None:
    control = cgroup / "cgroup.subtree_control"
    if control.exists() and "pids" not in control.read_text().split():
        control.write_text("+pids")


def _pids_parent() -> tuple[Path | None, str]:
    reasons: list[str] = []
    for own in _cgroup_candidates():
        parent = own / CGROUP_DIR
        try:
            _enable_pids(own)
            parent.mkdir(exist_ok=True)
            _enable_pids(parent)
            probe = PidsCgroup.create(parent, 8, tag="probe")
            probe.remove()
        except OSError as exc:
            reasons.append(f"{parent}: {exc.strerror or exc}")
            continue
        _sweep_stale(parent)
        return parent, ""
    return None, "; ".join(reasons) or "no writable pids cgroup hierarchy"


@functools.cache
def probe_host() -> HostSupport:
    """Probe (once) which isolation this host allows; missing pieces become warnings."""
    warnings: list[str] = []
    unshare = shutil.which("unshare")
    pid_ns = net_ns = mount_ns = isolation = False
    if unshare is None:
        warnings.append("no `unshare` binary: no PID or network namespaces")
    else:
        pid_ns = _probe_unshare(unshare, "--pid", "--fork", "--kill-child", "--mount-proc")
        net_ns = _probe_unshare(unshare, "--net")
        mount_ns = _probe_unshare(
            unshare, "--mount", command=("mount", "-o", "remount,bind,ro", "/")
        )
        isolation = mount_ns and _probe_overlay(unshare)
        if not pid_ns:
            warnings.append(
                "cannot create PID namespaces: daemons that call setsid may outlive a command"
            )
        if not net_ns:
            warnings.append("cannot create network namespaces: commands keep the host's network")
    parent, why = _pids_parent()
    if parent is None:
        warnings.append(
            f"no pids cgroup ({why}): process count limited by RLIMIT_NPROC only"
            + (", which root ignores" if os.geteuid() == 0 else "")
        )
    gnu_time = _gnu_time()
    if gnu_time is None:
        warnings.append("no GNU time (package `time`): peak RSS of commands is not reported")
    setpriv = shutil.which("setpriv")
    tools = bool(setpriv and shutil.which("chroot") and shutil.which("env"))
    if not (isolation and pid_ns and tools):
        isolation = False
        warnings.append(
            "no private file view (needs root, mount namespaces, overlayfs and setpriv): "
            "commands write to the host's files; only the work tree, HOME and TMPDIR are reset"
        )
    for line in warnings:
        log.warning("local sandbox: %s", line)
    return HostSupport(
        unshare, pid_ns, net_ns, parent, mount_ns, gnu_time, isolation, setpriv, tuple(warnings)
    )


def _probe_overlay(unshare: str) -> bool:
    """Whether an overlay with `/` as its lower layer mounts here (in a throwaway namespace)."""
    with tempfile.TemporaryDirectory(prefix="perfagent-probe-") as tmp:
        for sub in ("u", "w", "r"):
            os.mkdir(os.path.join(tmp, sub))
        opts = f"lowerdir=/,upperdir={tmp}/u,workdir={tmp}/w"
        script = f"mount --make-rprivate / && mount -t overlay perfagent -o {opts} {tmp}/r"
        return _probe_unshare(unshare, "--mount", command=("sh", "-c", script))


def _gnu_time() -> str | None:
    path = shutil.which("time")
    if path is None:
        return None
    try:
        proc = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return path if "GNU" in proc.stdout + proc.stderr else None


def _user_tasks(uid: int) -> int:
    """Threads and processes of `uid` now (RLIMIT_NPROC counts them all, per user)."""
    count = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            status = Path(entry.path, "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("Uid", "").split()[:1] == [str(uid)]:
            count += int(fields.get("Threads", "1").strip() or 1)
    return count


def ulimit_lines(limits: Limits) -> list[str]:
    """Bash builtins setting hard and soft rlimits for a command and all it starts."""
    uid = os.geteuid()
    # RLIMIT_NPROC is per user, not per command: leave room for what the user already runs.
    nproc = limits.max_processes + (_user_tasks(uid) if uid != 0 else 0)
    return [
        f"ulimit -HS -v {max(1, limits.memory_bytes // 1024)}",
        f"ulimit -HS -u {nproc}",
        f"ulimit -HS -f {max(1, limits.max_file_bytes // 1024)}",
        "ulimit -HS -c 0",
    ]


class PidsCgroup:
    """A pids cgroup for one command: caps its tasks and finds all of them for the final kill."""

    _seq = itertools.count(1)  # next() is atomic: sandboxes may run commands from two threads

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def create(cls, parent: Path, max_pids: int, tag: str = "cmd") -> PidsCgroup:
        """A fresh cgroup below `parent` allowing at most `max_pids` tasks; OSError if refused."""
        path = parent / f"{os.getpid()}-{tag}-{next(cls._seq)}-{time.monotonic_ns() % 10**9}"
        path.mkdir()
        try:
            (path / "pids.max").write_text(str(max_pids))
        except OSError:
            path.rmdir()
            raise
        return cls(path)

    @property
    def procs_file(self) -> Path:
        """Write `0` here from a process to move it (and its future children) in."""
        return self.path / "cgroup.procs"

    def pids(self) -> list[int]:
        """Host pids of every process in the cgroup."""
        try:
            return [int(x) for x in self.procs_file.read_text().split()]
        except (OSError, ValueError):
            return []

    def kill_all(self, timeout: float = 5.0) -> bool:
        """SIGKILL every process in the cgroup until it is empty; False if some would not die."""
        deadline = time.monotonic() + timeout
        kill_file = self.path / "cgroup.kill"
        while True:
            pids = self.pids()
            if not pids:
                return True
            if kill_file.exists():
                with contextlib.suppress(OSError):
                    kill_file.write_text("1")
            for pid in pids:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
            if time.monotonic() > deadline:
                return False
            time.sleep(0.005)

    def remove(self) -> None:
        """Kill what is left and delete the cgroup (best effort, never raises)."""
        self.kill_all()
        for _ in range(200):
            try:
                self.path.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError:
                time.sleep(0.01)
        log.warning("could not remove cgroup %s", self.path)


def _sweep_stale(parent: Path) -> None:
    """Remove cgroups left by crashed perfagent processes (their owner pid is gone)."""
    for child in parent.iterdir():
        owner = child.name.split("-", 1)[0]
        if child.is_dir() and owner.isdigit() and not Path(f"/proc/{owner}").exists():
            PidsCgroup(child).remove()
