"""Wall time: interleaved base/head pairs of fresh processes, timed from the host, taken
look by look until the sequential test (`profilers.sequential`) has its answer."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from profilers import sequential
from profilers.config import MeasureConfig
from profilers.env import fingerprint
from profilers.harness import Harness, prepare_pair, run_workload
from profilers.results import WallTimeComparison
from profilers.workload import Workload
from sandbox.base import ExecResult, Sandbox

Say = Callable[[str], None]


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


OnPeak = Callable[[int], None]
"""Told the peak RSS of a head sample that was one run of the workload (`loops` 1)."""


def _sample(
    harness: Harness, workload: Workload, loops: int, side: str, config: MeasureConfig, seed: int
) -> ExecResult:
    res, _ = run_workload(harness, workload, loops, side, config, seed=seed, quiet=True)
    return res


class _Pairs:
    """Interleaved samples of both sides; the order alternates (ABBA) so drift hits both."""

    def __init__(
        self,
        hb: Harness,
        hh: Harness,
        workload: Workload,
        loops: int,
        config: MeasureConfig,
        on_peak: OnPeak | None = None,
    ) -> None:
        self.hb, self.hh, self.workload, self.loops, self.config = hb, hh, workload, loops, config
        self.on_peak = on_peak
        self.base: list[float] = []
        self.head: list[float] = []

    def one(self, seed: int, base_first: bool) -> tuple[float, float]:
        run = self.workload, self.loops
        if base_first:
            b = _sample(self.hb, *run, "base", self.config, seed).duration_s
            return b, self.head_sample(seed)
        h = self.head_sample(seed)
        return _sample(self.hb, *run, "base", self.config, seed).duration_s, h

    def head_sample(self, seed: int) -> float:
        """One head sample's seconds (its peak RSS to `on_peak` when it is one run)."""
        res = _sample(self.hh, self.workload, self.loops, "head", self.config, seed)
        if self.on_peak is not None and self.loops == 1 and res.peak_rss_bytes:
            self.on_peak(res.peak_rss_bytes)
        return res.duration_s

    def take_to(self, n: int, limit: int, say: Say) -> tuple[list[float], list[float]]:
        seeds = self.config.seeds
        while len(self.base) < n:
            i = len(self.base)
            b, h = self.one(seeds[i % len(seeds)], i % 2 == 0)
            self.base.append(b)
            self.head.append(h)
            say(f"  timing: pair {i + 1}/{n} (at most {limit}): base {b:.3f} s, head {h:.3f} s")
        return self.base, self.head


def compare_walltime(
    base_sb: Sandbox,
    head_sb: Sandbox,
    workload: Workload,
    config: MeasureConfig,
    *,
    pairs: int | None = None,
    say: Say | None = None,
    give_up: sequential.GiveUp | None = None,
    slowdown_settled: sequential.SlowdownSettled | None = None,
    harnesses: tuple[Harness, Harness] | None = None,
    on_peak: OnPeak | None = None,
) -> WallTimeComparison:
    """Calibrate on the base, discard `warmup` pairs (calibration's last run is the first
    one's base side), then take interleaved pairs look by
    look (`profilers.sequential`: from `pairs`, default `config.pairs`, up to `max_pairs`),
    stopping at the first look whose answer is clear (or `give_up` gives a reason; a "slower"
    that `slowdown_settled` does not settle takes more pairs). A failing
    sample raises WorkloadError naming the side. `harnesses`: both sides already prepared.
    `on_peak` hears each head sample's peak RSS when a sample is one run of the workload, as
    the memory stage would measure it."""
    say = say or (lambda _msg: None)
    cfg = replace(config, pairs=pairs) if pairs else config
    hb, hh = harnesses or prepare_pair(base_sb, head_sb, cfg)
    say("  timing: calibrating the inner loop on the base")
    loops = calibrate(hb, workload, cfg)
    env = fingerprint(
        base_sb.kind,
        cfg.seeds[0],
        hb.python_version,
        {"interpreter": hb.python, "seeds": list(cfg.seeds), "load_start": _load()},
    )
    taken = _Pairs(hb, hh, workload, loops, cfg, on_peak)
    for i in range(cfg.warmup):  # calibration's last run was the base at `loops`: warm already
        seed = cfg.seeds[i % len(cfg.seeds)]
        if i:
            taken.one(seed, True)
        else:
            taken.head_sample(seed)

    def take(n: int, limit: int) -> sequential.Samples:
        return taken.take_to(n, limit, say)

    result = sequential.run(take, cfg, say, give_up, slowdown_settled)
    extra = {**env.extra, "load_end": _load()}
    return replace(result, loops=loops, env=replace(env, extra=extra))


def _load() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return -1.0
