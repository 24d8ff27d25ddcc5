"""A profiler bound to one task: opens the sandboxes it measures in, so the loop never does.

It implements `agent.protocols.Profiler` over the measurement cascade (`profilers.evaluate`):
`baseline` checks and profiles the unedited code, `evaluate` judges a patch against the base,
`confirm` re-measures a winner from scratch.
"""

from __future__ import annotations

import statistics
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from profilers.base_count import BaseCount, wanted
from profilers.base_results import base_profile
from profilers.cache import BaseCache, BaseKey, NoCache, base_key
from profilers.config import MeasureConfig
from profilers.count_beside import CountBeside, spare_core
from profilers.count_stage import count, may_enter_front
from profilers.errors import BaselineFailed, MeasurementError
from profilers.evaluate import OnTimed, measure, remeasure
from profilers.harness import has_tool, prepare, run_workload
from profilers.instructions import COUNTS_OFF
from profilers.results import (
    BaselineReport,
    HotspotProfile,
    InstructionComparison,
    Measurement,
    Outrun,
)
from profilers.stats import explain
from profilers.workload import Workload
from sandbox.base import (
    Sandbox,
    SandboxError,
    SandboxFactory,
    WorkspaceSpec,
    opened,
    opened_apart,
)

Say = Callable[[str], None]


SpecFor = Callable[[str, str], WorkspaceSpec]
"""(name, patch) -> the workspace of the base with `patch` applied."""


