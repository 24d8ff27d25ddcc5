"""`perfagent sandbox provision` as a function: does only what is missing, says why not."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sandbox import images
from sandbox.base import SandboxError
from sandbox.engine import probe
from sandbox.provision import provision


@pytest.mark.docker
def test_provisioning_a_ready_host_installs_and_starts_nothing() -> None:
    """Guards idempotence (CI runs it on every build): with an engine and the base image in
    place it only reports them."""
    if probe() is None:
        if os.environ.get("PERFAGENT_REQUIRE_DOCKER") == "1":
            pytest.fail("PERFAGENT_REQUIRE_DOCKER=1 but no Docker engine answers")
        pytest.skip("SKIPPED LOUDLY: no Docker engine; run `perfagent sandbox provision` as root")
    lines: list[str] = []
    done = provision(log=lines.append)
    assert done.installed == [] and done.started_pid == 0
    assert done.base_image == images.BaseImageConfig().tag
    assert any("answers at" in line for line in lines)


def test_an_engine_named_elsewhere_is_not_started_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guards against starting a local dockerd when DOCKER_HOST names another engine."""
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/absent.sock")
    with pytest.raises(SandboxError, match="provisioning starts a local engine only"):
        provision()
