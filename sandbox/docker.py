"""The Docker sandbox: a host git work tree, and a fresh locked-down container per command.

`open` checks the spec out as a host work tree (`sandbox.worktree`) and resolves the image
(base → env → instance, `sandbox.images`). Each `execute` then starts a new container:

    docker-init (PID 1)
      └─ python3 -I -S /perfagent/bin/docker_timer.py      root, only SETUID/SETGID kept
           └─ bash -c COMMAND                               sandbox user, no capabilities

with `--network none`, all capabilities dropped (the timer keeps two to drop to the user),
`no-new-privileges`, a pids limit, memory equal to memory+swap, an optional cpuset (never a CPU
quota), fresh tmpfs `/tmp`, the work tree bind-mounted writable at /work/repo and every
protected file (tests, benchmark) bind-mounted read-only over it. The timer measures the command
itself (not `docker exec`/start overhead) and writes the result where the command cannot reach;
the host enforces the timeout with a kill and removes the container. Scratch is per command:
a command sees what the host put in scratch, and what it writes is handed to the host only, so
nothing cached by one run (in /tmp or scratch) is visible to the next.

Every container carries `perfagent=1` and its owner's pid/start time; `open` removes those of
dead owners, so a crashed perfagent leaves nothing running for long (the timer also stops itself
at the timeout).
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import re
import shutil
import socket
import stat
import subprocess
import tarfile
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

import docker
import docker.errors
import requests.exceptions

from sandbox import images
from sandbox.base import ExecResult, Limits, SandboxError, WorkspaceSpec
from sandbox.engine import EngineConfig, connect
from sandbox.secrets import admitted
from sandbox.tree import TreeSandbox
from sandbox.worktree import WorkTree, clean_relative, is_protected

log = logging.getLogger("perfagent.sandbox.docker")

TIMER_SOURCE = Path(__file__).with_name("docker_timer.py")
SCRATCH = "/perfagent/scratch"
"""Where commands see the sandbox's scratch directory."""
_BIN = "/perfagent/bin"
_OUT = "/.perfagent-out"
_JOB = "/perfagent/job.json"
_SANDBOX_LABEL = "perfagent.sandbox"


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


