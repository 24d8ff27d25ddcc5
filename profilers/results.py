"""Measurement value types shared with the agent and the store.

Every raw value is kept: a result carries the samples it was computed from and the
environment fingerprint of the machine that produced them, so a verdict can be re-derived
and audited later.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from profilers.verdicts import Rejection, Verdict


@dataclass(frozen=True)
class EnvFingerprint:
    """Where a measurement was taken."""

    python: str
    platform: str
    cpu_model: str
    cpu_count: int
    load_avg_1m: float
    sandbox: str
    """"local" or "docker"."""
    hash_seed: int
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class WallTimeComparison:
    """Interleaved A/B wall-time pairs, each sample a fresh process (docs/design.md §5)."""

    base_s: tuple[float, ...]
    head_s: tuple[float, ...]
    base_median_s: float
    head_median_s: float
    ratio: float
    """Median head / median base (below 1 is faster)."""
    ci_low: float
    ci_high: float
    """95 % bootstrap CI of the ratio of medians."""
    p_value: float
    """One-sided Mann–Whitney U p for "head is faster"."""
    p_slower: float
    """One-sided Mann–Whitney U p for "head is slower"."""
    n_pairs: int
    verdict: Verdict
    """FASTER, SLOWER or SAME (never BROKEN: a comparison needs both sides working)."""
    loops: int = 1
    """Workload repetitions inside one sample (inner-loop calibration)."""
    env: EnvFingerprint | None = None
    alpha: float = 0.01
    """The level p was compared with for "faster" (a sequential look's share of alpha)."""
    looks: int = 1
    """Looks at the data the sequential test took (`profilers.sequential`)."""
    alpha_spent: float = 0.01
    """The "faster" level spent by those looks: at most the configured alpha."""
    stopped: str = ""
    """Why the sequential test stopped: win, loss, futile, outrun, last ("" for a fixed-size
    test)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "base_median_s": self.base_median_s,
            "head_median_s": self.head_median_s,
            "ratio": self.ratio,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "p_value": self.p_value,
            "n_pairs": self.n_pairs,
            "looks": self.looks,
            "alpha_spent": self.alpha_spent,
            "stopped": self.stopped,
        }


@dataclass(frozen=True)
class InstructionComparison:
    """Instruction counts under valgrind, per hash seed (deterministic: no test needed)."""

    base: int
    head: int
    ratio: float
    per_seed: tuple[tuple[int, int, int], ...] = ()
    """(seed, base count, head count) for every seed measured."""
    method: str = ""
    """"region" (client requests around the workload) or "n-vs-2n" or "whole"."""
    env: EnvFingerprint | None = None
    """Where the counts were taken (interpreter, CPU, sandbox)."""

    def to_json(self) -> dict[str, Any]:
        return {"base": self.base, "head": self.head, "ratio": self.ratio}


@dataclass(frozen=True)
class MemoryComparison:
    base_bytes: int
    head_bytes: int

    @property
    def ratio(self) -> float:
        return self.head_bytes / self.base_bytes if self.base_bytes else 1.0

    def to_json(self) -> dict[str, Any]:
        return {"base_bytes": self.base_bytes, "head_bytes": self.head_bytes, "ratio": self.ratio}


Outrun = Callable[[WallTimeComparison, MemoryComparison | None], str]
"""Why a head found faster is clearly dominated by a candidate already checked (its runtime,
and its memory when measured), or "" when it is not: the loop's view of the front."""


@dataclass(frozen=True)
class Hotspot:
    """One function in a py-spy profile."""

    function: str
    file: str
    """Path relative to the work tree when the file is the target's, else as py-spy saw it."""
    line: int
    self_share: float
    """Fraction of samples whose innermost frame is this function."""
    total_share: float
    """Fraction of samples with this function anywhere on the stack."""
    path: tuple[str, ...] = ()
    """The heaviest call path from the workload to this function, outermost first, each
    frame "function (file:line)" (the function itself last)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", tuple(self.path))  # a list when read from JSON


@dataclass(frozen=True)
class HotspotProfile:
    hotspots: tuple[Hotspot, ...]
    samples: int
    collapsed: str = ""
    """Raw collapsed stacks ("a;b;c 12" per line), kept for flame graphs in reports."""


@dataclass(frozen=True)
class BaselineReport:
    """The unedited code: its tests (run twice: flaky tests are reported, not ignored), a few
    untimed workload runs and a hotspot profile."""

    durations_s: tuple[float, ...]
    peak_rss_bytes: int | None
    profile: HotspotProfile
    tests_flaky: bool = False
    flaky_tail: str = ""
    notes: tuple[str, ...] = ()
    """Warnings worth a line in the log (e.g. why there is no profile)."""


@dataclass(frozen=True)
class Check:
    """The outcome of one correctness or anti-gaming check of a head (tests, output
    equivalence, captured behaviour, perturbed inputs, held-out workloads, clean state,
    special cases, review), with a one-line reason and its evidence."""

    name: str
    passed: bool | None
    """None: not applicable or not run (the reason says why)."""
    reason: str
    rejects: Rejection | None = None
    """What a failure of this check makes the head (None: the check only informs)."""
    evidence: dict[str, Any] = field(default_factory=dict)
    """What the check saw: the first differing call, the paths written, the literals, ..."""

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "passed": self.passed,
            "reason": self.reason,
            "rejects": self.rejects,
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class WorkloadVerdict:
    """One workload's row of the per-workload table (docs/design.md §3 `workloads`), with the raw
    samples it was judged on (seconds for time, bytes for peakmem, the value for track)."""

    name: str
    role: str
    """target, other or holdout."""
    metric: str
    verdict: str
    """faster, slower, same, broken, error (the base could not run it) or changed (track)."""
    ratio: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    """One-sided p for "head is faster"."""
    p_slower: float | None = None
    reason: str = ""
    base: tuple[float, ...] = ()
    head: tuple[float, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "metric": self.metric,
            "verdict": self.verdict,
            "ratio": self.ratio,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "p_value": self.p_value,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Measurement:
    """The full judgement of a head tree against a base tree (what `perfagent measure` prints)."""

    verdict: Verdict
    tests_passed: bool
    equivalent: bool | None
    runtime: WallTimeComparison | None
    instructions: InstructionComparison | None = None
    peak_memory: MemoryComparison | None = None
    reason: str = ""
    """Why the verdict is what it is, in one line (always set for "broken")."""
    stage: str = ""
    """The last cascade stage reached: tests, equivalence, instructions, walltime, confirmed."""
    checks: tuple[Check, ...] = ()
    """Every check that ran, in order; a failed one that rejects ends the cascade."""
    workloads: tuple[WorkloadVerdict, ...] = ()
    """With several workloads (a suite, a bench list, held-out workloads): one row each."""

    @property
    def rejected(self) -> Rejection | None:
        """The rejection of the first failed check that rejects, if any."""
        return next((c.rejects for c in self.checks if c.passed is False and c.rejects), None)

    def with_check(self, check: Check) -> Measurement:
        """This measurement with one more check; one that fails and rejects ends the head
        as broken in that check, as the cascade's own checks do."""
        checks = (*self.checks, check)
        if check.passed is False and check.rejects is not None:
            return replace(
                self, verdict=Verdict.BROKEN, reason=check.reason, stage=check.name, checks=checks
            )
        return replace(self, checks=checks)

    def to_json(self) -> dict[str, Any]:
        return {
            "checks": [c.to_json() for c in self.checks],
            "verdict": self.verdict,
            "tests_passed": self.tests_passed,
            "equivalent": self.equivalent,
            "runtime": self.runtime.to_json() if self.runtime else None,
            "instructions": self.instructions.to_json() if self.instructions else None,
            "peak_memory": self.peak_memory.to_json() if self.peak_memory else None,
            "reason": self.reason,
            "stage": self.stage,
            "workloads": [w.to_json() for w in self.workloads],
        }


def fingerprint_json(env: EnvFingerprint | None) -> dict[str, Any] | None:
    return asdict(env) if env else None
