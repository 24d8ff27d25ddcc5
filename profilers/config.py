"""Settings of one measurement: how many samples, which thresholds, which tools."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

InstructionPolicy = Literal["auto", "always", "never"]
INSTRUCTION_POLICIES: tuple[InstructionPolicy, ...] = ("auto", "always", "never")
_OLD_WORDS: dict[str, InstructionPolicy] = {"on": "always", "off": "never"}


@dataclass
class MeasureConfig:
    """Every knob of the measurement cascade (docs/design.md §5); defaults follow the research notes."""

    pairs: int = 6
    """Interleaved base/head wall-time pairs taken before the first look (sequential test,
    `profilers.sequential`)."""
    max_pairs: int = 20
    """Pairs at the last look: a comparison still unclear then ends "same"."""
    looks: int = 4
    """Looks at the data, the first at `pairs` and the last at `max_pairs`, evenly spaced;
    1 makes a fixed-size test of `max_pairs` pairs."""
    spending: float = 1.0
    """Exponent rho of the alpha-spending function alpha * t**rho (t: share of `max_pairs`
    taken): 1 spends evenly per pair, larger values save more of alpha for later looks."""
    warmup: int = 1
    """Pairs run and discarded before sampling (the first one's base side is calibration's
    last run, a base sample at the calibrated loops)."""
    min_sample_s: float = 0.2
    """Inner-loop calibration target: one sample lasts at least this long on the baseline."""
    max_loops: int = 10_000
    """Upper bound for the inner loop count."""
    alpha: float = 0.01
    """One-sided Mann–Whitney level for "faster"."""
    min_effect: float = 0.97
    """Median ratio (head/base) must be at or below this for "faster"."""
    regression: float = 1.02
    """Median ratio at or above this, with p < `regression_alpha`, is "slower"."""
    regression_alpha: float = 0.05
    """One-sided Mann–Whitney level for "slower"."""
    gray_zone: float = 0.1
    """A look stops early for futility only when p(faster) is at least this (and the CI's lower
    end is above `min_effect`); a "same" with either one-sided p below it is inconclusive."""
    seeds: tuple[int, ...] = (0,)
    """PYTHONHASHSEED values: every instruction count is taken per seed; wall-time pairs cycle them."""
    instructions: InstructionPolicy = "auto"
    """Valgrind instruction counts: "auto" counts only heads that may enter the Pareto front,
    and only when a native run takes at most `instructions_max_native_s` (the loop counts the
    faster candidates on its front at the finish, before confirming them; a single
    measurement counts a head once it is faster or lighter, `may_enter_front`); "always"
    counts every head whose tests and outputs pass, before timing it (the screen may then
    reject it as slower); "never" counts nothing. ("on" and "off" are read as "always" and "never".)"""
    instructions_max_native_s: float = 2.0
    """Longest native run "auto" still counts instructions for (valgrind costs ~50x)."""
    valgrind_timeout_s: float = 900.0
    """Limit of one valgrind run; on timeout instruction counts are skipped, not an error."""
    screen_reject: float | None = 1.10
    """Instruction ratio at or above which, on every seed, the head is "slower" without
    timing it (None: the screen never decides, wall time always runs)."""
    timeout_s: float = 600.0
    """Limit of one workload run (one sample, one output capture, one test run)."""
    bootstrap: int = 2000
    """Bootstrap resamples for the CI of the ratio of medians."""
    bootstrap_seed: int = 0
    """Seed of the bootstrap resampler (so a verdict can be re-derived from the raw values)."""
    python: str = "python3"
    """Interpreter (as commands see it) that runs the shipped runner for GSO scripts and pytest ids."""
    loop_env: str | None = None
    """For shell-command workloads: an environment variable the command reads as its repetition
    count; when set, instruction counts use N-vs-2N differencing instead of whole-process counts."""
    env: Mapping[str, str] = field(default_factory=dict)
    """Extra environment for every workload run, identical on both sides."""
    output_runs: int = 2
    """Baseline output captures; when they differ, outputs are compared with numbers masked, and
    when that differs too they are not compared (equivalence unknown, never a guess)."""
    check_outputs: bool = True
    """Compare head outputs with the baseline's (GSO store/check, else stdout)."""
    memory: bool = True
    """Measure peak RSS of both sides (separate, untimed runs)."""
    profile_min_s: float = 1.0
    """A hotspot profile runs the workload long enough for this many seconds of samples."""
    profile_rate: int = 100
    """py-spy sampling rate (Hz)."""
    hotspots_top: int = 20
    """Functions kept in a hotspot profile."""

    def __post_init__(self) -> None:
        self.instructions = _OLD_WORDS.get(self.instructions, self.instructions)
        if self.instructions not in INSTRUCTION_POLICIES:
            raise ValueError(
                f"instructions must be one of {', '.join(INSTRUCTION_POLICIES)} "
                f"(got {self.instructions!r})"
            )
