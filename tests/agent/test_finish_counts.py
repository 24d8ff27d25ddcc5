"""The finish's instruction counts: the contenders are counted side by side (issue 13)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from agent.loop import counts
from agent.loop.counts import EARLY, count_front
from agent.loop.evaluation import measure_candidate
from agent.loop.state import Deps
from profilers.results import InstructionComparison, Measurement, WallTimeComparison
from profilers.verdicts import Verdict
from storage import Store, sqlite_url
from storage.vocabulary import Status


class Overlapping:
    """A profiler whose counts note how many run at once; each waits (a little) for a second
    one to start, so counts made one after another show as one at a time."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running = self.most = 0
        self.two = threading.Event()
        self.counted: list[str] = []

    def count(self, patch: str, progress: Callable[[str], None]) -> tuple[Any, str]:
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
            if self.running == 2:
                self.two.set()
        self.two.wait(timeout=5)
        with self.lock:
            self.running -= 1
            self.counted.append(patch)
        if patch == "7":
            return None, "instruction counts skipped: valgrind not installed in the sandbox"
        return InstructionComparison(base=1000, head=100 * int(patch), ratio=int(patch) / 10), ""


def contenders(tmp_path: Path, ratios: dict[str, float]) -> tuple[Store, str]:
    """Faster candidates whose runtime intervals overlap: all of them are on the front."""
    store = Store(sqlite_url(tmp_path / "store.db"))
    run_id = store.create_run(repo="r", base_commit="c", task={}, model="m", sandbox="local").id
    for diff, ratio in ratios.items():
        store.add_candidate(
            run_id, status=Status.FASTER, diff=diff, runtime_ratio=ratio,
            ci_low=ratio - 0.2, ci_high=ratio + 0.2,
        )  # fmt: skip
    return store, run_id


def test_the_front_is_counted_side_by_side_and_each_count_is_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guards the finish waiting on one valgrind after another while a core idles: with two
    cores, two contenders are counted at once; every contender ends with its own ratio, or
    the note why it has none, and none is counted twice."""
    monkeypatch.setattr(counts, "counts_at_once", lambda: 2)
    store, run_id = contenders(tmp_path, {"5": 0.5, "6": 0.55, "7": 0.6})
    profiler = Overlapping()
    deps = Deps(store, None, None, profiler, None, None)  # type: ignore[arg-type]
    count_front(deps, run_id)
    assert profiler.most == 2
    assert sorted(profiler.counted) == ["5", "6", "7"]
    by_diff = {c.diff: c for c in store.candidates(run_id)}
    assert by_diff["5"].instructions_ratio == 0.5 and by_diff["6"].instructions_ratio == 0.6
    assert by_diff["7"].instructions_ratio is None
    assert "valgrind" in by_diff["7"].measurement["instructions_note"]
    count_front(deps, run_id)  # resumed: nothing is counted again
    assert len(profiler.counted) == 3


def test_one_core_counts_one_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(counts.os, "sched_getaffinity", lambda _pid: {0})
    store, run_id = contenders(tmp_path, {"5": 0.5, "6": 0.55})
    profiler = Overlapping()
    profiler.two.set()  # nothing to wait for
    deps = Deps(store, None, None, profiler, None, None)  # type: ignore[arg-type]
    count_front(deps, run_id)
    assert profiler.most == 1 and sorted(profiler.counted) == ["5", "6"]


class CountedBeside:
    """A profiler whose faster head comes back counted beside its checks."""

    def __init__(self) -> None:
        self.asked: list[bool] = []
        self.counted: list[str] = []

    def evaluate(self, patch: str, progress: Callable[[str], None], **kw: Any) -> Measurement:
        self.asked.append(kw.get("count_beside", False))
        rt = WallTimeComparison(
            (1.0,) * 6, (0.5,) * 6, 1.0, 0.5, 0.5, 0.45, 0.55, 1e-3, 0.9, 6, Verdict.FASTER
        )
        counted = InstructionComparison(base=1000, head=300, ratio=0.3)
        return Measurement(Verdict.FASTER, True, True, rt, counted, None, "faster")

    def count(self, patch: str, progress: Callable[[str], None]) -> tuple[Any, str]:
        self.counted.append(patch)
        return None, "not expected"


def test_a_count_made_beside_the_checks_waits_for_the_finish_and_is_not_made_again(
    tmp_path: Path,
) -> None:
    """Guards a head counted beside its trust checks: its ratio is kept aside (the front the
    loop picks parents from must not see one contender's count before the others'), and the
    finish takes it instead of counting the head a second time."""
    store = Store(sqlite_url(tmp_path / "store.db"))
    run_id = store.create_run(repo="r", base_commit="c", task={}, model="m", sandbox="local").id
    cid = store.add_candidate(run_id, status=Status.CODED, diff="5")
    profiler = CountedBeside()
    deps = Deps(store, None, None, profiler, None, None)  # type: ignore[arg-type]
    measure_candidate(deps, run_id, store.candidate(cid), outrun=None)  # type: ignore[arg-type]
    stored = store.candidate(cid)
    assert profiler.asked == [True]
    assert stored is not None and stored.status == Status.FASTER
    assert stored.instructions_ratio is None and stored.measurement[EARLY]["ratio"] == 0.3
    count_front(deps, run_id)
    stored = store.candidate(cid)
    assert stored is not None and stored.instructions_ratio == 0.3
    assert EARLY not in stored.measurement and profiler.counted == []
