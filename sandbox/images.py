"""Images for the Docker sandbox, in three cached layers keyed by content hash (SWE-bench style).

    base      OS, CPython, git, valgrind, py-spy        configuration: built here by
              (tag perfagent-base:<suite>-<key>)         debootstrap + import, or any image name
    env       base + /opt/venv + the recipe's packages + the target's requirements files
    instance  env + the repo at its base commit + the recipe's and the task's install commands

This module holds the base layer and housekeeping (`prune`); the env and instance layers are
`sandbox.envbuild`, the build step and labels `sandbox.build` (both re-exported here).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import docker

from sandbox.base import SandboxError
from sandbox.build import (
    BUILD_ENV_PASSTHROUGH,
    CA_IN_CONTAINER,
    HOST_LABEL,
    IMAGE_PATH,
    KEY_LABEL,
    LABEL,
    OWNER_LABEL,
    RECIPE_VERSION,
    REPO_MOUNT,
    ROLE_LABEL,
    VENV,
    BuildConfig,
    Log,
    content_hash,
    find_ca_bundle,
    image_id,
    owner_labels,
    quiet,
    remove_container,
    remove_image,
    run_build_step,
    shell_quote,
)
from sandbox.envbuild import (
    EnvBuildError,
    EnvironmentSpec,
    EnvRecipe,
    ensure_env_image,
    ensure_instance_image,
    requirements_at,
)
from sandbox.procs import owner_alive, owner_token

__all__ = [
    "BUILD_ENV_PASSTHROUGH",
    "CA_IN_CONTAINER",
    "HOST_LABEL",
    "IMAGE_PATH",
    "KEY_LABEL",
    "LABEL",
    "OWNER_LABEL",
    "RECIPE_VERSION",
    "REPO_MOUNT",
    "ROLE_LABEL",
    "VENV",
    "BaseImageConfig",
    "BuildConfig",
    "EnvBuildError",
    "EnvRecipe",
    "EnvironmentSpec",
    "PruneReport",
    "ensure_base_image",
    "ensure_env_image",
    "ensure_instance_image",
    "find_ca_bundle",
    "image_id",
    "owner_alive",
    "owner_labels",
    "owner_token",
    "perfagent_images",
    "prune",
    "remove_container",
    "remove_image",
    "requirements_at",
    "run_build_step",
]


@dataclass(frozen=True)
class BaseImageConfig:
    """The base layer perfagent bootstraps when no registry image is configured."""

    repository: str = "perfagent-base"
    """Image repository name; the tag is `<suite>-<content key>`."""
    suite: str = "bookworm"
    """Debian release debootstrap installs (matches the CPython the host tools expect)."""
    mirror: str = "http://deb.debian.org/debian"
    packages: tuple[str, ...] = (
        "python3",
        "python3-venv",
        "python3-pip",
        "python3-dev",
        "git",
        "valgrind",
        "gcc",
        "libc6-dev",
    )
    """Debian packages: interpreter, git, valgrind (with its client-request headers) and a C
    compiler for the instruction-count helper and for building C extensions."""
    pip_packages: tuple[str, ...] = ("py-spy>=0.4",)
    """Installed from PyPI into the system interpreter's scripts dir (/usr/local/bin)."""

    def key(self) -> str:
        data = {"recipe": RECIPE_VERSION, **asdict(self)}
        data.pop("repository")
        return content_hash(json.dumps(data, sort_keys=True))

    @property
    def tag(self) -> str:
        return f"{self.repository}:{self.suite}-{self.key()[:12]}"


