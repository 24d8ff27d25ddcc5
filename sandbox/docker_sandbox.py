"""The Docker sandbox itself: one checkout, one warm container (see `sandbox.docker`)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import docker
import docker.errors

from sandbox import images
from sandbox.base import ExecResult, Limits, SandboxError, WorkspaceSpec
from sandbox.docker_box import HOME, SANDBOX_LABEL, Container
from sandbox.docker_result import exec_result
from sandbox.engine import EngineConfig
from sandbox.scratch import Scratch
from sandbox.secrets import admitted
from sandbox.tree import TreeSandbox
from sandbox.treeguard import TreeGuard
from sandbox.worktree import WorkTree, clean_relative, is_protected

TIMER_SOURCE = Path(__file__).with_name("docker_timer.py")
SCRATCH = "/perfagent/scratch"
"""Where commands see the sandbox's scratch directory."""
_BIN = "/perfagent/bin"
_JOBS = "/perfagent/jobs"


@dataclass(frozen=True)
class DockerConfig:
    """Settings of the Docker sandbox (defaults need no configuration)."""

    engine: EngineConfig = field(default_factory=EngineConfig)
    base_image: str | None = None
    """Base image (any image with python3 and bash); None uses the bootstrapped one
    (`perfagent sandbox bootstrap`), built on first use when `bootstrap` allows."""
    base: images.BaseImageConfig = field(default_factory=images.BaseImageConfig)
    """Recipe of the bootstrapped base image."""
    build: images.BuildConfig = field(default_factory=images.BuildConfig)
    bootstrap: bool = True
    """Build the default base image when it is missing (needs root and debootstrap)."""
    install: str | None = None
    """The task's install command, run in the instance layer (e.g. `pip install -e .`)."""
    recipe: images.EnvRecipe | None = None
    """The task's environment recipe (Python, packages, install commands) for targets without
    a prebuilt image; its failures are `EnvBuildError` (status env-failed)."""
    requirements: bool = True
    """Install the task directory's requirements*.txt into the env layer."""
    user: str | None = None
    """`uid:gid` commands run as; None: the host user, or 1000:1000 when perfagent runs as root."""
    cpuset: str | None = None
    """Whole CPUs the containers may use (`--cpuset-cpus`, e.g. "1" or "0-3"); None: all."""
    tmpfs_bytes: int = 1024**3
    """Size of each container's /tmp (counts against the memory limit)."""
    nofile: int = 4096
    """Open-file limit of commands."""
    grace_s: float = 15.0
    """How long after the timeout the host waits for the timer before killing the container."""
    tmp_root: Path | None = None
    """Where host work trees are created; default $TMPDIR."""