class DockerSandboxFactory:
    """Creates Docker sandboxes (kind "docker"); images are resolved once per repo commit."""

    kind = "docker"

    def __init__(
        self, config: DockerConfig | None = None, *, client: docker.DockerClient | None = None
    ) -> None:
        self.config = config or DockerConfig()
        self._client = client
        self._images: dict[tuple[str, str, str], str] = {}
        self.progress: Callable[[str], None] = log.info
        """Receives one line per image build step (the CLI sends these to stderr)."""

    @classmethod
    def from_environment(cls, config: DockerConfig | None = None) -> DockerSandboxFactory:
        """A factory for the engine `DOCKER_HOST` names; SandboxError if no daemon answers.

        `PERFAGENT_DOCKER_IMAGE` and `PERFAGENT_DOCKER_CPUSET` override the base image and cpuset.
        """
        config = config or DockerConfig()
        changes: dict[str, Any] = {}
        if os.environ.get("PERFAGENT_DOCKER_IMAGE"):
            changes["base_image"] = os.environ["PERFAGENT_DOCKER_IMAGE"]
        if os.environ.get("PERFAGENT_DOCKER_CPUSET"):
            changes["cpuset"] = os.environ["PERFAGENT_DOCKER_CPUSET"]
        config = replace(config, **changes)
        return cls(config, client=connect(config.engine))

    def configure(self, **changes: Any) -> DockerSandboxFactory:
        """A factory sharing this one's engine with some `DockerConfig` fields changed
        (e.g. `install=task.install, base_image=task.image`)."""
        return DockerSandboxFactory(replace(self.config, **changes), client=self._client)

    @property
    def client(self) -> docker.DockerClient:
        if self._client is None:
            self._client = connect(self.config.engine)
        return self._client

    def open(self, spec: WorkspaceSpec, limits: Limits | None = None) -> DockerSandbox:
        """Check out `spec` on the host and return a sandbox whose commands run in containers."""
        client = self.client
        reap_orphans(client)
        user = _sandbox_user(self.config.user)
        tree = WorkTree.create(spec, self.config.tmp_root)
        try:
            image = self._image(spec, tree.repo, tree.commit)
            return DockerSandbox(client, spec, tree, image, limits or Limits(), self.config, user)
        except BaseException:
            tree.remove()
            raise

    def _image(self, spec: WorkspaceSpec, repo: Path, commit: str) -> str:
        key = (str(repo), commit, spec.subdir)
        if key not in self._images:
            self._images[key] = self.resolve_image(repo, commit, spec.subdir)
        return self._images[key]

    def resolve_image(self, repo: Path, commit: str, subdir: str = "") -> str:
        """The instance image for `repo` at `commit`, building missing layers."""
        client, cfg = self.client, self.config
        base = cfg.base_image
        if base is None:
            if images.image_id(client, cfg.base.tag) is None and not cfg.bootstrap:
                raise SandboxError(
                    f"base image {cfg.base.tag} is missing; run `perfagent sandbox bootstrap`"
                )
            base = images.ensure_base_image(client, cfg.base, cfg.build, log=self.progress)
        elif images.image_id(client, base) is None:
            try:
                self.progress(f"pulling {base} ...")
                client.images.pull(base)
            except docker.errors.APIError as exc:
                raise SandboxError(
                    f"base image {base} is not available and cannot be pulled: "
                    f"{exc.explanation or exc}"
                ) from None
        env_spec = (
            images.requirements_at(repo, commit, subdir)
            if cfg.requirements
            else images.EnvironmentSpec()
        ).with_recipe(cfg.recipe)
        env = images.ensure_env_image(client, base, env_spec, cfg.build, log=self.progress)
        return images.ensure_instance_image(
            client,
            env,
            repo,
            commit,
            install=cfg.install,
            recipe_install=cfg.recipe.install if cfg.recipe else (),
            subdir=subdir,
            build=cfg.build,
            log=self.progress,
        )


