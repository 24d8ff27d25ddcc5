"""Peak memory: the largest resident set of the workload's process tree (one untimed run)."""

from __future__ import annotations

from profilers.config import MeasureConfig
from profilers.harness import prepare, run_workload
from profilers.workload import Workload
from sandbox.base import Sandbox


def peak_memory(
    sb: Sandbox, workload: Workload, config: MeasureConfig, *, side: str = "base"
) -> int | None:
    """Peak RSS in bytes of one run: the sandbox's own figure (max over the process tree)
    when it has one, else the runner's getrusage (self and children); None when neither can
    tell. A failing run raises WorkloadError naming `side`."""
    harness = prepare(sb, config)
    seed = config.seeds[0]
    res, status = run_workload(harness, workload, 1, side, config, seed=seed, quiet=True)
    if res.peak_rss_bytes:
        return res.peak_rss_bytes
    if status is None:
        _, status = run_workload(
            harness, workload, 1, side, config, seed=seed, quiet=True, via_runner=True
        )
    kib = status.get("maxrss_kib") if status else None
    return int(kib) * 1024 if isinstance(kib, int) and kib > 0 else None
