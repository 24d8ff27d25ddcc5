"""Finding and starting a Docker engine: does a daemon answer, and how is it reached.

`docker.from_env()` honours `DOCKER_HOST` (and `DOCKER_TLS_VERIFY`/`DOCKER_CERT_PATH`), so a
remote or rootless engine works without code changes. `start_daemon` is the provisioning
helper for machines without a service manager (CI, these VMs): it starts `dockerd` with the
flags that work here (no iptables, no default bridge: candidates never need a network).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docker
import docker.errors
import requests.exceptions

from sandbox.base import SandboxError

DEFAULT_SOCKET = "unix:///var/run/docker.sock"
DAEMON_FLAGS: tuple[str, ...] = ("--iptables=false", "--ip6tables=false", "--bridge=none")
"""What `dockerd` needs on hosts whose kernel/firewall forbid docker's own networking."""


@dataclass(frozen=True)
class EngineConfig:
    """How to reach the engine."""

    base_url: str | None = None
    """Engine address (`unix:///...`, `tcp://...`); None uses `DOCKER_HOST` or the local socket."""
    ping_timeout_s: float = 3.0
    """How long a liveness probe may take before the engine counts as absent."""
    api_timeout_s: float = 120.0
    """Timeout of ordinary API calls (image builds and commits can be slow)."""


@dataclass(frozen=True)
class EngineInfo:
    """What the answering daemon told us (recorded with measurements and shown by `status`)."""

    base_url: str
    server_version: str
    api_version: str
    cgroup_version: str
    storage_driver: str
    ncpu: int
    mem_total: int
    rootless: bool
    seccomp: bool


def engine_url(config: EngineConfig | None = None) -> str:
    """The address an engine is expected at under `config` and the environment."""
    config = config or EngineConfig()
    return config.base_url or os.environ.get("DOCKER_HOST") or DEFAULT_SOCKET


def connect(
    config: EngineConfig | None = None, *, timeout: float | None = None
) -> docker.DockerClient:
    """A client for a daemon that answers a ping; SandboxError in one line when none does."""
    config = config or EngineConfig()
    url = engine_url(config)
    try:
        if config.base_url:
            client = docker.DockerClient(
                base_url=config.base_url, timeout=int(timeout or config.api_timeout_s)
            )
        else:
            client = docker.from_env(timeout=int(timeout or config.api_timeout_s))
        client.api.timeout = config.ping_timeout_s
        client.ping()
        client.api.timeout = timeout or config.api_timeout_s
    except (docker.errors.DockerException, requests.exceptions.RequestException, OSError) as exc:
        raise SandboxError(f"no Docker engine answers at {url}: {_first_line(exc)}") from None
    return client


def probe(config: EngineConfig | None = None) -> EngineInfo | None:
    """Engine facts when a daemon answers, else None (never raises for a missing engine)."""
    try:
        client = connect(config)
    except SandboxError:
        return None
    try:
        return describe(client, engine_url(config))
    finally:
        client.close()


@functools.lru_cache(maxsize=8)
def _available(url: str, ping_timeout_s: float) -> bool:
    return (
        probe(EngineConfig(base_url=None if url == "" else url, ping_timeout_s=ping_timeout_s))
        is not None
    )


def engine_available(config: EngineConfig | None = None) -> bool:
    """Whether a daemon answers (cached per address for the life of the process)."""
    config = config or EngineConfig()
    return _available(config.base_url or "", config.ping_timeout_s)


def describe(client: docker.DockerClient, base_url: str = "") -> EngineInfo:
    """Facts about the engine `client` talks to."""
    info: dict[str, Any] = client.info()
    version: dict[str, Any] = client.version()
    options = [str(o) for o in info.get("SecurityOptions") or []]
    return EngineInfo(
        base_url=base_url or engine_url(),
        server_version=str(version.get("Version", "")),
        api_version=str(version.get("ApiVersion", "")),
        cgroup_version=str(info.get("CgroupVersion", "")),
        storage_driver=str(info.get("Driver", "")),
        ncpu=int(info.get("NCPU") or 0),
        mem_total=int(info.get("MemTotal") or 0),
        rootless=any("rootless" in o for o in options),
        seccomp=any("seccomp" in o for o in options),
    )


def start_daemon(
    *,
    log_file: Path = Path("/var/log/perfagent-dockerd.log"),
    wait_s: float = 60.0,
    extra_flags: tuple[str, ...] = (),
) -> int:
    """Start `dockerd` in the background (root only) and wait until it answers; returns its pid.

    Used by `perfagent sandbox provision` and `perfagent sandbox bootstrap --start-engine` on hosts
    without systemd. Does nothing but wait when a daemon already answers at the local socket.
    """
    if probe() is not None:
        return 0
    dockerd = shutil.which("dockerd")
    if dockerd is None:
        raise SandboxError("dockerd is not installed (apt-get install -y docker.io)")
    if os.geteuid() != 0:
        raise SandboxError("starting dockerd needs root; run `perfagent sandbox provision` as root")
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with open(log_file, "ab") as log:
        proc = subprocess.Popen(
            [dockerd, *DAEMON_FLAGS, *extra_flags],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SandboxError(f"dockerd exited with status {proc.returncode}; see {log_file}")
        if probe(EngineConfig(base_url=DEFAULT_SOCKET, ping_timeout_s=1.0)) is not None:
            _available.cache_clear()
            return proc.pid
        time.sleep(0.5)
    raise SandboxError(f"dockerd did not answer within {wait_s:g} s; see {log_file}")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
