"""The base's instruction count, taken beside the baseline's untimed work.

Valgrind runs the workload 20 to 50 times slower than a native run, and the count is the
same whenever it is taken (deterministic for a hash seed). So the baseline starts it in a
sandbox of its own once the native runs are done, and it runs while the hotspots are
profiled and the first plans are written. It is joined before anything is timed, so no
timing ever shares the machine with it; a count that fails is dropped, and the finish
counts again.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from profilers.cache import BaseKey
from profilers.config import MeasureConfig
from profilers.errors import MeasurementError
from profilers.harness import has_tool, prepare
from profilers.instructions import CountPlan, count_plan, keep_base_counts, side_counts
from profilers.workload import Workload
from sandbox.base import Sandbox, SandboxError

Counted = tuple[CountPlan, dict[int, int]]


def wanted(workload: Workload, config: MeasureConfig, native_s: float, key: BaseKey | None) -> bool:
    """Whether a count taken now would be kept and used: counts are on and affordable, a
    cache can keep it, and holds none for this base yet (by either method it may use)."""
    if config.instructions == "never" or key is None or not key.env:
        return False
    if config.instructions == "auto" and native_s > config.instructions_max_native_s:
        return False
    plans = (CountPlan("n-vs-2n"), CountPlan("whole"), CountPlan("region", helper="ok"))
    return not any(
        key.get("instructions", workload, config, method=p.method, tool=p.tool) for p in plans
    )


@dataclass
class BaseCount:
    """One background count of the base; `join` waits for it and keeps what it found."""

    workload: Workload
    config: MeasureConfig
    key: BaseKey
    _job: Future[Counted | None] | None = field(default=None, init=False)

    def start(self, sb: Sandbox) -> None:
        """Count in `sb` (opened for this count alone; closed when it is done)."""
        pool = ThreadPoolExecutor(1, thread_name_prefix="perfagent-base-count")
        self._job = pool.submit(self._count, sb)
        pool.shutdown(wait=False)

    def _count(self, sb: Sandbox) -> Counted | None:
        try:
            if not has_tool(sb, "valgrind"):
                return None
            harness = prepare(sb, self.config)
            plan = count_plan([harness], self.workload, self.config)
            seeds = self.config.seeds
            return plan, side_counts(harness, self.workload, "base", seeds, self.config, plan)
        except (MeasurementError, SandboxError, OSError):
            return None  # the finish counts again, and says why if it fails there too
        finally:
            sb.close()

    def join(self) -> None:
        """Wait for the count (if one runs) and keep it in the cache; idempotent."""
        job, self._job = self._job, None
        if job is None:
            return
        found = job.result()
        if found is not None:
            plan, counts = found
            keep_base_counts(self.key, self.workload, self.config, plan, counts)
