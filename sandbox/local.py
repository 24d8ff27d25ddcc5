"""The local sandbox: a git work tree on the host, each command a fresh, contained process.

Each `execute` runs `bash -c COMMAND` in the task directory of a private work tree:

    unshare --pid --fork --kill-child --mount-proc [--net]   (when the host allows it)
      └─ bash (init: join the command's pids cgroup, set rlimits, bring up a private loopback)
           └─ bash -c COMMAND

in a new session, with a scrubbed environment, stdout/stderr going to temp files. When the
command exits or times out, the host SIGKILLs the whole process group and every process left
in the command's cgroup; the PID namespace also takes down daemons that escaped both.
Protected files are checked after every command, and restored from the ref before one
unless the last command left them so and no other command could reach them since.

Clean state (see `sandbox.base`): each command gets a fresh HOME, TMPDIR and scratch (a
per-command directory the host renames into place). Where the host allows mount namespaces
(root), `isolate_files` also gives it a copy-on-write view of every host file (overlays built
by `sandbox.local_init` before the timing starts) without capabilities: what it writes outside
scratch, the work tree included, is listed and discarded. Without that, the work tree is put
back by `sandbox.treeguard` and writes elsewhere reach the host unseen (`sees_all_writes`).
"""

from __future__ import annotations

import logging
import os
import signal
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from sandbox.base import ExecResult, Limits, SandboxError, WorkspaceSpec
from sandbox.limits import HostSupport, PidsCgroup, probe_host, ulimit_lines
from sandbox.local_init import INIT_FAILED, INIT_TAG, InitPlan, Isolation, host_mounts
from sandbox.local_proc import Run, read_capped
from sandbox.plugins import addopts, foreign_pytest_plugins
from sandbox.prewarm import Prewarmed
from sandbox.scratch import Scratch, clear
from sandbox.secrets import URL_CREDENTIALS, admitted, is_secret_name
from sandbox.tree import TREE_PREFIX, TreeSandbox
from sandbox.treeguard import TreeGuard
from sandbox.worktree import WorkTree, clean_relative

log = logging.getLogger("perfagent.sandbox")