class DockerSandbox(TreeSandbox):
    """One checkout whose commands each run in a fresh container (see the module docstring)."""

    kind = "docker"

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
        super().__init__(tree, limits)
        self.client = client
        self.spec = spec
        self.image = image
        self.config = config
        self.uid, self.gid = user
        self.id = uuid.uuid4().hex[:10]
        self._name = re.sub(r"[^A-Za-z0-9_.-]+", "-", spec.name)[:30].strip("-.") or "ws"
        self._subdir = clean_relative(spec.subdir) if spec.subdir else ""
        self._runs = 0
        self._made_by_commands: dict[str, tuple[int, int]] = {}
        base = tree.base
        for sub in ("scratch", "runs", "bin"):
            (base / sub).mkdir(exist_ok=True)
        shutil.copyfile(TIMER_SOURCE, base / "bin" / "docker_timer.py")
        os.chmod(base / "bin", 0o755)
        os.chmod(base / "bin" / "docker_timer.py", 0o444)
        tracked = _tracked_files(tree.repo, tree.commit)
        self._ro_paths = _collapse([p for p in tracked if is_protected(p, spec.protected)], tracked)
        if self.uid != os.geteuid():
            _chown_tree(tree.root, self.uid, self.gid)

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
            "HOME": "/tmp",
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

    def _run(
        self, command: str, timeout: float, env: Mapping[str, str] | None
    ) -> tuple[ExecResult, tuple[str, ...]]:
        """The command in a fresh container."""
        self._runs += 1
        run_dir = self.tree.base / "runs" / str(self._runs)
        run_dir.mkdir()
        try:
            seeded = self._seed_scratch(run_dir / "scratch")
            job = {
                "command": command,
                "cwd": self.workdir,
                "env": self.environment(env),
                "uid": self.uid,
                "gid": self.gid,
                "timeout_s": timeout,
                "max_output_bytes": self.limits.max_output_bytes,
                "max_file_bytes": self.limits.max_file_bytes,
                "out_dir": _OUT,
            }
            (run_dir / "job.json").write_text(json.dumps(job))
            os.chmod(run_dir / "job.json", 0o444)
            mounts, blocked = self._mounts(run_dir)
            outcome = self._run_container(command, run_dir, mounts, timeout)
            self._collect_scratch(run_dir / "scratch", seeded)
        finally:
            shutil.rmtree(run_dir, ignore_errors=True)
        return outcome, tuple(blocked)

    def _release(self) -> None:
        """Remove this sandbox's containers (if any survived) and take the tree back."""
        with contextlib.suppress(
            docker.errors.DockerException, requests.exceptions.RequestException
        ):
            for c in self.client.api.containers(
                all=True, filters={"label": f"{_SANDBOX_LABEL}={self.id}"}
            ):
                images.remove_container(self.client, c["Id"])
        if self.uid != os.geteuid():
            # Give the tree back to us so git can remove it whatever the command left.
            _chown_tree(self.tree.base, os.geteuid(), os.getegid())

    # containers ----------------------------------------------------------------------------
    def _mounts(self, run_dir: Path) -> tuple[list[docker.types.Mount], list[str]]:
        """Bind mounts for one command, and protected paths whose place was tampered with."""
        root = self.tree.root
        bind = docker.types.Mount
        mounts = [
            bind(images.REPO_MOUNT, str(root), type="bind"),
            bind(f"{images.REPO_MOUNT}/.git", str(root / ".git"), type="bind", read_only=True),
            bind(SCRATCH, str(run_dir / "scratch"), type="bind"),
            bind(_BIN, str(self.tree.base / "bin"), type="bind", read_only=True),
            bind(_JOB, str(run_dir / "job.json"), type="bind", read_only=True),
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

    def _run_container(
        self, command: str, run_dir: Path, mounts: list[docker.types.Mount], timeout: float
    ) -> ExecResult:
        api = self.client.api
        limits, cfg = self.limits, self.config
        host_config = api.create_host_config(
            mounts=mounts,
            network_mode="host" if limits.network else "none",
            cap_drop=["ALL"],
            cap_add=["SETUID", "SETGID"],
            security_opt=["no-new-privileges"],
            pids_limit=limits.max_processes,
            mem_limit=limits.memory_bytes,
            memswap_limit=limits.memory_bytes,
            cpuset_cpus=cfg.cpuset,
            init=True,
            tmpfs={
                "/tmp": f"rw,nosuid,nodev,size={cfg.tmpfs_bytes}",
                "/var/tmp": "rw,nosuid,nodev,size=16m",
                "/run/lock": "rw,nosuid,nodev,size=1m",
            },
            ulimits=[
                docker.types.Ulimit(name="nofile", soft=cfg.nofile, hard=cfg.nofile),
                docker.types.Ulimit(name="core", soft=0, hard=0),
            ],
        )
        name = f"perfagent-{self._name}-{self.id}-{self._runs}"
        try:
            created = api.create_container(
                self.image,
                command=["python3", "-I", "-S", f"{_BIN}/docker_timer.py", _JOB],
                name=name,
                user="0:0",
                working_dir="/",
                environment={"PATH": images.IMAGE_PATH, "LANG": "C.UTF-8"},
                labels={
                    **images.owner_labels(),
                    images.ROLE_LABEL: "candidate",
                    _SANDBOX_LABEL: self.id,
                },
                host_config=host_config,
                network_disabled=not limits.network,
                use_config_proxy=False,
            )
        except docker.errors.DockerException as exc:
            raise SandboxError(f"cannot create container: {_explain(exc)}") from None
        cid = created["Id"]
        host_timeout = False
        try:
            api.start(cid)
            try:
                api.wait(cid, timeout=timeout + cfg.grace_s)
            except requests.exceptions.RequestException:
                host_timeout = True
                with contextlib.suppress(docker.errors.APIError):
                    api.kill(cid)
                api.wait(cid, timeout=30)
            files = _fetch(api, cid, _OUT)
            state = api.inspect_container(cid).get("State", {})
            logs = b""
            if "status.json" not in files:
                logs = api.logs(cid, stdout=True, stderr=True, tail=50)
        except docker.errors.DockerException as exc:
            raise SandboxError(f"container {name} failed: {_explain(exc)}") from None
        finally:
            with contextlib.suppress(
                docker.errors.DockerException, requests.exceptions.RequestException
            ):
                images.remove_container(self.client, cid)
        return self._result(command, files, state, logs, timeout, host_timeout)

    def _result(
        self,
        command: str,
        files: Mapping[str, bytes],
        state: Mapping[str, Any],
        logs: bytes,
        timeout: float,
        host_timeout: bool,
    ) -> ExecResult:
        cap = self.limits.max_output_bytes
        stdout = files.get("stdout", b"")[:cap]
        stderr = files.get("stderr", b"")[:cap]
        raw = files.get("status.json")
        status: dict[str, Any] = json.loads(raw) if raw else {}
        reasons: list[str] = []
        timed_out = host_timeout or bool(status.get("timed_out"))
        if timed_out:
            reasons.append(f"timeout after {timeout:g} s")
        if status.get("oom_kills") or state.get("OOMKilled"):
            reasons.append(f"memory limit ({self.limits.memory_bytes // 1024**2} MiB) exceeded")
        if status.get("pid_limit_hits"):
            reasons.append(f"process limit ({self.limits.max_processes}) reached")
        returncode = None if timed_out else status.get("returncode")
        if returncode == -25:  # SIGXFSZ
            reasons.append(f"file size limit ({self.limits.max_file_bytes} bytes) exceeded")
        leftover = status.get("leftover") or []
        if leftover and not timed_out:
            names = ", ".join(sorted({str(n) for _, n in leftover}))
            reasons.append(f"left {len(leftover)} process(es) running after exit, killed: {names}")
        if not status and not timed_out:
            reasons.append("sandbox timer failed: " + _tail(logs))
        truncated = bool(status.get("stdout_dropped") or status.get("stderr_dropped"))
        return ExecResult(
            command=command,
            returncode=returncode,
            stdout=stdout.decode("utf-8", "replace"),
            stderr=stderr.decode("utf-8", "replace"),
            duration_s=float(status.get("duration_s", timeout if timed_out else 0.0)),
            timed_out=timed_out,
            peak_rss_bytes=status.get("maxrss_bytes"),
            output_truncated=truncated,
            killed_reason="; ".join(reasons),
        )

    # scratch -------------------------------------------------------------------------------
    def _seed_scratch(self, target: Path) -> dict[str, tuple[int, int]]:
        """Copy what the host put in scratch into this command's view; returns what was copied."""
        target.mkdir()
        seeded: dict[str, tuple[int, int]] = {}
        source = self.host_scratch
        for dirpath, dirnames, filenames in os.walk(source):
            rel_dir = os.path.relpath(dirpath, source)
            dest_dir = target if rel_dir == "." else target / rel_dir
            dest_dir.mkdir(exist_ok=True)
            dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]
            for name in filenames:
                src = os.path.join(dirpath, name)
                rel = os.path.normpath(os.path.join(rel_dir, name))
                st = os.lstat(src)
                if not stat.S_ISREG(st.st_mode):
                    continue
                if self._made_by_commands.get(rel) == (st.st_size, st.st_mtime_ns):
                    continue  # an earlier command's output: the host's, not the next command's
                dest = dest_dir / name
                shutil.copy2(src, dest)
                os.chmod(dest, (st.st_mode & 0o777) | 0o444)
                dst = os.lstat(dest)
                seeded[rel] = (dst.st_size, dst.st_mtime_ns)
        if self.uid != os.geteuid():
            for dirpath, _, _ in os.walk(target):
                os.chown(dirpath, self.uid, self.gid)
        return seeded

    def _collect_scratch(self, source: Path, seeded: Mapping[str, tuple[int, int]]) -> None:
        """Move files the command created into the host's scratch (regular files only: a link
        or device made by a command never reaches the host's readers; changes to the host's
        own files are dropped)."""
        dest_root = self.host_scratch
        for dirpath, dirnames, filenames in os.walk(source):
            dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]
            rel_dir = os.path.relpath(dirpath, source)
            for name in filenames:
                src = os.path.join(dirpath, name)
                rel = os.path.normpath(os.path.join(rel_dir, name))
                st = os.lstat(src)
                if not stat.S_ISREG(st.st_mode) or rel in seeded:
                    continue  # the host's own inputs are read-only to commands
                dest = dest_root / rel
                if not _inside_plain(dest_root, dest.parent):
                    continue
                dest.parent.mkdir(parents=True, exist_ok=True)
                if dest.is_dir() and not dest.is_symlink():
                    continue
                os.replace(src, dest)
                self._made_by_commands[rel] = (st.st_size, st.st_mtime_ns)