class DockerSandbox(TreeSandbox):
    """One checkout whose commands run in one warm container (see the module docstring)."""

    kind = "docker"
    sees_all_writes = True

    def __init__(
        self,
        client: docker.DockerClient,
        spec: WorkspaceSpec,
        tree: WorkTree,
        image: str,
        limits: Limits,
        config: DockerConfig,
        user: tuple[int, int],
    ) -> None:
        self.client = client
        self.owns_client = False
        self.spec = spec
        self.image = image
        self.config = config
        self.uid, self.gid = user
        self.id = uuid.uuid4().hex[:10]
        self._name = re.sub(r"[^A-Za-z0-9_.-]+", "-", spec.name)[:30].strip("-.") or "ws"
        self._subdir = clean_relative(spec.subdir) if spec.subdir else ""
        self._runs = self._starts = 0
        self._box: Container | None = None
        base = tree.base
        for sub in ("scratch", "jobs", "bin"):
            (base / sub).mkdir(exist_ok=True)
        shutil.copyfile(TIMER_SOURCE, base / "bin" / "docker_timer.py")
        os.chmod(base / "bin", 0o755)
        os.chmod(base / "bin" / "docker_timer.py", 0o444)
        tracked = _tracked_files(tree.repo, tree.commit)
        self._ro_paths = _collapse([p for p in tracked if is_protected(p, spec.protected)], tracked)
        if self.uid != os.geteuid():
            _chown_tree(tree.root, self.uid, self.gid)
        self._scratch = Scratch(base / "scratch", base / "box", owner=user)
        super().__init__(tree, limits, TreeGuard(tree, owner=user))
        self._start()

    # the Sandbox protocol ------------------------------------------------------------------
    @property
    def workdir(self) -> str:
        return f"{images.REPO_MOUNT}/{self._subdir}".rstrip("/")

    @property
    def scratch(self) -> str:
        return SCRATCH

    def environment(self, env: Mapping[str, str] | None = None) -> dict[str, str]:
        """The command's whole environment: an allow-list plus `env` minus secret-looking names."""
        base = {
            "PATH": images.IMAGE_PATH,
            "HOME": HOME,
            "TMPDIR": "/tmp",
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "TERM": "dumb",
            "PYTHONHASHSEED": "0",
            "PYTHONDONTWRITEBYTECODE": "1",
            "VIRTUAL_ENV": images.VENV,
            "PERFAGENT_SCRATCH": SCRATCH,
        }
        return {**base, **admitted(env)}

    def execute(
        self,
        command: str,
        *,
        timeout: float | None = None,
        env: Mapping[str, str] | None = None,
        keep_writes: bool = False,
    ) -> ExecResult:
        result = super().execute(command, timeout=timeout, env=env, keep_writes=keep_writes)
        if result.tampered:
            self._recycle()  # fresh read-only mounts over the restored protected files
        return result

    def _run(
        self, command: str, timeout: float, env: Mapping[str, str] | None, keep_writes: bool
    ) -> tuple[ExecResult, tuple[str, ...]]:
        """The command in the warm container, from a clean state."""
        self._runs += 1
        blocked = self._start() if self._box is None else ()
        assert self._box is not None
        job = {
            "command": command,
            "cwd": self.workdir,
            "env": self.environment(env),
            "uid": self.uid,
            "gid": self.gid,
            "timeout_s": timeout,
            "max_output_bytes": self.limits.max_output_bytes,
            "max_file_bytes": self.limits.max_file_bytes,
        }
        job_file = self.tree.base / "jobs" / f"{self._runs}.json"
        job_file.write_text(json.dumps(job))
        os.chmod(job_file, 0o444)
        self._scratch.prepare()
        try:
            status, why = self._box.run(f"{_JOBS}/{job_file.name}", timeout + self.config.grace_s)
        finally:
            self._scratch.collect()
            job_file.unlink(missing_ok=True)
        if status is None or not status.get("clean"):
            self._recycle()
        return exec_result(command, status, why, timeout, self.limits), tuple(blocked)

    def _start(self) -> list[str]:
        """Start a fresh container; the protected paths that could not be mounted read-only."""
        mounts, blocked = self._mounts()
        self._starts += 1
        settings = {
            "user": (self.uid, self.gid),
            "cpuset": self.config.cpuset,
            "tmpfs_bytes": self.config.tmpfs_bytes,
            "nofile": self.config.nofile,
        }
        name = f"perfagent-{self._name}-{self.id}-{self._starts}"
        self._box = Container.start(
            self.client, self.image, name, self.id, mounts, self.limits, settings
        )
        return blocked

    def _recycle(self) -> None:
        if self._box is not None:
            self._box.remove()
            self._box = None

    def _release(self) -> None:
        """Remove this sandbox's containers (if any survived) and take the tree back."""
        self._recycle()
        with contextlib.suppress(docker.errors.DockerException, OSError):
            for c in self.client.api.containers(
                all=True, filters={"label": f"{SANDBOX_LABEL}={self.id}"}
            ):
                images.remove_container(self.client, c["Id"])
        if self.owns_client:
            with contextlib.suppress(Exception):
                self.client.close()
        if self.uid != os.geteuid():
            # Give the tree back to us so git can remove it whatever the command left.
            _chown_tree(self.tree.base, os.geteuid(), os.getegid())

    def _mounts(self) -> tuple[list[docker.types.Mount], list[str]]:
        """Bind mounts of the container, and protected paths whose place was tampered with."""
        root, base = self.tree.root, self.tree.base
        bind = docker.types.Mount
        mounts = [
            bind(images.REPO_MOUNT, str(root), type="bind"),
            bind(f"{images.REPO_MOUNT}/.git", str(root / ".git"), type="bind", read_only=True),
            bind(SCRATCH, str(base / "box"), type="bind"),
            bind(_BIN, str(base / "bin"), type="bind", read_only=True),
            bind(_JOBS, str(base / "jobs"), type="bind", read_only=True),
        ]
        blocked: list[str] = []
        real_root = os.path.realpath(root)
        for rel in self._ro_paths:
            host = root / rel
            # Docker resolves symlinks in a mount's source on the host: mount only what is still
            # exactly where it belongs (restore_protected puts tampered paths back first).
            if host.is_symlink() or os.path.realpath(host) != os.path.join(real_root, rel):
                blocked.append(rel)
                continue
            if host.exists():
                mounts.append(
                    bind(f"{images.REPO_MOUNT}/{rel}", str(host), type="bind", read_only=True)
                )
        return mounts, blocked


def _tracked_files(repo: Path, commit: str) -> list[str]:
    proc = subprocess.run(
        ["git", "-C", str(repo), "ls-tree", "-r", "-z", "--name-only", "--full-tree", commit],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if proc.returncode != 0:
        raise SandboxError(f"cannot list files of {commit}: {proc.stderr.strip()}")
    return [p for p in proc.stdout.split("\0") if p]


def _collapse(protected: list[str], tracked: list[str]) -> list[str]:
    """Fewest paths covering `protected`: a directory whose tracked files are all protected is
    mounted whole (so nothing can be added inside it either)."""
    total: dict[str, int] = {}
    hit: dict[str, int] = {}
    for path in tracked:
        for parent in PurePosixPath(path).parents:
            if str(parent) != ".":
                total[str(parent)] = total.get(str(parent), 0) + 1
    for path in protected:
        for parent in PurePosixPath(path).parents:
            if str(parent) != ".":
                hit[str(parent)] = hit.get(str(parent), 0) + 1
    chosen: list[str] = []
    for path in sorted(protected):
        best = path
        for parent in PurePosixPath(path).parents:
            p = str(parent)
            if p != "." and hit.get(p) == total.get(p):
                best = p
        if not any(best == c or best.startswith(c + "/") for c in chosen):
            chosen.append(best)
    return sorted(set(chosen))


def _chown_tree(root: Path, uid: int, gid: int) -> None:
    for dirpath, dirnames, filenames in os.walk(root):
        with contextlib.suppress(FileNotFoundError):
            os.chown(dirpath, uid, gid, follow_symlinks=False)
        for name in dirnames + filenames:
            with contextlib.suppress(FileNotFoundError):
                os.chown(os.path.join(dirpath, name), uid, gid, follow_symlinks=False)
