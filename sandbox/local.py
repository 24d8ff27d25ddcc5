"""The local sandbox: a git work tree on the host, each command a fresh, contained process.

Each `execute` runs `bash -c COMMAND` in the task directory of a private work tree:

    unshare --pid --fork --kill-child --mount-proc [--net]   (when the host allows it)
      └─ bash (init: join the command's pids cgroup, set rlimits, bring up a private loopback)
           └─ bash -c COMMAND

in a new session, with a scrubbed environment, stdout/stderr going to temp files. When the
command exits or times out, the host SIGKILLs the whole process group and every process left
in the command's cgroup; the PID namespace also takes down daemons that escaped both.
Protected files are restored from the ref before every command and checked after it.

By default the local sandbox isolates processes, not files: a command can still write outside
its work tree with the user's rights, unless `LocalSandboxConfig(readonly_root=True)` (root
only, slower per command). The Docker sandbox is the isolating one; this is the fallback.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import shlex
import signal
import subprocess
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sandbox.base import ExecResult, Limits, SandboxError, WorkspaceSpec
from sandbox.limits import HostSupport, PidsCgroup, probe_host, ulimit_lines
from sandbox.secrets import URL_CREDENTIALS, admitted, is_secret_name
from sandbox.tree import TreeSandbox
from sandbox.worktree import WorkTree, clean_relative

log = logging.getLogger("perfagent.sandbox")

INIT_FAILED = 125
"""Exit status of the init shell when it cannot set up a limit (the command never ran)."""
_INIT_TAG = "perfagent-sandbox-init:"
_ALLOW_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TERM", "TZ", "VIRTUAL_ENV")
_CERT_ENV = ("SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "PIP_CERT")
_NETWORK_ENV = (
    *("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy"),
    *("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS"),
)
_MEMORY_SIGNS = ("MemoryError", "Cannot allocate memory", "std::bad_alloc", "out of memory")


@dataclass(frozen=True)
class LocalSandboxConfig:
    """Settings of the local sandbox; the defaults use every isolation the host allows."""

    tmp_root: Path | None = None
    """Where work trees are created (`<tmp_root>/perfagent-<name>-XXXXXXXX/`); default $TMPDIR."""
    pid_namespace: bool = True
    """Run each command as the first process of a new PID namespace, when the host allows."""
    net_namespace: bool = True
    """Give commands without `limits.network` a new, empty network namespace, when allowed."""
    pids_cgroup: bool = True
    """Cap each command's task count with a pids cgroup (and find its leftovers), when allowed."""
    readonly_root: bool = False
    """For commands without `limits.network`: remount `/` read-only in a private mount namespace
    so only the work tree, scratch and a private /dev/shm are writable (needs the PID namespace).
    Trusted setup steps that ask for the network (installs) keep a writable host. Off by
    default: it costs one `mount` per host mount point on every command (about 35 ms with 20
    mounts), which lands in wall-time samples; the Docker sandbox isolates files instead."""
    pass_env: tuple[str, ...] = ()
    """Extra host variables to pass through (secret-looking names are still dropped)."""
    python_hash_seed: str = "0"
    """PYTHONHASHSEED unless the caller's `env` sets it (fixed, so runs are comparable)."""
    flood_bytes: int = 256 * 1024**2
    """A command whose stdout or stderr passes this many bytes is killed (disk protection)."""


class LocalSandboxFactory:
    """Opens `LocalSandbox`es (kind "local")."""

    kind = "local"

    def __init__(self, config: LocalSandboxConfig | None = None) -> None:
        self.config = config or LocalSandboxConfig()

    def open(self, spec: WorkspaceSpec, limits: Limits | None = None) -> LocalSandbox:
        """Check out `spec` in a fresh work tree; SandboxError/ProtectedPathError if it cannot."""
        subdir = clean_relative(spec.subdir) if spec.subdir else ""
        tree = WorkTree.create(spec, self.config.tmp_root)
        try:
            for name in ("scratch", "scratch/home", "scratch/tmp"):
                (tree.base / name).mkdir()
        except OSError as exc:
            tree.remove()
            raise SandboxError(f"cannot create scratch dir: {exc}") from None
        return LocalSandbox(tree, subdir, limits or Limits(), self.config, probe_host())


