"""The base's instruction count is taken beside the baseline's untimed work and kept, so the
finish counts only the head; nothing is timed while it runs."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

import pytest

from profilers import base_count, instructions
from profilers.cache import MemoryCache
from profilers.config import MeasureConfig
from profilers.session import SandboxProfiler
from profilers.workload import Workload
from sandbox.base import WorkspaceSpec
from sandbox.local import LocalSandboxConfig, LocalSandboxFactory
from tests.profilers.conftest import BENCH, _git, _write, loop_script

pytestmark = [pytest.mark.slow, pytest.mark.valgrind]


def test_the_base_counted_beside_the_baseline_is_not_counted_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guards the early base count: the finish must find it (one valgrind pass over the base
    per run), and the count must have ended before the first timed pair."""
    repo, commit, patch = _repo(tmp_path)

    counted: list[tuple[str, str]] = []
    real = instructions.side_counts

    def spy(harness, workload, side, seeds, config, plan):  # type: ignore[no-untyped-def]
        counted.append((side, threading.current_thread().name))
        return real(harness, workload, side, seeds, config, plan)

    monkeypatch.setattr(instructions, "side_counts", spy)
    monkeypatch.setattr(base_count, "side_counts", spy)
    cache = MemoryCache()
    profiler = _profiler(tmp_path, repo, commit, cache)
    said: list[str] = []
    profiler.baseline(said.append)
    assert any("counting the base's instructions" in line for line in said)
    result, _why = profiler.count(patch, said.append)
    assert result is not None and result.ratio < 0.9  # start-up counts too ("whole")
    assert [side for side, _ in counted] == ["base", "head"]
    assert counted[0][1].startswith("perfagent-base-count")
    assert not counted[1][1].startswith("perfagent-base-count")
    assert [k for k, _ in cache.values if k == "instructions"] == ["instructions"]


def _repo(tmp_path: Path, base_n: int = 200_000, head_n: int = 20_000) -> tuple[Path, str, str]:
    """A repository whose head patch runs `head_n` of the base's `base_n` loop steps (a tenth
    by default): (repo, commit, patch)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    _write(repo, {"lib.py": loop_script(base_n), "bench.py": BENCH})
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "base")
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.strip()
    _write(repo, {"lib.py": loop_script(head_n)})
    patch = subprocess.run(
        ["git", "diff"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout
    subprocess.run(["git", "checkout", "-q", "lib.py"], cwd=repo, check=True)

    return repo, commit, patch


def _profiler(tmp_path: Path, repo: Path, commit: str, cache: MemoryCache) -> SandboxProfiler:
    factory = LocalSandboxFactory(LocalSandboxConfig(tmp_root=tmp_path / "trees"))
    return SandboxProfiler(
        sandboxes=factory,
        spec=lambda name, p: WorkspaceSpec(repo=repo, ref=commit, name=name, patch=p),
        workload=Workload("command", "python3 bench.py"),
        tests="python3 -c pass",
        config=MeasureConfig(instructions="auto", min_sample_s=0.05, max_pairs=6, looks=2),
        cache=cache,
    )


def test_the_head_tests_run_beside_the_base_count_and_the_timing_waits_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guards the first candidate's wait: its tests and outputs (untimed) need not wait for the
    base's count, but no pair is timed before the count has ended."""
    repo, commit, patch = _repo(tmp_path)
    events: list[str] = []
    tests_began = threading.Event()
    real = base_count.side_counts

    def slow_count(harness, workload, side, seeds, config, plan):  # type: ignore[no-untyped-def]
        # Before the change, evaluate waited for this count first: the head's tests never began.
        events.append(f"count began, head tests begun: {tests_began.wait(timeout=30)}")
        got = real(harness, workload, side, seeds, config, plan)
        events.append("count ended")
        return got

    def said(line: str) -> None:
        events.append(line)
        if line.startswith("tests: running the tests on head"):
            tests_began.set()

    monkeypatch.setattr(base_count, "side_counts", slow_count)
    profiler = _profiler(tmp_path, repo, commit, MemoryCache())
    profiler.baseline(lambda _line: None)
    m = profiler.evaluate(patch, said, count_now=False)
    assert m.runtime is not None  # timed, whatever it found
    assert "count began, head tests begun: True" in events
    first_pair = next(i for i, e in enumerate(events) if e.startswith("  timing: pair"))
    assert events.index("count ended") < first_pair


def test_counts_from_two_threads_at_once_equal_counts_made_in_turn(tmp_path: Path) -> None:
    """Guards the finish's side-by-side counts: two threads counting through one profiler
    share its factory and the base's cached count, and each gets what it would alone."""
    repo, commit, patch = _repo(tmp_path)
    half = patch.replace("+N = 20000\n", "+N = 100000\n")
    profiler = _profiler(tmp_path, repo, commit, MemoryCache())
    profiler.baseline(lambda _line: None)
    alone = [profiler.count(p, lambda _line: None)[0] for p in (patch, half)]
    got: dict[str, object] = {}

    def count(name: str, p: str) -> None:
        got[name] = profiler.count(p, lambda _line: None)[0]

    threads = [threading.Thread(target=count, args=(n, p)) for n, p in (("a", patch), ("b", half))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert alone[0] is not None and alone[1] is not None
    assert alone[0].ratio < alone[1].ratio < 1
    for mine, theirs in zip([got["a"], got["b"]], alone, strict=True):
        # the same to a few instructions in a million (paths differ by a random suffix)
        assert mine.base == theirs.base  # type: ignore[attr-defined]
        assert abs(mine.head - theirs.head) < 1e-5 * theirs.head  # type: ignore[attr-defined]
    assert not list((tmp_path / "trees").iterdir())  # every sandbox closed
