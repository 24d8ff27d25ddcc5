"""The suite profiler on the fixture (real py-spy profiles, local sandbox): which benchmarks a
candidate is measured on, and what its baseline gives the planner."""

from __future__ import annotations

from pathlib import Path

import pytest

from profilers.config import MeasureConfig
from profilers.suite_session import Suite, SuiteProfiler
from sandbox.base import WorkspaceSpec, opened
from sandbox.local import LocalSandboxConfig, LocalSandboxFactory
from tests.fixtures.suite_repo import PATCHES, make_suite_repo

pytestmark = pytest.mark.slow
CFG = MeasureConfig(instructions="off", min_sample_s=0.1)


def test_a_candidate_is_measured_on_the_benchmarks_it_touches_first(tmp_path: Path) -> None:
    """Guards the selection: a short benchmark call (time_build, a few ms in a process of
    most of a second) must still show in its profile, else its regression goes unmeasured."""
    repo = tmp_path / "suitepkg"
    make_suite_repo(repo)
    factory = LocalSandboxFactory(LocalSandboxConfig(tmp_root=tmp_path / "trees"))

    def spec(name: str, patch: str) -> WorkspaceSpec:
        return WorkspaceSpec(repo=repo, ref="HEAD", patch=patch, name=name)

    profiler = SuiteProfiler(
        factory, spec, tests=None, config=CFG, suites=(Suite("asv", "benchmarks"),), sample=2
    )
    report = profiler.baseline(lambda _m: None)
    assert report.profile.samples > 0 and len(report.durations_s) == 1
    assert any(h.file == "suitepkg/text.py" for h in report.profile.hotspots)
    picked = {}
    for name in ("tradeoff", "genuine"):
        with (
            opened(factory, spec("base", "")) as base,
            opened(factory, spec("head", PATCHES[name])) as head,
        ):
            picked[name] = [w.label for w in profiler.chosen(PATCHES[name], base, head)]
    assert picked["tradeoff"][:2] == [
        "bench_catalog.CatalogSuite.time_build",
        "bench_catalog.CatalogSuite.time_find",
    ]
    assert picked["genuine"][:2] == [
        "bench_text.TimeWordCounts.time_word_counts(2000)",
        "bench_text.TimeWordCounts.time_word_counts(6000)",
    ]
    assert all(len(p) == 4 for p in picked.values())  # the touched ones and a sample of 2
