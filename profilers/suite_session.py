"""A profiler for a task with several workloads: benchmark suites (asv, pytest-benchmark), a
`bench` list, held-out workloads. It implements `agent.protocols.Profiler` like
`profilers.session.SandboxProfiler`, over the same cascade, with the suite stage last.

- baseline: the tests (twice), the suites discovered in the baseline's sandbox, every
  workload run once on the base (a suite benchmark that fails there is left out with a note;
  a configured workload that fails is a broken baseline), and profiles: the primary
  workload's for the planner, and, when benchmarks are picked by what a candidate touches,
  one py-spy profile per suite benchmark (for a suite alone, their sum is the planner's).
- evaluate: the benchmarks for this candidate (`--bench-select`'s regex, else those whose
  profile runs a function the diff changes plus a seeded sample of the rest), the primary
  workload through the cascade's single-workload stages, every other one in the suite stage.
- confirm: the winner re-measured from scratch on the same workloads with `max_pairs`.

Held-out workloads are measured, never profiled: nothing about them reaches the planner.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from profilers.config import MeasureConfig
from profilers.count_stage import count, may_enter_front
from profilers.discovery import SuiteKind, discover
from profilers.errors import BaselineFailed, MeasurementError, ToolMissing
from profilers.evaluate import OnTimed, measure, walltime
from profilers.harness import prepare, run_workload
from profilers.hotspots import parse_collapsed, profile_hotspots
from profilers.instructions import COUNTS_OFF
from profilers.results import (
    BaselineReport,
    HotspotProfile,
    InstructionComparison,
    Measurement,
    Outrun,
)
from profilers.suite import DEFAULT_TOLERANCE
from profilers.suite_changes import changed_functions
from profilers.suite_select import profile_workloads, select_touching, touches
from profilers.suite_stage import workloads as workloads_stage
from profilers.workload import Workload, WorkloadRole
from sandbox.base import Sandbox, SandboxFactory, WorkspaceSpec, opened, opened_apart

Say = Callable[[str], None]
SpecFor = Callable[[str, str], WorkspaceSpec]


@dataclass(frozen=True)
class Suite:
    """A suite to discover: asv (`root` is the benchmark directory) or pytest-benchmark
    (`root` is what pytest collects), with an optional name regex."""

    kind: SuiteKind
    root: str
    select: str | None = None
    role: WorkloadRole = "other"


@dataclass
class SuiteProfiler:
    sandboxes: SandboxFactory
    spec: SpecFor
    tests: str | None
    config: MeasureConfig
    primary: Workload | None = None
    """The first target (the `bench` command); None for suites alone."""
    configured: tuple[Workload, ...] = ()
    """The other configured workloads: further targets, others, holdouts."""
    suites: tuple[Suite, ...] = ()
    tolerance: float = DEFAULT_TOLERANCE
    subdir: str = ""
    """The task directory inside the repository (diff paths are relative to the repository)."""
    sample: int = 2
    """Untouched suite benchmarks measured besides the touched ones."""
    profile_s: float = 0.5
    """Seconds of py-spy samples per suite benchmark for picking the touched ones."""
    touch: bool = True
    """Pick suite benchmarks by what a candidate touches (False: every benchmark)."""
    baseline_runs: int = 3
    _pool: list[Workload] | None = field(default=None, repr=False)
    _profiles: dict[str, str] | None = field(default=None, repr=False)
    _left_out: set[str] = field(default_factory=set, repr=False)
    _opening: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    """Held while `count` opens or closes sandboxes (the loop counts side by side)."""

    @property
    def by_touch(self) -> bool:
        """Benchmarks are picked by what a candidate touches (no regex names them)."""
        return self.touch and not any(s.select for s in self.suites)

    # baseline ---------------------------------------------------------------------------------
    def baseline(self, progress: Say) -> BaselineReport:
        notes: list[str] = []
        with opened(self.sandboxes, self.spec("baseline", "")) as sb:
            flaky, tail = baseline_tests(sb, self.tests, self.config, progress)
            pool = self._discover(sb, progress)
            durations, peak = self._check_runs(sb, pool, progress, notes)
            profile = self._baseline_profile(sb, progress, notes)
        return BaselineReport(tuple(durations), peak, profile, flaky, tail, tuple(notes))

    def _discover(self, sb: Sandbox, progress: Say) -> list[Workload]:
        if self._pool is None:
            found: list[Workload] = []
            for suite in self.suites:
                progress(f"suite: discovering {suite.kind} benchmarks in {suite.root}")
                try:
                    found += discover(
                        sb,
                        self.config,
                        suite.kind,
                        suite.root,
                        role=suite.role,
                        select=suite.select,
                    )
                except MeasurementError as exc:
                    raise BaselineFailed(
                        f"the {suite.kind} suite cannot be listed: {exc}"
                    ) from None
            self._pool = found
        return [w for w in self._pool if w.label not in self._left_out]

    def _check_runs(
        self, sb: Sandbox, pool: list[Workload], progress: Say, notes: list[str]
    ) -> tuple[list[float], int | None]:
        """Each workload once on the base (the primary `baseline_runs` times): its durations."""
        harness = prepare(sb, self.config)
        seed = self.config.seeds[0]
        durations: list[float] = []
        peak: int | None = None
        first = () if self.primary is None else (self.primary,)
        for w in (*first, *self.configured):
            runs = self.baseline_runs if w is self.primary else 1
            for _ in range(runs):
                try:
                    res, _ = run_workload(harness, w, 1, "base", self.config, seed=seed)
                except MeasurementError as exc:
                    what = "a held-out workload" if w.role == "holdout" else repr(w.label)
                    raise BaselineFailed(f"{what} fails before any edit: {exc}") from None
                if w is self.primary:
                    durations.append(res.duration_s)
                    peak = res.peak_rss_bytes
        if pool:
            progress(f"suite: running {len(pool)} benchmarks once on the base")
        total = 0.0
        for w in pool:
            try:
                res, _ = run_workload(harness, w, 1, "base", self.config, seed=seed, quiet=True)
                total += res.duration_s
            except MeasurementError as exc:
                self._left_out.add(w.label)
                notes.append(f"benchmark {w.label} fails on the base and is left out: {exc}")
        if self.primary is None:
            durations.append(total)
        if self.suites:
            progress(f"suite: {len(pool) - len(self._left_out)} benchmarks to pick from")
        return durations, peak

    def _baseline_profile(self, sb: Sandbox, progress: Say, notes: list[str]) -> HotspotProfile:
        profile = HotspotProfile(hotspots=(), samples=0)
        try:
            if self.primary is not None:
                progress("baseline: profiling hotspots with py-spy")
                profile = profile_hotspots(sb, self.primary, self.config)
            if self.suites and self.by_touch:
                progress("suite: profiling each benchmark once (py-spy, untimed)")
                stacks = self._profile_pool(sb, notes)
                if self.primary is None:
                    merged = "".join(s if s.endswith("\n") else s + "\n" for s in stacks.values())
                    profile = parse_collapsed(merged, top=self.config.hotspots_top)
        except Exception as exc:  # a missing or refused profiler must not end the run
            notes.append(f"hotspot profile failed: {exc}")
        return profile

    def _profile_pool(self, sb: Sandbox, notes: list[str] | None = None) -> dict[str, str]:
        if self._profiles is None:
            pool = self._discover(sb, lambda _m: None)
            cfg = replace(self.config, profile_min_s=self.profile_s)

            def failed(w: Workload, why: str) -> None:
                if notes is not None:
                    notes.append(f"benchmark {w.label} could not be profiled: {why}")

            try:
                self._profiles = profile_workloads(sb, pool, cfg, failed)
            except ToolMissing as exc:
                self._profiles = {}
                if notes is not None:
                    notes.append(f"every benchmark is measured: no profiles to pick from ({exc})")
        return self._profiles

    # candidates -------------------------------------------------------------------------------
    def chosen(self, patch: str, base: Sandbox, head: Sandbox) -> list[Workload]:
        """The suite benchmarks measured for `patch`, the ones it touches first."""
        pool = self._discover(base, lambda _m: None)
        if not self.by_touch:
            return pool
        profiles = self._profile_pool(base)
        changed = changed_functions(patch, base.host_root, head.host_root, self.subdir)
        if changed is None or not profiles:
            return pool
        seed = int(hashlib.sha256(patch.encode()).hexdigest()[:8], 16)
        picked = select_touching(pool, profiles, changed, sample=self.sample, seed=seed)
        hit = [w for w in picked if touches(profiles.get(w.label, ""), changed)]
        return hit + [w for w in picked if w not in hit]

    def _split(self, chosen: Sequence[Workload]) -> tuple[Workload, tuple[Workload, ...]]:
        """The primary workload (the cascade's single-workload stages measure it) and the
        others; without a target, the first timed one (touched benchmarks come first)."""
        if self.primary is not None:
            return self.primary, (*self.configured, *chosen)
        holdouts = tuple(w for w in self.configured if w.role == "holdout")
        pool = [*chosen, *(w for w in self.configured if w.role != "holdout")]
        timed = [w for w in pool if w.metric == "time"]
        if not timed:
            raise MeasurementError("no timed workload is selected for this candidate")
        return timed[0], (*(w for w in pool if w is not timed[0]), *holdouts)

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
        """`count_beside` is not taken: a suite's other workloads are timed after the trust
        checks, so a suite's head is counted at the finish."""
        with (
            opened(self.sandboxes, self.spec("base", "")) as base,
            opened(self.sandboxes, self.spec("head", patch)) as head,
        ):
            primary, others = self._split(self.chosen(patch, base, head))
            progress(f"suite: {len(others) + 1} workloads for this candidate")
            return measure(
                base,
                head,
                primary,
                self.tests,
                self._cascade_config(),
                on_stage=progress,
                others=others,
                tolerance=self.tolerance,
                count_if=may_enter_front if count_now else None,
                on_timed=on_timed,
                outrun=outrun,
            )

    def count(self, patch: str, progress: Say) -> tuple[InstructionComparison | None, str]:
        """The primary workload's counts (a suite alone counts none: `_cascade_config`)."""
        config = self._cascade_config()
        if config.instructions == "never":
            return None, COUNTS_OFF
        specs = (self.spec("base", ""), self.spec("count", patch))
        with opened_apart(self.sandboxes, specs, self._opening) as (base, head):
            with self._opening:  # the pool and its profiles are filled in lazily
                primary, _others = self._split(self.chosen(patch, base, head))
            return count(base, head, primary, config, say=progress)

    def _cascade_config(self) -> MeasureConfig:
        """For a suite alone, the primary workload is just one of its benchmarks: its
        instruction count and peak memory say nothing about the suite (a `peakmem_`
        benchmark measures memory), and valgrind would cost more than the suite's pairs."""
        if self.primary is not None:
            return self.config
        return replace(self.config, instructions="never", memory=False)

    def confirm(self, patch: str, progress: Say) -> Measurement:
        """Every workload of the candidate re-measured from scratch (fresh calibration and
        `max_pairs` pairs: selection bias), held-out workloads included."""
        fresh = replace(self.config, pairs=max(self.config.pairs, self.config.max_pairs))
        with (
            opened(self.sandboxes, self.spec("base", "")) as base,
            opened(self.sandboxes, self.spec("confirm", patch)) as head,
        ):
            primary, others = self._split(self.chosen(patch, base, head))
            return measure(
                base,
                head,
                primary,
                None,
                fresh,
                on_stage=progress,
                stages=(walltime, workloads_stage),
                others=others,
                tolerance=self.tolerance,
            )


def baseline_tests(
    sb: Sandbox, tests: str | None, config: MeasureConfig, progress: Say
) -> tuple[bool, str]:
    """The tests twice before any edit: (flaky, the second run's tail); BaselineFailed when
    the first run fails."""
    if not tests:
        return False, ""
    progress(f"baseline: running tests ({tests})")
    first = sb.execute(tests, timeout=config.timeout_s)
    if not first.ok:
        why = first.killed_reason or f"exit {first.returncode}"
        raise BaselineFailed(f"the tests fail before any edit ({tests!r}, {why}):\n{first.tail()}")
    second = sb.execute(tests, timeout=config.timeout_s)
    if not second.ok:
        progress("warning: the tests failed on a second baseline run (flaky)")
    return not second.ok, "" if second.ok else second.tail()