def ensure_base_image(
    client: docker.DockerClient,
    config: BaseImageConfig | None = None,
    build: BuildConfig | None = None,
    *,
    log: Log = quiet,
    rebuild: bool = False,
) -> str:
    """The bootstrapped base image's tag, building it (debootstrap + import) only when missing."""
    config = config or BaseImageConfig()
    build = build or BuildConfig()
    tag = config.tag
    if not rebuild and image_id(client, tag):
        log(f"base image {tag} present")
        return tag
    debootstrap = shutil.which("debootstrap")
    if debootstrap is None:
        raise SandboxError(
            f"base image {tag} is missing and debootstrap is not installed "
            "(apt-get install -y debootstrap, or configure a registry image as the base)"
        )
    if os.geteuid() != 0:
        raise SandboxError("bootstrapping the base image needs root (debootstrap); run as root")
    key = config.key()
    labels = {LABEL: "1", ROLE_LABEL: "base", KEY_LABEL: key}
    raw_tag = f"{config.repository}:raw-{key[:12]}"
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="perfagent-rootfs-") as tmp:
        rootfs = Path(tmp) / "rootfs"
        _debootstrap(debootstrap, config, rootfs, build.timeout_s, log)
        _import_rootfs(client, rootfs, raw_tag, labels, log)
    script = "set -e\n"
    if config.pip_packages:
        script += (
            "python3 -m pip install --no-cache-dir --break-system-packages "
            "--root-user-action=ignore "
            + " ".join(shell_quote(p) for p in config.pip_packages)
            + "\n"
        )
    script += "mkdir -p /work /perfagent && chmod 755 /work /perfagent\n"
    try:
        run_build_step(
            client, raw_tag, script, tag=tag, labels=labels, build=build, log=log, workdir="/"
        )
    finally:
        remove_image(client, raw_tag)
    log(f"base image {tag} built in {time.monotonic() - started:.0f} s")
    return tag


def _debootstrap(
    debootstrap: str, config: BaseImageConfig, rootfs: Path, timeout_s: float, log: Log
) -> None:
    log(f"debootstrap {config.suite} ({len(config.packages)} packages) ...")
    proc = subprocess.run(
        [debootstrap, "--variant=minbase", "--include=" + ",".join(config.packages),
         config.suite, str(rootfs), config.mirror],
        capture_output=True,
        text=True,
        timeout=timeout_s,
    )  # fmt: skip
    if proc.returncode != 0:
        tail = (proc.stdout + proc.stderr).strip().splitlines()[-5:]
        raise SandboxError("debootstrap failed: " + " | ".join(tail))
    # Leave no apt lists or caches in the layer; they only cost space.
    for junk in ("var/cache/apt/archives", "var/lib/apt/lists"):
        shutil.rmtree(rootfs / junk, ignore_errors=True)


def _import_rootfs(
    client: docker.DockerClient, rootfs: Path, raw_tag: str, labels: dict[str, str], log: Log
) -> None:
    log(f"importing rootfs as {raw_tag} ...")
    tar = subprocess.Popen(
        ["tar", "--numeric-owner", "-C", str(rootfs), "-c", "."], stdout=subprocess.PIPE
    )
    assert tar.stdout is not None
    try:
        repository, _, version = raw_tag.partition(":")
        client.api.import_image_from_stream(
            tar.stdout,
            repository=repository,
            tag=version,
            changes=[f"LABEL {k}={v}" for k, v in labels.items()],
        )
    finally:
        tar.stdout.close()
        tar.wait()
    if tar.returncode != 0:
        raise SandboxError(f"tar of the rootfs failed with status {tar.returncode}")


@dataclass(frozen=True)
class PruneReport:
    """What `prune` removed."""

    containers: int
    images: int
    freed_bytes: int


def prune(client: docker.DockerClient, *, include_base: bool = False) -> PruneReport:
    """Remove every container, and every env/instance image (base too if asked), labelled perfagent=1."""
    containers = client.api.containers(all=True, filters={"label": f"{LABEL}=1"})
    for c in containers:
        remove_container(client, c["Id"])
    removed, freed = 0, 0
    roles = ("instance", "env", "base") if include_base else ("instance", "env")
    for role in roles:
        for img in client.api.images(filters={"label": f"{ROLE_LABEL}={role}"}):
            for ref in img.get("RepoTags") or [img["Id"]]:
                if remove_image(client, ref):
                    removed += 1
                    freed += int(img.get("Size") or 0)
    client.api.prune_images(filters={"dangling": True, "label": f"{LABEL}=1"})
    return PruneReport(containers=len(containers), images=removed, freed_bytes=freed)


def perfagent_images(client: docker.DockerClient) -> list[dict[str, Any]]:
    """Images perfagent made: role, tags, size, created (for `perfagent sandbox status`)."""
    out = []
    for img in client.api.images(filters={"label": f"{LABEL}=1"}):
        labels = img.get("Labels") or {}
        out.append(
            {
                "role": labels.get(ROLE_LABEL, "?"),
                "tags": img.get("RepoTags") or [],
                "size": int(img.get("Size") or 0),
                "created": int(img.get("Created") or 0),
            }
        )
    return sorted(out, key=lambda i: (i["role"], -i["created"]))
