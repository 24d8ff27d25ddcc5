"""asv suites in the Docker sandbox, whose interpreter (Debian's python3 in a venv of the
repo's requirements) has no asv_runner: the harness ships perfagent's own into scratch."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from profilers.config import MeasureConfig
from profilers.discovery import discover
from profilers.harness import prepare, run_workload
from sandbox.base import SandboxError, WorkspaceSpec
from sandbox.docker import DockerConfig, DockerSandboxFactory
from tests.fixtures.suite_repo import make_suite_repo

pytestmark = [pytest.mark.docker, pytest.mark.slow]


def test_asv_discovery_and_runs_need_nothing_installed_in_the_image(tmp_path: Path) -> None:
    try:
        factory = DockerSandboxFactory.from_environment(DockerConfig(tmp_root=tmp_path / "trees"))
    except SandboxError as exc:
        if os.environ.get("PERFAGENT_REQUIRE_DOCKER") == "1":
            pytest.fail(f"PERFAGENT_REQUIRE_DOCKER=1 but Docker is unusable: {exc}")
        pytest.skip(f"SKIPPED LOUDLY: no Docker engine ({exc}); run .ci/provision-docker as root")
    repo = tmp_path / "suitepkg"
    make_suite_repo(repo)
    sb = factory.open(WorkspaceSpec(repo=repo, ref="HEAD", name="suites"))
    try:
        config = MeasureConfig(instructions="off")
        probe = sb.execute("python3 -c 'import asv_runner'", timeout=120)
        assert not probe.ok, "the image has asv_runner: this test would prove nothing"
        harness = prepare(sb, config)
        found = {w.label: w for w in discover(sb, config, "asv", "benchmarks", harness=harness)}
        assert len(found) == 15
        for label in ("bench_catalog.CatalogSuite.time_find", "bench_catalog.track_catalog_size"):
            res, status = run_workload(harness, found[label], 2, "base", config, seed=0)
            assert res.ok and status is not None and status["ok"], res.tail()
        assert status["value"] == 1000.0
    finally:
        sb.close()
