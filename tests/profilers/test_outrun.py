"""A head found faster but clearly slower than a candidate already checked: its trust checks
wait (issue 13), and nothing else about its measurement changes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from profilers.config import MeasureConfig
from profilers.evaluate import measure
from profilers.results import MemoryComparison, WallTimeComparison
from profilers.verdicts import OUTRUN, Verdict
from profilers.workload import Workload
from tests.profilers.conftest import BENCH, OpenPair, loop_script

pytestmark = pytest.mark.slow

COMMAND = Workload("command", "python3 bench.py")
CONFIG = MeasureConfig(instructions="never", min_sample_s=0.1)


def pair(open_pair: OpenPair) -> tuple[object, object]:
    # 40x less loop work: a whole-process gain far beyond any noise
    return open_pair(
        {"lib.py": loop_script(4_000_000), "bench.py": BENCH}, {"lib.py": loop_script(100_000)}
    )


def test_an_outrun_head_ends_faster_before_its_trust_checks(open_pair: OpenPair) -> None:
    """Guards the replays and timings of the trust checks being spent on a head that cannot
    be delivered: the verdict stays "faster", the stage says why it stopped, its memory is
    measured (it may still join the front on memory) and no trust check ran."""
    base, head = pair(open_pair)
    asked: list[MemoryComparison | None] = []

    def outrun(rt: WallTimeComparison, memory: MemoryComparison | None) -> str:
        asked.append(memory)
        return "clearly slower than candidate 1"

    said: list[str] = []
    m = measure(base, head, COMMAND, None, CONFIG, on_stage=said.append, outrun=outrun)  # type: ignore[arg-type]
    assert m.verdict == Verdict.FASTER and m.stage == OUTRUN and m.rejected is None
    assert "clearly slower than candidate 1" in m.reason
    assert m.peak_memory is not None and asked[0] is None and asked[-1] is m.peak_memory
    assert not [line for line in said if line.startswith(("behaviour", "generalization"))]
    assert [c.name for c in m.checks if c.passed is None][-1] == "trust"


def test_a_head_nothing_outruns_is_checked_in_full(open_pair: OpenPair) -> None:
    base, head = pair(open_pair)
    said: list[str] = []
    m = measure(base, head, COMMAND, None, CONFIG, on_stage=said.append, outrun=lambda _rt, _m: "")  # type: ignore[arg-type]
    assert m.verdict == Verdict.FASTER and m.stage != OUTRUN
    assert any(line.startswith("clean-state") for line in said)


def test_a_head_outrun_while_its_timing_is_undecided_stops_taking_pairs(
    open_pair: OpenPair,
) -> None:
    """Guards pairs spent on a head that can at best be dominated: at a look that decides
    nothing (three pairs cannot), a checked candidate that clearly outruns it ends the timing
    as "same", with the reason, its memory measured and no trust check run."""
    base, head = pair(open_pair)
    cfg = replace(CONFIG, pairs=3, max_pairs=9, looks=3)
    said: list[str] = []

    def outrun(rt: WallTimeComparison, memory: MemoryComparison | None) -> str:
        return "clearly slower than candidate 1"

    m = measure(base, head, COMMAND, None, cfg, on_stage=said.append, outrun=outrun)  # type: ignore[arg-type]
    assert m.verdict == Verdict.SAME and m.runtime is not None
    assert m.runtime.stopped == "outrun" and m.runtime.n_pairs == 3
    assert "timing stopped at 3 pairs: clearly slower than candidate 1" in m.reason
    assert m.peak_memory is not None
    assert not [line for line in said if line.startswith(("behaviour", "generalization"))]
