"""`perfagent doctor` says exactly what is missing for the Docker sandbox and how to fix it.

The engine cases run against a real engine: without one they skip loudly; under
`PERFAGENT_REQUIRE_DOCKER=1` (CI) they fail, as in tests/sandbox/test_docker.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from agent.doctor import checks


def _require_engine() -> None:
    from sandbox.engine import engine_url, probe

    if probe() is None:
        if os.environ.get("PERFAGENT_REQUIRE_DOCKER") == "1":
            pytest.fail(
                f"PERFAGENT_REQUIRE_DOCKER=1 but no Docker engine answers at {engine_url()}"
            )
        pytest.skip(
            f"SKIPPED LOUDLY: no Docker engine at {engine_url()}; run `perfagent sandbox provision` as root"
        )


def test_client_only_names_the_url_and_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guards against the old one-word "no engine answers (DockerException)": with the SDK
    present but no daemon, doctor must name the address it tried and how to start an engine."""
    url = f"unix://{tmp_path}/absent/docker.sock"
    monkeypatch.setenv("DOCKER_HOST", url)
    monkeypatch.delenv("PERFAGENT_DOCKER_IMAGE", raising=False)

    results = checks()

    ok, message = results["docker"]
    assert not ok
    assert message.startswith("client only")
    assert url in message
    assert "socket file does not exist" in message
    assert "perfagent sandbox provision" in message
    assert ".ci/" not in message  # pip users have no checkout: never send them to one
    assert "DOCKER_HOST" in message
    assert results["docker-image"] == (False, "not checked: no engine")


def test_cli_prints_one_line_per_check(tmp_path: Path) -> None:
    """Guards the output format: one `ok`/`no` line per check, the Docker advice on one line."""
    url = f"unix://{tmp_path}/absent/docker.sock"
    env = {**os.environ, "DOCKER_HOST": url}
    env.pop("PERFAGENT_DOCKER_IMAGE", None)
    proc = subprocess.run(
        [sys.executable, "-m", "agent", "doctor"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert all(line[:4] in ("ok  ", "no  ") for line in lines), lines
    docker_lines = [line for line in lines if line.split()[1] == "docker"]
    assert len(docker_lines) == 1
    assert docker_lines[0].startswith("no ") and url in docker_lines[0]


def test_missing_sdk_is_told_apart_from_missing_engine() -> None:
    """Guards against blaming the engine when the `docker` package itself cannot be imported
    (a broken install): the import is made to fail for real in a child interpreter."""
    code = (
        "import sys\n"
        "sys.modules['docker'] = None\n"
        "from agent.doctor import checks\n"
        "ok, message = checks()['docker']\n"
        "print(ok)\n"
        "print(message)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    ok, message = proc.stdout.splitlines()
    assert ok == "False"
    assert "docker Python SDK cannot be imported" in message
    assert "pip install" in message


@pytest.mark.docker
def test_real_engine_reports_version_and_base_image(monkeypatch: pytest.MonkeyPatch) -> None:
    """Guards the healthy case: engine version and the base image tag the sandbox would use,
    whose presence doctor must report as the engine itself sees it."""
    monkeypatch.delenv("PERFAGENT_DOCKER_IMAGE", raising=False)
    _require_engine()
    from sandbox import images
    from sandbox.engine import connect, describe, engine_url

    client = connect()
    try:
        version = describe(client).server_version
        tag = images.BaseImageConfig().tag
        present = images.image_id(client, tag) is not None
    finally:
        client.close()

    results = checks()

    ok, message = results["docker"]
    assert ok, message
    assert f"engine {version}" in message
    assert engine_url() in message
    image_ok, image_message = results["docker-image"]
    assert image_ok == present, image_message
    assert tag in image_message
    if not present:
        assert "perfagent sandbox provision" in image_message


@pytest.mark.docker
def test_missing_configured_base_image(monkeypatch: pytest.MonkeyPatch) -> None:
    """Guards against calling Docker usable when the engine answers but the base image the
    sandbox is configured with (PERFAGENT_DOCKER_IMAGE) is not there."""
    _require_engine()
    tag = f"perfagent-doctor-absent:{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv("PERFAGENT_DOCKER_IMAGE", tag)

    results = checks()

    assert results["docker"][0], results["docker"][1]
    ok, message = results["docker-image"]
    assert not ok
    assert tag in message
    assert "PERFAGENT_DOCKER_IMAGE" in message
    assert "perfagent sandbox bootstrap" in message