class LocalSandbox(TreeSandbox):
    """One work tree on the host; `execute` runs contained, stateless commands in it."""

    kind = "local"

    def __init__(
        self,
        tree: WorkTree,
        subdir: str,
        limits: Limits,
        config: LocalSandboxConfig,
        support: HostSupport,
    ) -> None:
        super().__init__(tree, limits)
        self.config = config
        self.support = support
        self._workdir = tree.root / subdir if subdir else tree.root

    @property
    def workdir(self) -> str:
        return str(self._workdir)

    @property
    def scratch(self) -> str:
        return str(self.host_scratch)

    @property
    def warnings(self) -> tuple[str, ...]:
        """Isolation this host could not give (see `sandbox.limits.probe_host`)."""
        return self.support.warnings

    # environment -------------------------------------------------------------------------
    def environment(self, env: Mapping[str, str] | None = None) -> dict[str, str]:
        """The scrubbed environment a command gets: an allow-list of host variables, then `env`,
        minus anything that looks like a credential (dropped with a logged warning)."""
        names = [*_ALLOW_ENV, *_CERT_ENV, *self.config.pass_env]
        if self.limits.network:
            names += _NETWORK_ENV
        out = {
            n: os.environ[n]
            for n in names
            if n in os.environ
            and not is_secret_name(n)
            and not URL_CREDENTIALS.search(os.environ[n])
        }
        out.setdefault("PATH", os.defpath)
        out.setdefault("LANG", "C.UTF-8")
        out.setdefault("TERM", "dumb")
        out.update(
            HOME=str(self.host_scratch / "home"),
            TMPDIR=str(self.host_scratch / "tmp"),
            PYTHONHASHSEED=self.config.python_hash_seed,
            PYTHONDONTWRITEBYTECODE="1",
            PERFAGENT_SCRATCH=self.scratch,
        )
        return {**out, **admitted(env)}

    # execution ---------------------------------------------------------------------------
    def _init_script(
        self,
        cgroup: PidsCgroup | None,
        isolate_net: bool,
        pid_ns: bool,
        rss_file: Path | None,
        readonly: bool,
    ) -> str:
        lines = ['fail() { printf "%s %s\\n" "' + _INIT_TAG + '" "$1" >&2; exit 125; }']
        if cgroup is not None:
            procs = shlex.quote(str(cgroup.procs_file))
            lines.append(f'echo 0 > {procs} 2>/dev/null || fail "cannot join cgroup"')
        lines += [f'{u} 2>/dev/null || fail "cannot set {u}"' for u in ulimit_lines(self.limits)]
        if isolate_net:
            lines.append("command -v ip >/dev/null && ip link set lo up >/dev/null 2>&1")
        if readonly:
            lines += self._readonly_lines(rss_file)
        lines.append(f'cd {shlex.quote(self.workdir)} || fail "no work dir"')
        run = 'bash -c "$1"'
        if rss_file is not None and self.support.gnu_time:
            run = f"{shlex.quote(self.support.gnu_time)} -q -f %M -o {shlex.quote(str(rss_file))} {run}"
        # Keep init as PID 1 so the command is an ordinary process (PID 1 ignores SIGTERM).
        lines.append(f"{run}; exit $?" if pid_ns else f"exec {run}")
        return "\n".join(lines)

    def _readonly_lines(self, rss_file: Path | None) -> list[str]:
        writable = [str(self.tree.root), str(self.host_scratch)]
        if rss_file is not None:
            writable.append(str(rss_file))
        quoted = [shlex.quote(w) for w in writable]
        shm = max(1, self.limits.memory_bytes // 1024)
        return [
            "mount --make-rprivate / 2>/dev/null",
            *(f'mount --bind {q} {q} || fail "cannot bind {q}"' for q in quoted),
            f"mount -t tmpfs -o size={shm}k,mode=1777 tmpfs /dev/shm 2>/dev/null",
            # A fresh read-only sysfs hides the cgroup mounts below /sys in one step.
            "mount -t sysfs -o ro,nosuid,nodev,noexec sysfs /sys 2>/dev/null",
            "while read -r _ _ _ _ mp opts _; do",
            f'  case "$mp" in {"|".join(quoted)}|/proc|/proc/*|/sys|/sys/*|/dev/shm|/dev/pts) continue;; esac',
            '  case ",$opts," in *,ro,*) continue;; esac',
            '  mount -o remount,bind,ro "$mp" 2>/dev/null',
            "done < /proc/self/mountinfo",
            'touch / 2>/dev/null && fail "cannot make / read-only"',
        ]

    def _argv(self, command: str, cgroup: PidsCgroup | None, rss_file: Path | None) -> list[str]:
        s = self.support
        pid_ns = bool(self.config.pid_namespace and s.pid_namespace and s.unshare)
        isolate_net = not self.limits.network and bool(
            self.config.net_namespace and s.net_namespace and s.unshare
        )
        prefix: list[str] = []
        if (pid_ns or isolate_net) and s.unshare:
            prefix = [s.unshare]
            if pid_ns:
                prefix += ["--pid", "--fork", "--kill-child", "--mount-proc"]
            if isolate_net:
                prefix.append("--net")
            prefix.append("--")
        readonly = (
            self.config.readonly_root and not self.limits.network and pid_ns and s.mount_namespace
        )
        script = self._init_script(cgroup, isolate_net, pid_ns, rss_file, readonly)
        return [*prefix, "bash", "-c", script, "perfagent-sandbox", command]

    def _run(
        self, command: str, limit: float, env: Mapping[str, str] | None
    ) -> tuple[ExecResult, tuple[str, ...]]:
        """A fresh contained process, killed with everything it started at exit or timeout."""
        environment = self.environment(env)
        cgroup = self._make_cgroup()
        rss_fd, rss_name = tempfile.mkstemp(prefix="rss-", dir=self.tree.base)
        os.close(rss_fd)
        rss_file = Path(rss_name)
        try:
            with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
                argv = self._argv(command, cgroup, rss_file)
                run = _Run(argv, environment, self.workdir, out, err)
                run.wait(limit, self.config.flood_bytes)
                run.finish(cgroup)
                stdout, cut_out = _read_capped(out, self.limits.max_output_bytes)
                stderr, cut_err = _read_capped(err, self.limits.max_output_bytes)
            peak_kib = rss_file.read_text().strip()
        finally:
            rss_file.unlink(missing_ok=True)
            if cgroup is not None:
                cgroup.remove()
        if run.returncode == INIT_FAILED and stderr.startswith(_INIT_TAG):
            raise SandboxError("local sandbox: " + stderr.splitlines()[0][len(_INIT_TAG) :].strip())
        result = ExecResult(
            command=command,
            returncode=None if run.timed_out else run.returncode,
            stdout=stdout,
            stderr=stderr,
            duration_s=run.duration_s,
            timed_out=run.timed_out,
            peak_rss_bytes=int(peak_kib) * 1024 if peak_kib.isdigit() else None,
            output_truncated=cut_out or cut_err,
            killed_reason=run.reason or self._limit_reason(run.returncode, stderr),
        )
        return result, ()

    def _make_cgroup(self) -> PidsCgroup | None:
        parent = self.support.pids_cgroup
        if not self.config.pids_cgroup or parent is None:
            return None
        try:
            return PidsCgroup.create(parent, self.limits.max_processes)
        except OSError as exc:
            raise SandboxError(f"cannot create pids cgroup under {parent}: {exc}") from None

    def _limit_reason(self, returncode: int | None, stderr: str) -> str:
        if returncode is None or returncode == 0:
            return ""
        if returncode == 128 + signal.SIGXFSZ:
            return f"file size limit ({self.limits.max_file_bytes} bytes)"
        tail = stderr[-4096:]
        if any(sign in tail for sign in _MEMORY_SIGNS):
            return f"memory limit ({self.limits.memory_bytes} bytes of address space)"
        if returncode == 128 + signal.SIGKILL:
            return "killed by SIGKILL (out of memory?)"
        return ""


class _Run:
    """One spawned command: wait for it with a deadline, then kill and reap what is left."""

    def __init__(
        self, argv: list[str], env: dict[str, str], cwd: str, out: IO[bytes], err: IO[bytes]
    ):
        self.out, self.err = out, err
        self.timed_out = False
        self.reason = ""
        self.returncode: int | None = None
        self.started = time.perf_counter()
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
            )
        except OSError as exc:
            raise SandboxError(f"cannot start command: {exc}") from None
        self.duration_s = 0.0

    def wait(self, timeout: float, flood_bytes: int) -> None:
        """Block until the command exits (left a zombie, not reaped) or a limit ends it."""
        pid = self.proc.pid
        deadline = self.started + timeout
        try:
            pidfd: int | None = os.pidfd_open(pid)
        except (AttributeError, OSError):
            pidfd = None
        try:
            while True:
                remaining = deadline - time.perf_counter()
                if remaining <= 0:
                    self.timed_out = True
                    self.reason = f"timeout after {timeout:g} s"
                    break
                step = min(remaining, 0.25)
                if pidfd is not None:
                    if select.select([pidfd], [], [], step)[0]:
                        break
                else:
                    end = time.perf_counter() + step
                    exited = False
                    while time.perf_counter() < end:
                        if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT):
                            exited = True
                            break
                        time.sleep(0.001)
                    if exited:
                        break
                if max(_size(self.out), _size(self.err)) > flood_bytes:
                    self.reason = f"output flood (more than {flood_bytes} bytes)"
                    break
        finally:
            self.duration_s = time.perf_counter() - self.started
            if pidfd is not None:
                os.close(pidfd)

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
            _kill_group_members(pid)
        _, status = os.waitpid(pid, 0)
        self.proc.returncode = os.waitstatus_to_exitcode(status)  # Popen must not reap it again
        code = self.proc.returncode
        self.returncode = 128 - code if code < 0 else code


def _size(fh: IO[bytes]) -> int:
    return os.fstat(fh.fileno()).st_size


def _kill_group_members(pgid: int, timeout: float = 2.0) -> None:
    """Without a cgroup: SIGKILL any live process still in the group until none is left."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = []
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                fields = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
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


def _read_capped(fh: IO[bytes], cap: int) -> tuple[str, bool]:
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
