"""The base's instruction count, taken beside the baseline's untimed work.

Valgrind runs the workload 20 to 50 times slower than a native run, and the count is the
same whenever it is taken (deterministic for a hash seed). So the baseline starts it in a
sandbox of its own once the native runs are done, and it runs while the hotspots are
profiled and the first plans are written. It is joined before anything is timed, so no
timing ever shares the machine with it; a count that fails is dropped, and the finish
counts again.
"""

from __future__ import annotations

import atexit
import contextlib
import threading
from dataclasses import dataclass, field

from profilers.cache import BaseKey
from profilers.config import MeasureConfig
from profilers.harness import has_tool, prepare
from profilers.instructions import CountPlan, count_plan, keep_base_counts, side_counts
from profilers.workload import Workload
from sandbox.base import Sandbox

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
    """One background count of the base; `join` waits for it and keeps what it found.

    The count's sandbox is closed on the loop's thread (`join`), or at exit when a run ends
    before joining (the close kills the count's command). The thread is a daemon, so an
    interrupted run never waits for valgrind."""

    workload: Workload
    config: MeasureConfig
    key: BaseKey
    _sandbox: Sandbox | None = field(default=None, init=False)
    _thread: threading.Thread | None = field(default=None, init=False)
    _found: list[Counted | None] = field(default_factory=list, init=False)

    def start(self, sb: Sandbox) -> None:
        """Count in `sb`, a sandbox opened for this count alone."""
        self._sandbox = sb
        self._thread = threading.Thread(
            target=lambda: self._found.append(self._count(sb)),
            name="perfagent-base-count",
            daemon=True,
        )
        atexit.register(self.abandon)
        self._thread.start()

    def _count(self, sb: Sandbox) -> Counted | None:
        try:
            if not has_tool(sb, "valgrind"):
                return None
            harness = prepare(sb, self.config)
            plan = count_plan([harness], self.workload, self.config)
            seeds = self.config.seeds
            return plan, side_counts(harness, self.workload, "base", seeds, self.config, plan)
        except Exception:  # optional: the finish counts again, and says why if that fails
            return None

    def join(self) -> None:
        """Wait for the count (if one runs), close its sandbox and keep what it found in the
        cache; idempotent."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        thread.join()
        self.abandon()
        found = self._found[0] if self._found else None
        if found is not None:
            plan, counts = found
            keep_base_counts(self.key, self.workload, self.config, plan, counts)

    def abandon(self) -> None:
        """Close the count's sandbox (killing what still runs there); idempotent."""
        atexit.unregister(self.abandon)
        sb, self._sandbox = self._sandbox, None
        if sb is not None:
            with contextlib.suppress(Exception):
                sb.close()
