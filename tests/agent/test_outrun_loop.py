"""The loop's side of deferred trust checks: a faster head clearly outrun by a checked
candidate is `dominated` (never on the front, a parent or accepted), and is checked in full
at the finish only when what outran it is turned away."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from agent.protocols import Outrun, Profiler
from profilers.results import Check, Measurement, MemoryComparison, WallTimeComparison
from profilers.verdicts import OUTRUN, Verdict
from tests.agent.test_loop import FAST, PROJECT, SLOW, run

pytestmark = pytest.mark.slow

LESS = SLOW.replace("time.sleep(0.25)", "time.sleep(0.08)")
SCRIPT = {
    "plans": [
        {"title": "drop the sleep", "text": "x", "files": {"calc/core.py": FAST}},
        {"title": "sleep less", "text": "x", "files": {"calc/core.py": LESS}},
    ]
}


def runtime(ratio: float) -> WallTimeComparison:
    return WallTimeComparison(
        (1.0,) * 6, (ratio,) * 6, 1.0, ratio, ratio, ratio * 0.9, ratio * 1.1, 1e-3, 0.9, 6,
        Verdict.FASTER,
    )  # fmt: skip


class Scripted:
    """The real baseline; every candidate's measurement is scripted (the loop is under test,
    not the timing): "drop the sleep" x0.2, "sleep less" x0.5; `turn_away` confirms nothing."""

    def __init__(self, inner: Profiler, turn_away: bool) -> None:
        self.inner, self.turn_away = inner, turn_away
        self.evaluated: list[tuple[str, bool]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    @staticmethod
    def _title(patch: str) -> str:
        return "sleep less" if "time.sleep(0.08)" in patch else "drop the sleep"

    def evaluate(
        self, patch: str, progress: Callable[[str], None], *, outrun: Outrun | None = None, **_: Any
    ) -> Measurement:
        title = self._title(patch)
        self.evaluated.append((title, outrun is not None))
        rt = runtime(0.2 if title == "drop the sleep" else 0.5)
        memory = MemoryComparison(base_bytes=100, head_bytes=100)
        if outrun is not None and outrun(rt, None) and (why := outrun(rt, memory)):
            checks = (Check("trust", None, f"not run yet: {why}"),)
            return Measurement(
                Verdict.FASTER, True, True, rt, None, memory, why, OUTRUN, checks=checks
            )
        checks = (Check("behaviour", True, "as on the base"),)
        return Measurement(Verdict.FASTER, True, True, rt, None, memory, "faster", checks=checks)

    def confirm(self, patch: str, progress: Callable[[str], None]) -> Measurement:
        rt = runtime(0.2 if self._title(patch) == "drop the sleep" else 0.5)
        if self.turn_away and self._title(patch) == "drop the sleep":
            return Measurement(Verdict.SAME, True, None, rt, reason="same", stage="confirmed")
        return Measurement(Verdict.FASTER, True, None, rt, reason="faster", stage="confirmed")

    def count(self, patch: str, progress: Callable[[str], None]) -> tuple[None, str]:
        return None, "instruction counts are off"


def scripted_run(make_repo: Callable[..., Path], turn_away: bool) -> tuple[Any, str, Scripted]:
    wrapped: list[Scripted] = []

    def wrap(deps: Any) -> None:
        deps.profiler = Scripted(deps.profiler, turn_away)
        wrapped.append(deps.profiler)

    store, run_id = run(make_repo(PROJECT), SCRIPT, budget=2, patience=0, wrap=wrap)
    return store, run_id, wrapped[0]


def statuses(store: Any, run_id: str) -> dict[str, str]:
    titles = {p.id: p.title for p in store.plans(run_id)}
    return {titles[c.plan_id]: c.status for c in store.candidates(run_id)}


def test_a_head_outrun_by_a_checked_candidate_waits_and_is_never_delivered(
    make_repo: Callable[..., Path],
) -> None:
    """Guards the trust checks' cost on heads that cannot be delivered: the second head is
    judged against the first (checked, x0.2 [0.18, 0.22]) and stored as dominated, with the
    reason; the first is accepted and the second is never checked in full."""
    store, run_id, profiler = scripted_run(make_repo, turn_away=False)
    assert statuses(store, run_id) == {"drop the sleep": "accepted", "sleep less": "dominated"}
    assert profiler.evaluated == [("drop the sleep", True), ("sleep less", True)]
    (outrun,) = [c for c in store.candidates(run_id) if c.status == "dominated"]
    assert "clearly slower than candidate" in (outrun.reason or "")
    assert outrun.runtime_ratio == 0.5 and not outrun.on_front


def test_a_dominated_head_is_checked_in_full_when_what_outran_it_is_turned_away(
    make_repo: Callable[..., Path],
) -> None:
    """Guards against a run that ends with nothing, or delivers an unchecked patch, when its
    best candidate does not hold up: the dominated head is measured again with every check,
    then confirmed and accepted."""
    store, run_id, profiler = scripted_run(make_repo, turn_away=True)
    assert statuses(store, run_id) == {"drop the sleep": "unconfirmed", "sleep less": "accepted"}
    assert profiler.evaluated[-1] == ("sleep less", False)  # in full: nothing may outrun it
