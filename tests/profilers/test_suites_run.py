"""Benchmark suites on the fixture package, with real subprocesses in the local sandbox:
discovery, one run of each benchmark kind through the harness, and the acceptance rule fed
real measurements of the genuine and the speed-one-slow-another patches."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from profilers.config import MeasureConfig
from profilers.discovery import discover, select_regex
from profilers.harness import LIB_DIR, prepare, run_workload
from profilers.suite import judge_suite, settles_slowdown
from profilers.suite_measure import measure_suite, measure_workload
from profilers.workload import Workload
from sandbox.base import Sandbox, WorkspaceSpec
from sandbox.local import LocalSandboxConfig, LocalSandboxFactory
from tests.fixtures.suite_repo import PATCHES, make_suite_repo

pytestmark = pytest.mark.slow

# pytest plugins of the host environment are slow to load and irrelevant to the fixture.
CFG = MeasureConfig(
    instructions="off", min_sample_s=0.1, env={"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
)
ASV = [
    "bench_catalog.CatalogSuite.time_build",
    "bench_catalog.CatalogSuite.time_find",
    "bench_catalog.track_catalog_size",
    "bench_numbers.time_primes(1000)",
    "bench_numbers.time_primes(3000)",
    "bench_numbers.time_sieve",
    "bench_numbers.peakmem_sieve",
    "bench_numbers.timeraw_import_suitepkg",
    "bench_numbers.TimeMath.time_power_sum(100, 'int')",
    "bench_numbers.TimeMath.time_power_sum(100, 'float')",
    "bench_numbers.TimeMath.time_power_sum(1000, 'int')",
    "bench_numbers.TimeMath.time_power_sum(1000, 'float')",
    "bench_text.TimeWordCounts.time_word_counts(2000)",
    "bench_text.TimeWordCounts.time_word_counts(6000)",
    "bench_text.time_tokenize",
]
Open = Callable[[str], Sandbox]


@pytest.fixture
def open_tree(tmp_path: Path) -> Iterator[Open]:
    """`open_tree(patch)`: a local sandbox on the fixture repo with `patch` applied."""
    repo = tmp_path / "suitepkg"
    make_suite_repo(repo)
    factory = LocalSandboxFactory(LocalSandboxConfig(tmp_root=tmp_path / "trees"))
    opened: list[Sandbox] = []

    def make(patch: str = "") -> Sandbox:
        sb = factory.open(WorkspaceSpec(repo=repo, ref="HEAD", patch=patch, name="tree"))
        opened.append(sb)
        return sb

    yield make
    for sb in opened:
        sb.close()


def test_discovery_finds_every_benchmark_and_parameter_combination(open_tree: Open) -> None:
    sb = open_tree("")
    found = discover(sb, CFG, "asv", "benchmarks")
    assert sorted(w.label for w in found) == sorted(ASV)
    by_name = {w.label: w for w in found}
    assert by_name["bench_numbers.peakmem_sieve"].metric == "peakmem"
    assert by_name["bench_catalog.track_catalog_size"].metric == "track"
    assert by_name["bench_numbers.TimeMath.time_power_sum(1000, 'float')"].param_index == 3
    assert (sb.host_scratch / LIB_DIR / "asv_runner" / "discovery.py").is_file()
    items = discover(sb, CFG, "pytest-benchmark", "bench")
    assert [w.spec for w in items] == [
        "bench/bench_ops.py::test_word_counts",
        "bench/bench_ops.py::test_primes[500]",
        "bench/bench_ops.py::test_primes[2000]",
        "bench/bench_ops.py::test_catalog_find",
    ]
    assert len(discover(sb, CFG, "asv", "benchmarks", select="CatalogSuite")) == 2


@pytest.mark.parametrize(
    "label",
    [
        "bench_catalog.CatalogSuite.time_find",  # class with setup and teardown
        "bench_numbers.TimeMath.time_power_sum(100, 'float')",
        "bench_numbers.timeraw_import_suitepkg",
        "bench_numbers.peakmem_sieve",
        "bench_catalog.track_catalog_size",
        "bench/bench_ops.py::test_catalog_find",  # pytest-benchmark, pedantic
        "bench/bench_ops.py::test_primes[2000]",
    ],
)
def test_each_kind_runs_through_the_harness(open_tree: Open, label: str) -> None:
    sb = open_tree("")
    harness = prepare(sb, CFG)
    workloads = discover(sb, CFG, "asv", "benchmarks", harness=harness)
    workloads += discover(sb, CFG, "pytest-benchmark", "bench", harness=harness)
    [workload] = [w for w in workloads if w.label == label]
    res, status = run_workload(harness, workload, 3, "base", CFG, seed=0, quiet=True)
    assert res.ok and status is not None and status["ok"] and status["loops"] == 3
    if workload.metric == "track":
        assert status["value"] == 1000.0
    else:
        assert 0 < status["region_s"] < res.duration_s


def test_a_benchmark_that_fails_on_head_is_broken_and_a_missing_one_errors(
    open_tree: Open,
) -> None:
    base = open_tree("")
    crash = PATCHES["genuine"].replace(
        "+    counts: dict[str, int] = {}", "+    counts: dict[str, int] = {}[0]"
    )
    head = open_tree(crash)
    [words] = select_regex(discover(base, CFG, "asv", "benchmarks"), r"word_counts\(2000")
    broken = measure_workload(base, head, words, CFG)
    assert broken.status == "broken" and "KeyError" in broken.reason
    gone = Workload("asv", "bench_text.time_nothing", root="benchmarks")
    missing = measure_workload(base, head, gone, CFG)
    assert missing.status == "error" and "Could not find benchmark" in missing.reason


def _measured(open_tree: Open, patch: str, pattern: str) -> list[str]:
    base, head = open_tree(""), open_tree(PATCHES[patch])
    workloads = select_regex(discover(base, CFG, "asv", "benchmarks"), pattern)
    # This shared machine is noisy: a tolerance of 20 % keeps noise from flagging an untouched
    # benchmark, and the fixture's regression (building two catalog indexes) is about 1.8x.
    settled = settles_slowdown(0.2, CFG, len(workloads))
    results = measure_suite(base, head, workloads, CFG, slowdown_settled=settled)
    verdict = judge_suite(results, tolerance=0.2, config=CFG)
    rows = {row.name: row.verdict for row in verdict.workloads}
    return [str(verdict.accepted), verdict.verdict, *(f"{k}={v}" for k, v in sorted(rows.items()))]


def test_the_genuine_improvement_is_accepted_on_real_measurements(open_tree: Open) -> None:
    got = _measured(open_tree, "genuine", r"word_counts\(2000|time_build|track")
    assert got == [
        "True",
        "faster",
        "bench_catalog.CatalogSuite.time_build=same",
        "bench_catalog.track_catalog_size=same",
        "bench_text.TimeWordCounts.time_word_counts(2000)=faster",
    ]


def test_speeding_one_benchmark_and_slowing_another_is_rejected(open_tree: Open) -> None:
    """Guards issue 15's core case: time_find gets faster, time_build slower: rejected."""
    got = _measured(open_tree, "tradeoff", r"CatalogSuite")
    assert got == [
        "False",
        "slower",
        "bench_catalog.CatalogSuite.time_build=slower",
        "bench_catalog.CatalogSuite.time_find=faster",
    ]