@dataclass
class SandboxProfiler:
    sandboxes: SandboxFactory
    spec: SpecFor
    workload: Workload
    tests: str | None
    config: MeasureConfig
    baseline_runs: int = 3
    cache: BaseCache = field(default_factory=NoCache)
    """Where the base's untimed results are kept across candidates, runs and resumes."""
    _key: BaseKey | None = field(default=None, init=False, repr=False)
    _native_s: float | None = field(default=None, init=False, repr=False)
    """The baseline's median native run: whether a count is affordable, without a run."""
    _counting: BaseCount | None = field(default=None, init=False, repr=False)
    """The base's instruction count, running beside the baseline's untimed work."""
    _opening: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    """Held while `count` opens or closes sandboxes (factories are not thread-safe)."""
    _beside: list[CountBeside] = field(default_factory=list, init=False, repr=False)
    """Heads counted beside their trust checks (`profilers.count_beside`)."""

    def base(self) -> BaseKey | None:
        """The cache key of this task's base (one environment probe per profiler)."""
        if self._key is None:
            spec = self.spec("base", "")
            self._key = base_key(self.cache, spec.ref, spec.subdir)
        return self._key

    def baseline(self, progress: Say) -> BaselineReport:
        with opened(self.sandboxes, self.spec("baseline", "")) as sb:
            self._baseline_tests(sb, progress)
            progress(f"baseline: running the workload ({self.workload.spec})")
            durations, peak = self._baseline_runs(sb)
            self._native_s = statistics.median(durations)
            # Beside the profile (a sampler's shares hold under contention: a preempted
            # thread keeps its stack), the second test run and the first plans; joined
            # before anything is timed, which it holds up on a first run.
            self._count_base(sb, progress)
            profile, notes = self._profile(sb, progress)
            flaky, tail = self._tests_again(sb, progress)
        return BaselineReport(tuple(durations), peak, profile, flaky, tail, tuple(notes))

    def _profile(self, sb: Sandbox, progress: Say) -> tuple[HotspotProfile, list[str]]:
        progress("baseline: profiling hotspots with py-spy")
        try:
            profile, cached = base_profile(sb, self.workload, self.config, self.base())
            if cached:
                progress("baseline: hotspot profile cached from an earlier run")
            return profile, []
        except Exception as exc:  # a missing or refused profiler must not end the run
            return HotspotProfile(hotspots=(), samples=0), [f"hotspot profile failed: {exc}"]

    def _count_base(self, sb: Sandbox, progress: Say) -> None:
        key = self.base()
        if key is None or self._native_s is None:
            return
        key.ready(sb, self.config)
        if not wanted(self.workload, self.config, self._native_s, key):
            return
        if not has_tool(sb, "valgrind"):  # the count's sandbox is like this one
            return
        spec = self.spec("base", "")
        self.prewarm_spec(spec)  # a sandbox with an engine connection of its own
        try:
            opened_sb = self.sandboxes.open(spec)
        except (SandboxError, OSError):
            return  # optional: the finish counts the base instead
        counting = BaseCount(self.workload, self.config, key)
        counting.start(opened_sb)
        self._counting = counting
        progress("baseline: counting the base's instructions with valgrind, beside the rest")

    def _joined(self) -> None:
        """Nothing is timed while the base, or a head beside its checks, is being counted."""
        self._base_joined()
        while self._beside:
            self._beside.pop().join()

    def _base_joined(self) -> None:
        if self._counting is not None:
            self._counting.join()
            self._counting = None

    def _baseline_tests(self, sb: Sandbox, progress: Say) -> None:
        if not self.tests:
            return
        progress(f"baseline: running tests ({self.tests})")
        first = sb.execute(self.tests, timeout=self.config.timeout_s)
        if not first.ok:
            why = first.killed_reason or f"exit {first.returncode}"
            raise BaselineFailed(
                f"the tests fail before any edit ({self.tests!r}, {why}):\n{first.tail()}"
            )

    def _tests_again(self, sb: Sandbox, progress: Say) -> tuple[bool, str]:
        """A second run of the tests: one that fails now is flaky, which the run notes."""
        if not self.tests:
            return False, ""
        second = sb.execute(self.tests, timeout=self.config.timeout_s)
        if not second.ok:
            progress("warning: the tests failed on a second baseline run (flaky)")
        return not second.ok, "" if second.ok else second.tail()

    def _baseline_runs(self, sb: Sandbox) -> tuple[list[float], int | None]:
        durations: list[float] = []
        peak: int | None = None
        try:
            harness = prepare(sb, self.config)
            for _ in range(self.baseline_runs):
                res, _status = run_workload(
                    harness,
                    self.workload,
                    1,
                    "base",
                    self.config,
                    seed=0,
                    timeout=self.config.timeout_s,
                )
                durations.append(res.duration_s)
                peak = res.peak_rss_bytes
        except MeasurementError as exc:
            raise BaselineFailed(
                f"the benchmark fails before any edit ({self.workload.spec!r}): {exc}"
            ) from None
        return durations, peak

    def evaluate(
        self,
        patch: str,
        progress: Say,
        *,
        count_now: bool = True,
        on_timed: OnTimed | None = None,
        outrun: Outrun | None = None,
        count_beside: bool = False,
    ) -> Measurement:
        base_spec, head_spec = self.spec("base", ""), self.spec("head", patch)
        self.prewarm_spec(head_spec)  # both sandboxes start at once
        beside = self._count_beside(patch, progress) if count_beside else None
        heard = on_timed if beside is None else _first(lambda: self._start(beside), on_timed)
        with opened(self.sandboxes, base_spec) as base, opened(self.sandboxes, head_spec) as head:
            self.prewarm_spec(base_spec)  # the next candidate's base, while this one is timed
            m = measure(
                base,
                head,
                self.workload,
                self.tests,
                self.config,
                on_stage=progress,
                base_key=self.base(),
                count_if=may_enter_front if count_now else None,
                on_timed=heard,
                outrun=outrun,
                quiet=self._joined,  # the head's tests and outputs run beside the base count
            )
        found = beside.found() if beside is not None else None
        return m if found is None or m.instructions is not None else replace(m, instructions=found)

    def _count_beside(self, patch: str, progress: Say) -> CountBeside | None:
        """A count of this head for its trust checks to run beside, once it is timed faster
        (instructions = "auto", with a spare core)."""
        if self.config.instructions != "auto" or not spare_core():
            return None

        def counted() -> InstructionComparison | None:
            progress("  counting the head's instructions beside its trust checks")
            try:
                found, why = self._count(patch, lambda _msg: None, "count-base")
            except Exception as exc:  # optional, on its own thread: the finish counts again
                found, why = None, f"instruction counts skipped: {exc}"
            if found is None:
                progress(f"  {why} (beside the trust checks; the finish counts again)")
            return found

        return CountBeside(counted)

    def _start(self, beside: CountBeside) -> None:
        self._beside.append(beside)  # before it starts: what is timed next waits for it
        beside.start()

    def count(self, patch: str, progress: Say) -> tuple[InstructionComparison | None, str]:
        """Safe to call from several threads at once (the loop counts the front side by side):
        sandboxes are opened and closed one at a time, each with an engine connection of its
        own; only the counts overlap."""
        return self._count(patch, progress, "base")

    def _count(
        self, patch: str, progress: Say, base_name: str
    ) -> tuple[InstructionComparison | None, str]:
        """`base_name` apart from "base": a count beside the checks must not take the next
        candidate's base, opened ahead under that name."""
        if self.config.instructions == "never":
            return None, COUNTS_OFF  # without opening two sandboxes
        base_spec, head_spec = self.spec(base_name, ""), self.spec("count", patch)
        with self._opening:
            self._base_joined()  # a count beside the checks calls this too: not `_joined`
            key = self.base()
            for spec in (head_spec, base_spec):
                self.prewarm_spec(spec)  # each with an engine connection of its own
        with opened_apart(self.sandboxes, (base_spec, head_spec), self._opening) as (base, head):
            return count(
                base,
                head,
                self.workload,
                self.config,
                say=progress,
                native_s=self._native_s,
                base_key=key,
            )

    def confirm(self, patch: str, progress: Say) -> Measurement:
        self._joined()
        base_spec, head_spec = self.spec("base", ""), self.spec("confirm", patch)
        self.prewarm_spec(head_spec)
        with opened(self.sandboxes, base_spec) as base, opened(self.sandboxes, head_spec) as head:
            self.prewarm_spec(base_spec)
            progress("confirmation: a fresh sequential test")
            again = remeasure(base, head, self.workload, self.config, progress)
        reason = explain(again, self.config)
        return Measurement(again.verdict, True, None, again, reason=reason, stage="confirmed")

    def prewarm(self, patch: str) -> None:
        """Start opening the sandbox of a candidate about to be evaluated (e.g. while another
        one is measured): its check-out and container start then cost no waiting."""
        self.prewarm_spec(self.spec("head", patch))

    def prewarm_spec(self, spec: WorkspaceSpec) -> None:
        warm = getattr(self.sandboxes, "prewarm", None)  # test doubles may not have it
        if warm is not None:
            warm(spec)


def _first(then: Callable[[], None], on_timed: OnTimed | None) -> OnTimed:
    def heard(m: Measurement) -> None:
        then()
        if on_timed is not None:
            on_timed(m)

    return heard
