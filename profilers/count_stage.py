"""The cascade's instruction stages: a screen before timing (instructions = "always") and a
count once the wall time is known (instructions = "auto"), and the count itself, which the
finish also runs for the front (docs/design.md §5)."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from typing import TYPE_CHECKING

from profilers.cache import BaseKey
from profilers.config import MeasureConfig
from profilers.errors import ToolMissing
from profilers.instructions import instruction_screen, seed_ratios
from profilers.results import InstructionComparison, MemoryComparison, WallTimeComparison
from profilers.verdicts import Verdict
from profilers.workload import Workload
from sandbox.base import Sandbox

if TYPE_CHECKING:
    from profilers.evaluate import Cascade
    from profilers.results import Measurement

Say = Callable[[str], None]
CountIf = Callable[[WallTimeComparison, MemoryComparison | None], bool]
"""Whether a head with this wall time and memory is worth an instruction count."""


def may_enter_front(runtime: WallTimeComparison, memory: MemoryComparison | None) -> bool:
    """Under instructions = "auto", a head worth counting: faster, or lighter on memory (it
    may enter the Pareto front); a head that is neither is never counted."""
    if runtime.verdict == Verdict.FASTER:
        return True
    return memory is not None and memory.head_bytes < 0.95 * memory.base_bytes


def screen(c: Cascade) -> Measurement | None:
    """instructions = "always": count before timing; a head with many more instructions on
    every seed is slower without being timed."""
    if c.config.instructions != "always":
        return None
    _count(c)
    reject = c.config.screen_reject
    if c.instructions is None or reject is None:
        return None
    ratios = seed_ratios(c.instructions)
    if ratios and all(r >= reject for r in ratios.values()):
        return c.ended(
            Verdict.SLOWER,
            "instructions",
            f"slower: {c.instructions.ratio:.3f}x the base's instructions on every seed "
            f"(screen rejects ≥ {reject:g}); wall time not measured",
        )
    return None


def instructions(c: Cascade) -> Measurement | None:
    """instructions = "auto": count a head only once its wall time is known, and only when the
    caller wants it (it is faster and enters the front)."""
    if c.config.instructions != "auto" or c.runtime is None or c.count_if is None:
        return None
    if c.count_if(c.runtime, c.memory):
        _count(c)
    return None


def _count(c: Cascade) -> None:
    durations = c.base_out.durations if c.base_out else ()
    native = statistics.median(durations) if durations else None
    c.instructions, skipped = count(
        c.base, c.head, c.workload, c.config, say=c.say, native_s=native, base_key=c.base_key
    )
    if skipped:
        c.notes.append(skipped)


def count(
    base: Sandbox,
    head: Sandbox,
    workload: Workload,
    config: MeasureConfig,
    *,
    say: Say | None = None,
    native_s: float | None = None,
    base_key: BaseKey | None = None,
) -> tuple[InstructionComparison | None, str]:
    """Instruction counts of a head against the base (the base's from the cache when kept),
    or None and the one-line reason they were skipped."""
    (say or (lambda _msg: None))("instructions: counting with valgrind")
    try:
        return instruction_screen(base, head, workload, config, native_s=native_s, base=base_key)
    except ToolMissing as exc:
        return None, f"instruction counts skipped: {exc}"
