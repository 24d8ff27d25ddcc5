"""The Docker sandbox: a host git work tree, and one warm locked-down container per sandbox.

`open` checks the spec out as a host work tree (`sandbox.worktree`), resolves the image
(base → env → instance, `sandbox.images`) and starts the sandbox's container
(`sandbox.docker_box`: no network, no capabilities, non-root commands, read-only root
filesystem, pids and memory limits, a cpuset and never a CPU quota). Each `execute` is one
`docker exec` of the timer (`sandbox.docker_timer`), which times the command alone and then
resets the container. Between commands the host resets the rest (`sandbox.base`'s clean
state): scratch is per command (`sandbox.scratch`: the host's inputs in, outputs out, nothing
from one command to the next) and the work tree is put back by `sandbox.treeguard` unless the
command keeps its writes. A command that tampers with protected files, hangs its timer or
cannot be cleaned up after gets a fresh container for the next one.

`prewarm(spec)` opens a sandbox in the background (check-out, image, container start), so the
next candidate's sandbox is ready when the current one's timing ends; it never runs a command.

Every container carries `perfagent=1` and its owner's pid/start time; `open` removes those of
dead owners, so a crashed perfagent leaves nothing running for long.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import docker
import docker.errors

from sandbox import images
from sandbox.base import Limits, SandboxError, WorkspaceSpec
from sandbox.docker_sandbox import SCRATCH, DockerConfig, DockerSandbox, _collapse
from sandbox.engine import connect
from sandbox.prewarm import Prewarmed
from sandbox.worktree import WorkTree

__all__ = [
    "SCRATCH",
    "DockerConfig",
    "DockerSandbox",
    "DockerSandboxFactory",
    "_collapse",
    "reap_orphans",
]

log = logging.getLogger("perfagent.sandbox.docker")
_MAX_PREWARMED = 4


class DockerSandboxFactory:
    """Creates Docker sandboxes (kind "docker"); images are resolved once per repo commit."""

    kind = "docker"

    def __init__(
        self, config: DockerConfig | None = None, *, client: docker.DockerClient | None = None
    ) -> None:
        self.config = config or DockerConfig()
        self._client = client
        self._images: dict[tuple[str, str, str], str] = {}
        self._prewarmed = Prewarmed[DockerSandbox](_MAX_PREWARMED)
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
        """Check out `spec` on the host and start its container (or take the one `prewarm`
        started for the same spec and limits)."""
        warm = self._prewarmed.take(spec, limits)
        return warm if warm is not None else self._open(spec, limits, self.client)

    def prewarm(self, spec: WorkspaceSpec, limits: Limits | None = None) -> None:
        """Open `spec` in a background thread (its own engine connection) for a later `open`."""
        self._prewarmed.start(spec, limits, lambda: self._open(spec, limits, None))

    def discard_prewarmed(self) -> None:
        """Close every sandbox `prewarm` opened that no `open` took."""
        self._prewarmed.discard()

    def _open(
        self, spec: WorkspaceSpec, limits: Limits | None, client: docker.DockerClient | None
    ) -> DockerSandbox:
        own = client is None
        client = client or connect(self.config.engine)
        try:
            reap_orphans(client)
            user = _sandbox_user(self.config.user)
            tree = WorkTree.create(spec, self.config.tmp_root)
            try:
                image = self._image(spec, tree.repo, tree.commit)
                sb = DockerSandbox(client, spec, tree, image, limits or Limits(), self.config, user)
            except BaseException:
                tree.remove()
                raise
        except BaseException:
            if own:
                client.close()
            raise
        sb.owns_client = own
        return sb

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
