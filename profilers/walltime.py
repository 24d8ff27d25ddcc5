"""Wall time: interleaved base/head pairs of fresh processes, timed from the host."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from profilers.config import MeasureConfig
from profilers.env import fingerprint
from profilers.harness import Harness, prepare_pair, run_workload
from profilers.results import WallTimeComparison
from profilers.stats import decide, inconclusive
from profilers.workload import Workload
from sandbox.base import Sandbox


def calibrate(harness: Harness, workload: Workload, config: MeasureConfig) -> int:
    """Loops per sample so one baseline sample lasts at least `min_sample_s` (pyperf-style
    doubling, jumping ahead once the per-loop cost is visible). Suite benchmarks report the
    time of their calls alone (`region_s`): those calls then last at least `min_sample_s` and
    at least as long as the rest of the process (start-up, imports, setup), up to five times
    `min_sample_s`, so setup does not drown the code being timed."""
    loops = 1
    seed = config.seeds[0]
    while True:
        res, status = run_workload(harness, workload, loops, "base", config, seed=seed, quiet=True)
        took, goal, exact = _progress(res.duration_s, status, config)
        if took >= goal or loops >= config.max_loops:
            return loops
        # Start-up is paid once per sample, so the estimate from the whole process undershoots:
        # at most a 10x jump then; the calls' own time is a fair estimate. Always at least 2x.
        want = math.ceil(loops * goal * 1.1 / max(took, 1e-6))
        jump = 1000 if exact else 10
        loops = min(config.max_loops, max(2 * loops, min(want, jump * loops)))


def _progress(
    duration: float, status: Mapping[str, Any] | None, config: MeasureConfig
) -> tuple[float, float, bool]:
    """(time that counts, time it must reach, whether it is the calls' own time). The runner's
    clock only steers calibration; every sample is timed by the host."""
    region = status.get("region_s") if status else None
    if not isinstance(region, float) or not 0 < region <= duration:
        return duration, config.min_sample_s, False
    rest = duration - region
    return region, max(config.min_sample_s, min(rest, 5 * config.min_sample_s)), True


def _sample(
    harness: Harness, workload: Workload, loops: int, side: str, config: MeasureConfig, seed: int
) -> float:
    res, _ = run_workload(harness, workload, loops, side, config, seed=seed, quiet=True)
    return res.duration_s


def compare_walltime(
    base_sb: Sandbox,
    head_sb: Sandbox,
    workload: Workload,
    config: MeasureConfig,
    *,
    pairs: int | None = None,
    on_pair: Callable[[int, float, float], None] | None = None,
) -> WallTimeComparison:
    """Calibrate on the base, discard `warmup` pairs, take `pairs` (default `config.pairs`)
    interleaved pairs (order alternates ABBA), extend to `max_pairs` when inconclusive, decide.
    A failing sample raises WorkloadError naming the side."""
    hb, hh = prepare_pair(base_sb, head_sb, config)
    loops = calibrate(hb, workload, config)
    first = pairs or config.pairs
    limit = max(first, config.max_pairs)
    env = fingerprint(
        base_sb.kind,
        config.seeds[0],
        hb.python_version,
        {"interpreter": hb.python, "seeds": list(config.seeds), "load_start": _load()},
    )
    for i in range(config.warmup):
        seed = config.seeds[i % len(config.seeds)]
        _sample(hb, workload, loops, "base", config, seed)
        _sample(hh, workload, loops, "head", config, seed)
    base_s: list[float] = []
    head_s: list[float] = []

    def take(n: int) -> None:
        for _ in range(n):
            i = len(base_s)
            seed = config.seeds[i % len(config.seeds)]
            # ABBA: alternate which side goes first so drift hits both equally.
            if i % 2 == 0:
                b = _sample(hb, workload, loops, "base", config, seed)
                h = _sample(hh, workload, loops, "head", config, seed)
            else:
                h = _sample(hh, workload, loops, "head", config, seed)
                b = _sample(hb, workload, loops, "base", config, seed)
            base_s.append(b)
            head_s.append(h)
            if on_pair is not None:
                on_pair(i, b, h)

    take(max(first, 2))
    result = decide(base_s, head_s, config)
    if len(base_s) < limit and inconclusive(result, config):
        take(limit - len(base_s))
        result = decide(base_s, head_s, config)
    env = replace(env, extra={**env.extra, "load_end": _load(), "extended": len(base_s) > first})
    return replace(result, loops=loops, env=env)


def _load() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return -1.0