_ALLOW_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TERM", "TZ", "VIRTUAL_ENV")
_CERT_ENV = ("SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "PIP_CERT")
_NETWORK_ENV = (
    *("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy"),
    *("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS"),
)
_SLOTS = 3
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
    isolate_files: bool = True
    """Give each command a private copy-on-write view of the host's files and no capabilities
    (needs PID and mount namespaces, and overlayfs): writes anywhere are listed in
    `ExecResult.writes` and discarded. The set-up (one mount per host mount point) happens
    before the timed region starts; `benchmarks/sandbox_overhead.py` measures it."""
    pass_env: tuple[str, ...] = ()
    """Extra host variables to pass through (secret-looking names are still dropped)."""
    python_hash_seed: str = "0"
    """PYTHONHASHSEED unless the caller's `env` sets it (fixed, so runs are comparable)."""
    own_plugins_out: bool = True
    """Keep the pytest plugins of perfagent's own dependencies out of the project's commands
    (`sandbox.plugins`), unless the project depends on them."""
    flood_bytes: int = 256 * 1024**2
    """A command whose stdout or stderr passes this many bytes is killed (disk protection)."""


class LocalSandboxFactory:
    """Opens `LocalSandbox`es (kind "local")."""

    kind = "local"

    def __init__(self, config: LocalSandboxConfig | None = None) -> None:
        self.config = config or LocalSandboxConfig()
        self._prewarmed = Prewarmed[LocalSandbox]()

    def open(self, spec: WorkspaceSpec, limits: Limits | None = None) -> LocalSandbox:
        """Check out `spec` in a fresh work tree (or take the one `prewarm` checked out for the
        same spec and limits); SandboxError/ProtectedPathError if it cannot."""
        warm = self._prewarmed.take(spec, limits)
        return warm if warm is not None else self._open(spec, limits)

    def prewarm(self, spec: WorkspaceSpec, limits: Limits | None = None) -> None:
        """Check `spec` out in a background thread for a later `open` (a large repository's
        check-out takes a while; it runs no command)."""
        self._prewarmed.start(spec, limits, lambda: self._open(spec, limits))

    def discard_prewarmed(self) -> None:
        """Remove every work tree `prewarm` checked out that no `open` took."""
        self._prewarmed.discard()

    def _open(self, spec: WorkspaceSpec, limits: Limits | None) -> LocalSandbox:
        subdir = clean_relative(spec.subdir) if spec.subdir else ""
        tree = WorkTree.create(spec, self.config.tmp_root)
        try:
            for name in ("scratch", "runs"):
                (tree.base / name).mkdir()
            box = LocalSandbox(tree, subdir, limits or Limits(), self.config, probe_host())
            if self.config.own_plugins_out:
                box.pytest_plugins_out = foreign_pytest_plugins(spec.repo, spec.ref, subdir)
            return box
        except OSError as exc:
            tree.remove()
            raise SandboxError(f"cannot create scratch dir: {exc}") from None
        except BaseException:
            tree.remove()
            raise


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
        self.config = config
        self.support = support
        self._workdir = tree.root / subdir if subdir else tree.root
        self._box = tree.base / "box"
        self._runs = 0
        self.pytest_plugins_out: tuple[str, ...] = ()
        """pytest plugins kept out of every command (PYTEST_ADDOPTS), see `sandbox.plugins`."""
        self.last_phases: dict[str, float] = {}
        """Set-up and teardown seconds of the last command (outside its timing)."""
        self.isolating = bool(config.isolate_files and self._pid_ns() and support.file_isolation)
        self.sees_all_writes = self.isolating
        if not (self.isolating and support.setpriv) and os.geteuid() == 0:
            tree.distrust_stat()  # commands keep root's capabilities, the clock's among them
        for name in ("home", "tmp"):
            (self._box / name).mkdir(parents=True, exist_ok=True)
        self._scratch = Scratch(tree.base / "scratch", self._box / "scratch")
        super().__init__(tree, limits, None if self.isolating else TreeGuard(tree))

    @property
    def workdir(self) -> str:
        return str(self._workdir)

    @property
    def scratch(self) -> str:
        return str(self._box / "scratch")

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
            HOME=str(self._box / "home"),
            TMPDIR=str(self._box / "tmp"),
            PYTHONHASHSEED=self.config.python_hash_seed,
            PYTHONDONTWRITEBYTECODE="1",
            PERFAGENT_SCRATCH=self.scratch,
        )
        if self.pytest_plugins_out:
            out["PYTEST_ADDOPTS"] = addopts(self.pytest_plugins_out)
        return {**out, **admitted(env)}

    # execution ---------------------------------------------------------------------------
    def _pid_ns(self) -> bool:
        s = self.support
        return bool(self.config.pid_namespace and s.pid_namespace and s.unshare)

    def _plan(
        self, run_dir: Path, cgroup: PidsCgroup | None, rss: Path, keep_writes: bool
    ) -> InitPlan:
        s = self.support
        isolate_net = not self.limits.network and bool(
            self.config.net_namespace and s.net_namespace and s.unshare
        )
        plan = InitPlan(
            workdir=self.workdir,
            ulimits=ulimit_lines(self.limits),
            cgroup_procs=cgroup.procs_file if cgroup is not None else None,
            isolate_net=isolate_net,
            pid_ns=self._pid_ns(),
            rss_file=rss,
            gnu_time=s.gnu_time,
        )
        if self.isolating and s.setpriv:
            binds = [self.scratch, str(rss)]
            if keep_writes:
                binds.append(str(self.tree.root))
            plan.isolation = Isolation(run_dir, s.setpriv, binds, run_dir / "shm")
            plan.mounts = host_mounts()
        return plan

    def _argv(self, plan: InitPlan, marks_fd: int) -> list[str]:
        prefix: list[str] = []
        if (plan.pid_ns or plan.isolate_net) and self.support.unshare:
            prefix = [self.support.unshare]
            if plan.pid_ns:
                prefix += ["--pid", "--fork", "--kill-child", "--mount-proc"]
            if plan.isolation is not None:
                prefix.append("--ipc")
            if plan.isolate_net:
                prefix.append("--net")
            prefix.append("--")
        move = "" if marks_fd == 3 else f"exec 3>&{marks_fd} {marks_fd}>&-\n"
        script = move + plan.script()
        return [*prefix, "bash", "-c", script, "perfagent-sandbox"]

    def _run(
        self, command: str, limit: float, env: Mapping[str, str] | None, keep_writes: bool
    ) -> tuple[ExecResult, tuple[str, ...]]:
        """A fresh contained process from a clean state, killed with everything it started."""
        self._runs += 1
        # Slots are reused in turn: removing directories is slow on some hosts (ms each), and
        # an overlay's upper dir is only reused once its mount is surely gone.
        run_dir = self.tree.base / "runs" / str(self._runs % _SLOTS)
        run_dir.mkdir(exist_ok=True)
        for layer in run_dir.iterdir():  # empty unless a command's set-up failed in this slot
            if layer.name == "shm" or (layer.name[0] == "u" and layer.name[1:].isdigit()):
                clear(layer)
        rss = run_dir / "rss"
        rss.write_bytes(b"")
        self._scratch.prepare()
        try:
            result, plan = self._spawn(command, limit, env, run_dir, rss, keep_writes)
        finally:
            self._scratch.collect()
        return replace(result, writes=tuple(self._writes(plan))), ()

    def _spawn(
        self,
        command: str,
        limit: float,
        env: Mapping[str, str] | None,
        run_dir: Path,
        rss: Path,
        keep_writes: bool,
    ) -> tuple[ExecResult, InitPlan]:
        environment = self.environment(env)
        cgroup = self._make_cgroup()
        marks_r, marks_w = os.pipe()
        try:
            plan = self._plan(run_dir, cgroup, rss, keep_writes)
            argv = [*self._argv(plan, marks_w), command]
            with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
                run = Run(argv, environment, str(self.tree.base), out, err, marks_w)
                os.close(marks_w)
                marks_w = -1
                run.wait(marks_r, limit, self.config.flood_bytes, plan.isolation is not None)
                run.finish(cgroup)
                self.last_phases = run.phases
                stdout, cut_out = read_capped(out, self.limits.max_output_bytes)
                stderr, cut_err = read_capped(err, self.limits.max_output_bytes)
        finally:
            os.close(marks_r)
            if marks_w >= 0:
                os.close(marks_w)
            if cgroup is not None:
                cgroup.remove()
        if not run.ready:
            tagged = run.returncode == INIT_FAILED and stderr.startswith(INIT_TAG)
            why = stderr.splitlines()[0][len(INIT_TAG) :].strip() if tagged else stderr.strip()
            raise SandboxError("local sandbox: " + (why or "the command's set-up failed"))
        peak_kib = rss.read_text().strip()
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
        return result, plan

    def _writes(self, plan: InitPlan) -> list[str]:
        """What the command wrote outside scratch (listed, then removed: the directories stay
        for the next command), as `sandbox.base.ExecResult.writes` says."""
        iso = plan.isolation
        if iso is not None:
            layers = [*iso.layers, ("/dev/shm", iso.shm)]
        else:
            layers = [(str(self._box / name), self._box / name) for name in ("home", "tmp")]
        roots = (
            (str(self.tree.root), TREE_PREFIX),
            (str(self._box / "home"), "$HOME/"),
            (str(self._box / "tmp"), "$TMPDIR/"),
        )
        out = []
        for point, layer in layers:
            for rel, is_dir in clear(layer):
                path = os.path.join(point, rel)
                if is_dir and iso is not None and os.path.isdir(path):
                    continue  # copied up (files made in it and removed again): not a write
                for root, label in roots:
                    if path == root or path.startswith(root + "/"):
                        path = label + path[len(root) + 1 :]
                        break
                out.append(path.rstrip("/"))
        return out

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
