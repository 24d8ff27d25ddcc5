"""Measuring several workloads between a base and a head, one workload at a time.

Workloads are measured one after another, never two at once (no two timed jobs share the
machine, docs/design.md §5); within a workload the base and head samples are interleaved pairs of
fresh processes, as for a single workload (`walltime.compare_walltime`). Peak memory takes
interleaved single runs per side; a tracked value takes one run per side.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from profilers.config import MeasureConfig
from profilers.errors import MeasurementError, WorkloadError
from profilers.harness import Harness, prepare_pair, run_workload
from profilers.results import WallTimeComparison
from profilers.sequential import SlowdownSettled, schedule
from profilers.stats import decide
from profilers.suite import WorkloadResult
from profilers.walltime import compare_walltime
from profilers.workload import Workload
from sandbox.base import Sandbox


def _peak_bytes(harness: Harness, workload: Workload, side: str, config: MeasureConfig) -> float:
    res, status = run_workload(harness, workload, 1, side, config, seed=config.seeds[0], quiet=True)
    if res.peak_rss_bytes:
        return float(res.peak_rss_bytes)
    kib = status.get("maxrss_kib") if status else None
    if not isinstance(kib, int) or kib <= 0:
        raise WorkloadError("no-result", side, "no peak memory figure for this run")
    return float(kib * 1024)


def compare_peakmem(
    base: Sandbox,
    head: Sandbox,
    workload: Workload,
    config: MeasureConfig,
    slowdown_settled: SlowdownSettled | None = None,
) -> WallTimeComparison:
    """`config.pairs` interleaved single runs per side; the "samples" are peak RSS bytes (the
    sandbox's figure for the process tree, else the runner's getrusage), judged by the same
    statistics as times (lower is better). A head that looks heavier and that
    `slowdown_settled` does not settle gets runs up to `config.max_pairs`."""
    hb, hh = prepare_pair(base, head, config)
    base_b: list[float] = []
    head_b: list[float] = []

    def take_to(n: int) -> None:
        while len(base_b) < n:
            if len(base_b) % 2 == 0:
                base_b.append(_peak_bytes(hb, workload, "base", config))
                head_b.append(_peak_bytes(hh, workload, "head", config))
            else:
                head_b.append(_peak_bytes(hh, workload, "head", config))
                base_b.append(_peak_bytes(hb, workload, "base", config))

    take_to(max(config.pairs, 2))
    result = decide(base_b, head_b, config)
    if (
        slowdown_settled is not None
        and result.ratio > 1
        and not slowdown_settled(result, schedule(config)[0])
    ):
        take_to(max(config.pairs, config.max_pairs, 2))
        result = decide(base_b, head_b, config)
    return result


def _tracked(harness: Harness, workload: Workload, side: str, config: MeasureConfig) -> float:
    _, status = run_workload(harness, workload, 1, side, config, seed=config.seeds[0], quiet=True)
    value = status.get("value") if status else None
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise WorkloadError("no-result", side, "the track benchmark reported no value")
    return float(value)


def compare_track(
    base: Sandbox, head: Sandbox, workload: Workload, config: MeasureConfig
) -> tuple[float, float]:
    """The value a track benchmark returns on each side (one run each)."""
    hb, hh = prepare_pair(base, head, config)
    return _tracked(hb, workload, "base", config), _tracked(hh, workload, "head", config)


def measure_workload(
    base: Sandbox,
    head: Sandbox,
    workload: Workload,
    config: MeasureConfig,
    slowdown_settled: SlowdownSettled | None = None,
) -> WorkloadResult:
    """One workload's result; a failing run becomes `broken` (head) or `error` (base).
    `slowdown_settled`: see `sequential.SlowdownSettled`."""
    try:
        if workload.metric == "track":
            return WorkloadResult(workload, track=compare_track(base, head, workload, config))
        if workload.metric == "peakmem":
            heavier = compare_peakmem(base, head, workload, config, slowdown_settled)
            return WorkloadResult(workload, heavier)
        timed = compare_walltime(base, head, workload, config, slowdown_settled=slowdown_settled)
        return WorkloadResult(workload, timed)
    except WorkloadError as exc:
        why = f"{exc.status}: {exc.detail}"
        if exc.side == "head":
            return WorkloadResult(workload, status="broken", reason=why)
        return WorkloadResult(workload, status="error", reason=why)
    except MeasurementError as exc:
        return WorkloadResult(workload, status="error", reason=str(exc))


def measure_suite(
    base: Sandbox,
    head: Sandbox,
    workloads: Sequence[Workload],
    config: MeasureConfig,
    *,
    on_workload: Callable[[WorkloadResult], None] | None = None,
    stop_when_broken: bool = True,
    settled: Callable[[list[WorkloadResult]], bool] | None = None,
    slowdown_settled: SlowdownSettled | None = None,
) -> list[WorkloadResult]:
    """Each workload measured in turn (targets first), its result passed to `on_workload`.
    With `stop_when_broken`, the first workload broken on head ends the measurement (the
    candidate is rejected whatever the rest say); so does `settled` answering True for the
    results so far."""
    ordered = sorted(workloads, key=lambda w: w.role != "target")
    out: list[WorkloadResult] = []
    for workload in ordered:
        # A target slower at all is already "not faster": more pairs would decide nothing.
        rule = None if workload.role == "target" else slowdown_settled
        result = measure_workload(base, head, workload, config, rule)
        out.append(result)
        if on_workload is not None:
            on_workload(result)
        if stop_when_broken and result.status == "broken":
            break
        if settled is not None and settled(out):
            break
    return out


def remeasure_suite(
    base: Sandbox, head: Sandbox, workloads: Sequence[Workload], config: MeasureConfig
) -> list[WorkloadResult]:
    """A winner re-measured from scratch on every workload with `max_pairs` pairs (selection
    bias, docs/design.md §5)."""
    fresh = replace(config, pairs=max(config.pairs, config.max_pairs))
    return measure_suite(base, head, workloads, fresh, stop_when_broken=False)
