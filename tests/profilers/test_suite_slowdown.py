"""Which workloads of a suite get `settles_slowdown`: the ones judged slower only beyond the
tolerance (others and holdouts), never a target, for which slower at all already decides."""

from __future__ import annotations

from itertools import cycle
from types import SimpleNamespace
from typing import Any

import pytest

from profilers import evaluate, suite_measure
from profilers.config import MeasureConfig
from profilers.stats import decide
from profilers.suite import settles_slowdown
from profilers.workload import Workload, WorkloadRole

CFG = MeasureConfig()


def _workload(name: str, role: WorkloadRole) -> Workload:
    return Workload("command", f"run {name}", name=name, role=role)


def test_measure_suite_hands_the_rule_to_every_timed_workload_but_targets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Guards a 1.8x slower suite benchmark judged "same" for want of pairs: the rule must
    reach each non-target workload's sequential test."""
    given: dict[str, Any] = {}

    def fake(_b: object, _h: object, w: Workload, _c: MeasureConfig, **kw: Any) -> Any:
        given[w.label] = kw.get("slowdown_settled")
        return decide([1.0] * 6, [1.0] * 6, CFG)

    monkeypatch.setattr(suite_measure, "compare_walltime", fake)
    rule = settles_slowdown(0.2, CFG, 3)
    workloads = [_workload("t", "target"), _workload("o", "other"), _workload("h", "holdout")]
    suite_measure.measure_suite(None, None, workloads, CFG, slowdown_settled=rule)  # type: ignore[arg-type]
    assert given == {"t": None, "o": rule, "h": rule}


def test_the_primary_workload_gets_the_rule_only_when_the_suite_judges_it() -> None:
    """A primary that is a target is rejected when slower at all; one that is another suite
    workload is judged beyond the tolerance, over the timed workloads that are no holdouts."""
    others = (
        _workload("b", "other"),
        Workload("asv", "b.track_k", root="bench", metric="track"),
        _workload("h", "holdout"),
    )

    def cascade(role: WorkloadRole, rest: tuple[Workload, ...]) -> Any:
        return SimpleNamespace(
            workload=_workload("a", role), others=rest, tolerance=0.2, config=CFG
        )

    assert evaluate._suite_slowdown(cascade("target", others)) is None
    assert evaluate._suite_slowdown(cascade("other", ())) is None
    rule = evaluate._suite_slowdown(cascade("other", others))
    assert rule is not None
    # Bonferroni over 2 workloads (a and b): p just under alpha/2 settles, above it does not.
    mixed = [1.0, 1.3, 0.9, 1.2, 1.1, 0.8, 1.25, 0.95, 1.15, 1.05]
    edge = decide(mixed, [b * 1.4 for b in reversed(mixed)], CFG)
    full = SimpleNamespace(slow_alpha=CFG.regression_alpha)
    assert rule(edge, full)  # type: ignore[arg-type]
    assert not evaluate._suite_slowdown(cascade("other", (*others, *others)))(edge, full)  # type: ignore[misc,arg-type]


def test_a_heavier_peakmem_workload_not_settled_gets_runs_up_to_max_pairs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Guards the memory side of the missed regression: six runs a side that overlap once
    cannot show a peak 1.5x higher beyond a 20 % tolerance, and the suite called it "same"."""
    peaks = {"base": cycle([100.0, 130.0, 90.0, 120.0, 110.0, 80.0])}
    peaks["head"] = cycle([v * 1.5 for v in [80.0, 110.0, 120.0, 90.0, 130.0, 100.0]])
    runs: list[str] = []

    def peak(_h: object, _w: Workload, side: str, _c: MeasureConfig) -> float:
        runs.append(side)
        return next(peaks[side])

    monkeypatch.setattr(suite_measure, "prepare_pair", lambda _b, _h, _c: (None, None))
    monkeypatch.setattr(suite_measure, "_peak_bytes", peak)
    w = _workload("m", "other")
    rule = settles_slowdown(0.2, CFG, 4)
    plain = suite_measure.compare_peakmem(None, None, w, CFG)  # type: ignore[arg-type]
    assert len(runs) == 12 and plain.n_pairs == 6
    runs.clear()
    more = suite_measure.compare_peakmem(None, None, w, CFG, rule)  # type: ignore[arg-type]
    assert len(runs) == 2 * CFG.max_pairs and more.n_pairs == CFG.max_pairs
