"""A profile far shorter than asked is topped up once: the loops are sized from one run, and
when that run was slow (a cold start, a busy machine) the profile held a few samples, mostly of
start-up (a CI rehearsal profiled 17 where about 100 were asked)."""

from __future__ import annotations

import pytest

from profilers import hotspots
from profilers.config import MeasureConfig
from profilers.errors import MeasurementError
from profilers.workload import Workload

CFG = MeasureConfig(profile_min_s=1.0, profile_rate=100)
START = "<module> (/usr/lib/python3.11/runpy.py:1);_find_and_load (<frozen importlib>:1) "
WORK = "main (/w/bench.py:1);work (/w/lib.py:4) "


@pytest.mark.parametrize(
    ("loops", "got", "took", "more"),
    [
        (1, 17, 0.3, 5),  # the CI case: the rest of the samples asked, in 5 loops
        (2, 60, 1.0, 0),  # more than half of what was asked: enough
        (1, 0, 0.3, 0),  # no sample at all is py-spy's failure, not a short profile
        (1, 5, 10.0, 0),  # a long run with few samples: time not in Python, not run again
        (1, 2, 0.25, 8),  # at most twice the time asked
        (9_999, 10, 5.0, 1),  # never past max_loops
    ],
)
def test_the_top_up_asks_for_the_rest_within_a_time_bound(
    loops: int, got: int, took: float, more: int
) -> None:
    assert hotspots._more_loops(CFG, loops, got, took) == more


class Recorder:
    """Stands in for py-spy: answers each `_record` call with the next scripted text."""

    def __init__(self, *answers: str | Exception) -> None:
        self.answers = list(answers)
        self.loops: list[int] = []

    def __call__(self, sb, harness, workload, config, loops, seed):  # type: ignore[no-untyped-def]
        self.loops.append(loops)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer, 0.3 * loops


@pytest.fixture
def seams(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setattr(hotspots, "has_tool", lambda sb, tool: True)
    monkeypatch.setattr(hotspots, "prepare", lambda sb, config: None)
    monkeypatch.setattr(hotspots, "_profile_loops", lambda *a: 1)
    monkeypatch.setattr(hotspots, "_roots", lambda sb: ("/w",))
    return monkeypatch


def test_a_short_profile_is_topped_up_and_the_two_are_read_together(
    seams: pytest.MonkeyPatch,
) -> None:
    recorder = Recorder(START + "12\n" + WORK + "5", WORK + "60\n")
    seams.setattr(hotspots, "_record", recorder)
    prof = hotspots.profile_hotspots(None, Workload("command", "python3 bench.py"), CFG)  # type: ignore[arg-type]
    assert recorder.loops == [1, 5]
    assert prof.samples == 77
    assert prof.hotspots[0].function == "work"


def test_a_top_up_that_fails_leaves_the_first_profile(seams: pytest.MonkeyPatch) -> None:
    recorder = Recorder(WORK + "17\n", MeasurementError("py-spy wrote no profile"))
    seams.setattr(hotspots, "_record", recorder)
    prof = hotspots.profile_hotspots(None, Workload("command", "python3 bench.py"), CFG)  # type: ignore[arg-type]
    assert recorder.loops == [1, 5] and prof.samples == 17


def test_a_full_profile_is_not_run_again(seams: pytest.MonkeyPatch) -> None:
    recorder = Recorder(WORK + "95\n")
    seams.setattr(hotspots, "_record", recorder)
    prof = hotspots.profile_hotspots(None, Workload("command", "python3 bench.py"), CFG)  # type: ignore[arg-type]
    assert recorder.loops == [1] and prof.samples == 95
