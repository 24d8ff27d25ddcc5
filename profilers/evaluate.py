"""The measurement cascade: correctness gates speed, a cheap deterministic screen comes before
wall time, and a winner is re-measured from scratch (DESIGN §5)."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import replace

from profilers.config import MeasureConfig
from profilers.equivalence import Outputs, capture_outputs, describe_difference, equivalent
from profilers.errors import MeasurementError, ToolMissing, WorkloadError
from profilers.harness import prepare_pair
from profilers.instructions import instruction_screen, seed_ratios
from profilers.memory import peak_memory
from profilers.results import (
    InstructionComparison,
    Measurement,
    MemoryComparison,
    WallTimeComparison,
)
from profilers.stats import explain
from profilers.walltime import compare_walltime
from profilers.workload import Workload
from sandbox.base import Sandbox


def _one_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def _broken(stage: str, reason: str, *, tests_passed: bool, **kw: object) -> Measurement:
    return Measurement(
        verdict="broken",
        tests_passed=tests_passed,
        equivalent=kw.pop("equivalent", None),  # type: ignore[arg-type]
        runtime=None,
        reason=reason,
        stage=stage,
        **kw,  # type: ignore[arg-type]
    )


def _head_failure(exc: WorkloadError) -> str:
    what = {
        "crashed": "crashes",
        "timeout": "times out",
        "no-result": "ends without a result",
        "tampered": "edits protected files",
        "output-differs": "produces different output",
    }[exc.status]
    return f"the workload {what} on head: {exc.detail}"


def measure(
    base: Sandbox,
    head: Sandbox,
    workload: Workload,
    tests: str | None,
    config: MeasureConfig,
    on_stage: Callable[[str], None] | None = None,
) -> Measurement:
    """Cascade: tests in head (fail ⇒ verdict broken, stage tests) → outputs equivalent to base
    (differ ⇒ broken) → instruction screen (when enabled) → wall-time pairs (10, extended to 20
    in the gray zone) → Measurement with verdict faster|slower|same and peak memory.

    A head that crashes, hangs or ends early is "broken". A base that does raises
    WorkloadError (side "base"): nothing can be judged against a broken baseline. A missing
    interpreter raises ToolMissing; a missing valgrind only skips the screen (noted in reason)."""
    say = on_stage or (lambda _msg: None)
    tests_passed = True
    if tests:
        say("tests: running the tests on head")
        res = head.execute(tests, timeout=config.timeout_s)
        if not res.ok:
            why = res.killed_reason or (
                "edited protected files" if res.tampered else f"exit {res.returncode}"
            )
            last = _one_line(res.stdout + "\n" + res.stderr)
            return _broken(
                "tests",
                f"tests fail on head ({why})" + (f": {last}" if last else ""),
                tests_passed=False,
            )
    hb, hh = prepare_pair(base, head, config)

    say("equivalence: capturing base outputs")
    base_out = capture_outputs(base, workload, config, harness=hb)
    say("equivalence: checking head outputs")
    try:
        head_out = capture_outputs(head, workload, config, reference=base_out, harness=hh)
    except WorkloadError as exc:
        if exc.side != "head":
            raise
        return _broken("equivalence", _head_failure(exc), tests_passed=tests_passed)
    same_output: bool | None = None
    notes: list[str] = []
    if config.check_outputs:
        same_output = equivalent(base_out, head_out)
        if same_output is False:
            return _broken(
                "equivalence",
                f"outputs differ from the base: {describe_difference(base_out, head_out)}",
                tests_passed=tests_passed,
                equivalent=False,
            )
        if same_output is None:
            notes.append(_unchecked(base_out))

    instructions: InstructionComparison | None = None
    if config.instructions != "off":
        say("instructions: counting with valgrind")
        native = statistics.median(base_out.durations) if base_out.durations else None
        try:
            instructions, skipped = instruction_screen(
                base, head, workload, config, native_s=native
            )
        except ToolMissing as exc:
            instructions, skipped = None, f"instruction counts skipped: {exc}"
        except WorkloadError as exc:
            if exc.side != "head":
                raise
            return _broken(
                "instructions",
                _head_failure(exc),
                tests_passed=tests_passed,
                equivalent=same_output,
            )
        if skipped:
            notes.append(skipped)
        if instructions is not None and config.screen_reject is not None:
            ratios = seed_ratios(instructions)
            if ratios and all(r >= config.screen_reject for r in ratios.values()):
                return Measurement(
                    verdict="slower",
                    tests_passed=tests_passed,
                    equivalent=same_output,
                    runtime=None,
                    instructions=instructions,
                    reason=(
                        f"slower: {instructions.ratio:.3f}x the base's instructions on every seed "
                        f"(screen rejects ≥ {config.screen_reject:g}); wall time not measured"
                    ),
                    stage="instructions",
                )

    say("walltime: interleaved base/head pairs")
    try:
        runtime = compare_walltime(
            base,
            head,
            workload,
            config,
            on_pair=lambda i, b, h: say(f"  pair {i + 1}: base {b:.3f} s, head {h:.3f} s"),
        )
    except WorkloadError as exc:
        if exc.side != "head":
            raise
        return _broken(
            "walltime",
            _head_failure(exc),
            tests_passed=tests_passed,
            equivalent=same_output,
            instructions=instructions,
        )

    memory: MemoryComparison | None = None
    if config.memory:
        say("memory: peak RSS of one run per side")
        try:
            b = peak_memory(base, workload, config, side="base")
            h = peak_memory(head, workload, config, side="head")
        except WorkloadError as exc:
            if exc.side != "head":
                raise
            return _broken(
                "memory",
                _head_failure(exc),
                tests_passed=tests_passed,
                equivalent=same_output,
                instructions=instructions,
            )
        if b is not None and h is not None:
            memory = MemoryComparison(base_bytes=b, head_bytes=h)

    reason = explain(runtime, config)
    if instructions is not None:
        reason += f"; instructions {instructions.ratio:.3f}x ({instructions.method})"
    if notes:
        reason += "; " + "; ".join(notes)
    return Measurement(
        verdict=runtime.verdict,
        tests_passed=tests_passed,
        equivalent=same_output,
        runtime=runtime,
        instructions=instructions,
        peak_memory=memory,
        reason=reason,
        stage="walltime",
    )


def _unchecked(base_out: Outputs) -> str:
    if base_out.kind == "none":
        return "outputs not compared (pytest workload: pass/fail only)"
    if base_out.mode == "unstable":
        return "outputs not compared (base output varies from run to run)"
    return "outputs not compared (the workload prints nothing)"


def remeasure(
    base: Sandbox, head: Sandbox, workload: Workload, config: MeasureConfig
) -> WallTimeComparison:
    """Re-measure a winner from scratch: fresh calibration, warm-up and `max_pairs` pairs
    (selection bias: the best of many candidates looks better than it is). A failing side
    raises WorkloadError."""
    fresh = replace(config, pairs=max(config.pairs, config.max_pairs))
    return compare_walltime(base, head, workload, fresh)


__all__ = ["MeasurementError", "measure", "remeasure"]
