"""The environment fingerprint stored with every raw value."""

from __future__ import annotations

import os
import platform
from pathlib import Path
from typing import Any

from profilers.results import EnvFingerprint


def cpu_model() -> str:
    """The host CPU's model name (containers share it), or the machine type if unknown."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def in_container() -> bool:
    """Whether this process itself runs inside a container."""
    if Path("/.dockerenv").exists() or Path("/run/.containerenv").exists():
        return True
    try:
        cgroup = Path("/proc/1/cgroup").read_text()
    except OSError:
        return False
    return any(word in cgroup for word in ("docker", "containerd", "kubepods", "libpod"))


def fingerprint(
    sandbox_kind: str,
    seed: int,
    python: str | None = None,
    extra: dict[str, Any] | None = None,
) -> EnvFingerprint:
    """Where a measurement is taken: `python` is the sandbox interpreter's version (the host's
    when not given); load, CPU and container facts come from the host running the sandbox."""
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = -1.0
    facts: dict[str, Any] = {"host_in_container": in_container()}
    facts.update(extra or {})
    return EnvFingerprint(
        python=python or platform.python_version(),
        platform=platform.platform(),
        cpu_model=cpu_model(),
        cpu_count=os.cpu_count() or 1,
        load_avg_1m=load,
        sandbox=sandbox_kind,
        hash_seed=seed,
        extra=facts,
    )
