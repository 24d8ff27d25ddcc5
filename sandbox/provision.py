"""Provisioning the Docker sandbox on a Debian-like host: `perfagent sandbox provision`.

Does only what is missing, in order, and says each step on `log`:
1. no engine answers: install `docker.io` with apt when `dockerd` is missing, then start
   `dockerd` without iptables or a bridge (candidates run with `--network none`);
2. the base image is missing: install `debootstrap` when missing, then build the image
   (debootstrap + `docker import`, about a minute).
Installing and starting need root; a host that has everything needs nothing. Also runnable
as `python -m sandbox.provision`, which prints the `export DOCKER_HOST=...` line for a shell.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from sandbox import images
from sandbox.base import SandboxError
from sandbox.engine import DEFAULT_SOCKET, connect, engine_url, probe, start_daemon

Log = Callable[[str], None]
APT_PACKAGES = {"dockerd": "docker.io", "debootstrap": "debootstrap"}
"""The Debian package that provides each program provisioning needs."""


@dataclass
class Provisioned:
    """What `provision` found or did."""

    engine: str
    """The engine's address (what DOCKER_HOST should say)."""
    base_image: str | None
    """The base image's tag (None when `base_image=False`)."""
    installed: list[str] = field(default_factory=list)
    """Debian packages it installed."""
    started_pid: int = 0
    """The pid of the dockerd it started (0: one was already answering)."""


def _quiet(_: str) -> None:
    pass


def apt_install(packages: list[str], log: Log = _quiet, timeout_s: float = 1800.0) -> None:
    """`apt-get update && apt-get install -y PACKAGES` as root; SandboxError with apt's last
    line when it fails."""
    if os.geteuid() != 0:
        raise SandboxError(
            f"installing {' '.join(packages)} needs root: run `perfagent sandbox provision` "
            f"as root, or `apt-get install -y {' '.join(packages)}` yourself"
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    log(f"installing {' '.join(packages)} with apt-get ...")
    for argv in (
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
    ):
        proc = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=timeout_s)
        if proc.returncode != 0:
            lines = (proc.stderr or proc.stdout).strip().splitlines()
            raise SandboxError(f"{' '.join(argv[:2])} failed: {lines[-1] if lines else '?'}")


def _ensure_programs(programs: list[str], log: Log, done: Provisioned) -> None:
    missing = [APT_PACKAGES[p] for p in programs if shutil.which(p) is None]
    if missing:
        apt_install(missing, log)
        done.installed += missing


def provision(
    *,
    base_image: bool = True,
    rebuild: bool = False,
    config: images.BaseImageConfig | None = None,
    log: Log = _quiet,
) -> Provisioned:
    """Make a Docker engine answer and the base image exist, doing only what is missing."""
    url = engine_url()
    done = Provisioned(engine=url, base_image=None)
    if probe() is None:
        if url != DEFAULT_SOCKET:
            raise SandboxError(
                f"no Docker engine answers at {url} (DOCKER_HOST); provisioning starts a local "
                "engine only: unset DOCKER_HOST or start that engine"
            )
        _ensure_programs(["dockerd"], log, done)
        log("starting dockerd ...")
        done.started_pid = start_daemon()
    client = connect()
    try:
        info = client.version()
        log(f"engine {info.get('Version', '?')} answers at {url}")
        if not base_image:
            return done
        config = config or images.BaseImageConfig()
        if rebuild or images.image_id(client, config.tag) is None:
            _ensure_programs(["debootstrap"], log, done)
        done.base_image = images.ensure_base_image(client, config, log=log, rebuild=rebuild)
    finally:
        client.close()
    return done


def main() -> int:
    """`python -m sandbox.provision`: progress on stderr, the export line on stdout."""

    def say(line: str) -> None:
        print(f"provision: {line}", file=sys.stderr, flush=True)

    try:
        done = provision(log=say)
    except SandboxError as exc:
        say(f"failed: {exc}")
        return 1
    say(f"base image {done.base_image}")
    print(f"export DOCKER_HOST={done.engine}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