def reap_orphans(client: docker.DockerClient) -> int:
    """Remove perfagent containers on this host whose owning process is gone; returns how many."""
    host = socket.gethostname()
    removed = 0
    try:
        containers = client.api.containers(all=True, filters={"label": f"{images.LABEL}=1"})
    except docker.errors.DockerException:
        return 0
    for c in containers:
        labels = c.get("Labels") or {}
        owner = labels.get(images.OWNER_LABEL, "")
        if labels.get(images.HOST_LABEL) != host or not owner or images.owner_alive(owner):
            continue
        with contextlib.suppress(docker.errors.DockerException):
            images.remove_container(client, c["Id"])
            removed += 1
    return removed


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


def _sandbox_user(configured: str | None) -> tuple[int, int]:
    if configured:
        uid_text, _, gid_text = configured.partition(":")
        try:
            uid, gid = int(uid_text), int(gid_text or uid_text)
        except ValueError:
            raise SandboxError(f"sandbox user must be uid:gid, got {configured!r}") from None
    elif os.geteuid() == 0:
        uid, gid = 1000, 1000
    else:
        uid, gid = os.geteuid(), os.getegid()
    if uid == 0:
        raise SandboxError("commands must not run as root in the Docker sandbox")
    return uid, gid


def _chown_tree(root: Path, uid: int, gid: int) -> None:
    for dirpath, dirnames, filenames in os.walk(root):
        with contextlib.suppress(FileNotFoundError):
            os.chown(dirpath, uid, gid, follow_symlinks=False)
        for name in dirnames + filenames:
            with contextlib.suppress(FileNotFoundError):
                os.chown(os.path.join(dirpath, name), uid, gid, follow_symlinks=False)


def _fetch(api: docker.APIClient, cid: str, path: str) -> dict[str, bytes]:
    """Regular files of a directory in a (stopped) container, by base name."""
    try:
        stream, _ = api.get_archive(cid, path)
    except docker.errors.NotFound:
        return {}
    data = b"".join(stream)
    out: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        for member in tar.getmembers():
            if member.isfile():
                fh = tar.extractfile(member)
                if fh is not None:
                    out[PurePosixPath(member.name).name] = fh.read()
    return out


def _inside_plain(root: Path, path: Path) -> bool:
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root + os.sep)


def _explain(exc: BaseException) -> str:
    text = getattr(exc, "explanation", None) or str(exc)
    return str(text).strip().splitlines()[0] if str(text).strip() else type(exc).__name__


def _tail(data: bytes, lines: int = 5) -> str:
    text = data.decode("utf-8", "replace").strip().splitlines()
    return " | ".join(text[-lines:]) or "no output"
