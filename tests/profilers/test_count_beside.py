"""A head the wall time finds faster is counted on a spare core beside its untimed trust
checks, so the finish does not wait for valgrind; nothing is timed beside the count."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from profilers import count_beside, instructions
from profilers.cache import MemoryCache
from profilers.config import MeasureConfig
from profilers.session import SandboxProfiler
from profilers.workload import Workload
from sandbox.base import WorkspaceSpec
from sandbox.base import opened as opened_sandbox
from sandbox.local import LocalSandboxConfig, LocalSandboxFactory
from tests.profilers.test_base_count import _repo as base_repo

pytestmark = [pytest.mark.slow, pytest.mark.valgrind]

CHECKS = ("behaviour", "perturbed", "special-case", "clean-state")


def _repo(tmp_path: Path) -> tuple[Path, str, str]:
    """A head with a fortieth of the base's loop: a gain far beyond the noise of a shared
    machine, start-up included."""
    return base_repo(tmp_path, 2_000_000, 50_000)


def _profiler(tmp_path: Path, repo: Path, commit: str, cache: MemoryCache) -> SandboxProfiler:
    """The default sequential test (a clear win stops at its first look, a close one takes
    more pairs), so the load of a shared machine cannot turn the verdict."""
    return SandboxProfiler(
        sandboxes=LocalSandboxFactory(LocalSandboxConfig(tmp_root=tmp_path / "trees")),
        spec=lambda name, p: WorkspaceSpec(repo=repo, ref=commit, name=name, patch=p),
        workload=Workload("command", "python3 bench.py"),
        tests="python3 -c pass",
        config=MeasureConfig(instructions="auto", min_sample_s=0.05),
        cache=cache,
    )


def test_a_faster_head_is_counted_beside_its_checks_and_the_timing_waits_for_the_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guards the finish waiting on valgrind while a core idled through the trust checks, and
    a count running beside a timing: the head's count begins once it is timed faster, runs
    while its checks do, and has ended before anything after them is measured."""
    monkeypatch.setattr(count_beside.os, "sched_getaffinity", lambda _pid: {0, 1})
    repo, commit, patch = _repo(tmp_path)
    events: list[str] = []
    checking = threading.Event()
    real = instructions.side_counts

    def spy(harness, workload, side, seeds, config, plan):  # type: ignore[no-untyped-def]
        if side == "head":
            events.append(f"count began, checks begun: {checking.wait(timeout=60)}")
        got = real(harness, workload, side, seeds, config, plan)
        if side == "head":
            events.append(f"count ended on {threading.current_thread().name}")
        return got

    def said(line: str) -> None:
        events.append(line)
        if line.startswith(CHECKS):
            checking.set()

    monkeypatch.setattr(instructions, "side_counts", spy)
    profiler = _profiler(tmp_path, repo, commit, MemoryCache())
    profiler.baseline(lambda _line: None)
    m = profiler.evaluate(patch, said, count_now=False, count_beside=True)
    assert m.instructions is not None and m.instructions.ratio < 0.9
    assert "count began, checks begun: True" in events
    ended = events.index("count ended on perfagent-count-beside")
    faster = next(i for i, e in enumerate(events) if e.startswith("timing: faster"))
    after_checks = next(
        i for i, e in enumerate(events) if e.startswith(("generalization", "memory"))
    )
    assert faster < ended < after_checks
    profiler.sandboxes.discard_prewarmed()  # type: ignore[attr-defined]
    deadline = time.monotonic() + 60
    while list((tmp_path / "trees").iterdir()) and time.monotonic() < deadline:
        time.sleep(0.1)  # the next candidate's base, opened ahead, is closed on its thread
    assert not list((tmp_path / "trees").iterdir())  # every sandbox closed


def test_one_core_leaves_the_count_to_the_finish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On one core a count beside the checks would slow them: the head is not counted."""
    monkeypatch.setattr(count_beside.os, "sched_getaffinity", lambda _pid: {0})
    repo, commit, patch = _repo(tmp_path)
    profiler = _profiler(tmp_path, repo, commit, MemoryCache())
    profiler.baseline(lambda _line: None)
    said: list[str] = []
    m = profiler.evaluate(patch, said.append, count_now=False, count_beside=True)
    assert m.runtime is not None and m.runtime.verdict == "faster" and m.instructions is None
    assert not [line for line in said if "beside its trust checks" in line]


def test_a_count_beside_the_checks_leaves_the_next_candidates_sandbox_opened_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guards the count taking the base the loop opened ahead for the next candidate (and
    pushing its head out): each next candidate then waited for a check-out of its own."""
    monkeypatch.setattr(count_beside.os, "sched_getaffinity", lambda _pid: {0, 1})
    repo, commit, patch = _repo(tmp_path)
    profiler = _profiler(tmp_path, repo, commit, MemoryCache())
    factory = profiler.sandboxes
    opened: list[tuple[str, str]] = []
    real = factory._open  # type: ignore[attr-defined]

    def spy(spec, limits):  # type: ignore[no-untyped-def]
        opened.append((spec.name, threading.current_thread().name))
        return real(spec, limits)

    monkeypatch.setattr(factory, "_open", spy)
    profiler.baseline(lambda _line: None)
    m = profiler.evaluate(patch, lambda _line: None, count_now=False, count_beside=True)
    assert m.instructions is not None  # counted beside its checks
    opened.clear()
    with opened_sandbox(factory, profiler.spec("base", "")):
        assert opened == []  # taken as opened ahead, not checked out now
    factory.discard_prewarmed()  # type: ignore[attr-defined]
