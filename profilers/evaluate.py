"""The measurement cascade: correctness gates speed, a cheap deterministic screen comes before
wall time, and a winner is re-measured from scratch (docs/design.md §5).

`measure` runs a list of stages over one `Cascade`; a stage either adds what it found or ends
the cascade with a verdict (a head that fails a check is broken; a head the instruction
screen already shows slower is never timed). A head whose workload crashes, hangs or ends
early in any stage is broken in that stage; a base that does raises WorkloadError (side
"base"): nothing can be judged against a broken baseline. The trust checks come after the
wall time and judge only a head it found faster: they decide between a gain and a
rejection, and a head that is not faster is never accepted either way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from profilers.base_results import base_memory, base_outputs
from profilers.cache import BaseKey
from profilers.checks.behaviour import NAME as BEHAVIOUR
from profilers.checks.behaviour import behaviour
from profilers.checks.clean_state import NAME as CLEAN_STATE
from profilers.checks.clean_state import clean_state
from profilers.checks.generalization import generalization
from profilers.checks.perturbed import NAME as PERTURBED
from profilers.checks.perturbed import perturbed
from profilers.checks.special_case import NAME as SPECIAL_CASE
from profilers.checks.special_case import special_case
from profilers.config import MeasureConfig
from profilers.count_stage import CountIf, instructions, screen
from profilers.equivalence import Outputs, capture_outputs, describe_difference, equivalent
from profilers.errors import MeasurementError, WorkloadError
from profilers.harness import Harness, prepare_pair
from profilers.memory import peak_memory
from profilers.results import (
    Check,
    InstructionComparison,
    Measurement,
    MemoryComparison,
    Outrun,
    WallTimeComparison,
    WorkloadVerdict,
)
from profilers.sequential import OUTRUN_STOP, SlowdownSettled
from profilers.stats import explain
from profilers.suite import DEFAULT_TOLERANCE, settles_slowdown
from profilers.suite_stage import planned_workloads, workloads
from profilers.verdicts import OUTRUN, Rejection, Verdict
from profilers.walltime import compare_walltime
from profilers.workload import Workload
from sandbox.base import Sandbox

Say = Callable[[str], None]
OnTimed = Callable[[Measurement], None]
"""Told, once, of a head the wall time found faster (the measurement so far), while its trust
checks still run: the loop starts a model's review of the patch beside them."""
Quiet = Callable[[], None]
"""Returns once nothing else runs that would disturb a timing or a count."""
HEAD_FAILURES = {
    "crashed": "crashes",
    "timeout": "times out",
    "no-result": "ends without a result",
    "tampered": "edits protected files",
    "output-differs": "produces different output",
}


def _one_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


@dataclass
class Cascade:
    """One head judged against one base: what the stages have found so far."""

    base: Sandbox
    head: Sandbox
    workload: Workload
    tests: str | None
    config: MeasureConfig
    say: Say
    tests_passed: bool = True
    equivalent: bool | None = None
    instructions: InstructionComparison | None = None
    runtime: WallTimeComparison | None = None
    memory: MemoryComparison | None = None
    notes: list[str] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    harnesses: tuple[Harness, Harness] | None = None
    base_out: Outputs | None = None
    others: tuple[Workload, ...] = ()
    """Workloads judged with this one: further targets, the rest of a suite, holdouts."""
    tolerance: float = DEFAULT_TOLERANCE
    """How much slower (significantly) no workload may get."""
    rows: list[WorkloadVerdict] = field(default_factory=list)
    """The per-workload table, once the workloads are judged."""
    base_key: BaseKey | None = None
    """Where the base's untimed results are cached (None: measured for this head alone)."""
    head_peak: int | None = None
    """Peak RSS of a head run another stage already made (a timing sample that was one run of
    the workload, the clean-state check): the memory stage does not run the head again."""
    count_if: CountIf | None = None
    """Under instructions = "auto": whether a head judged so far is worth counting (it
    enters the Pareto front); None counts none."""
    on_timed: OnTimed | None = None
    quiet: Quiet | None = None
    """Waits until the machine is quiet enough to time (e.g. the base's own instruction
    count, started beside the baseline, has ended); the untimed stages before it need not."""
    outrun: Outrun | None = None
    """Whether a head found faster is already outrun (its trust checks then wait)."""

    def ended(self, verdict: Verdict, stage: str, reason: str) -> Measurement:
        return Measurement(
            verdict=verdict,
            tests_passed=self.tests_passed,
            equivalent=self.equivalent,
            runtime=self.runtime,
            instructions=self.instructions,
            peak_memory=self.memory,
            reason=reason,
            stage=stage,
            checks=tuple(self.checks),
            workloads=tuple(self.rows),
        )

    def reject(self, check: Check) -> Measurement:
        """End the cascade: `check` failed and rejects the head."""
        self.checks.append(check)
        return self.ended(Verdict.BROKEN, check.name, check.reason)

    def result(self) -> Measurement:
        assert self.runtime is not None
        reason = explain(self.runtime, self.config)
        if self.instructions is not None:
            reason += f"; instructions {self.instructions.ratio:.3f}x ({self.instructions.method})"
        if self.notes:
            reason += "; " + "; ".join(self.notes)
        return self.ended(self.runtime.verdict, "walltime", reason)


Stage = Callable[[Cascade], Measurement | None]


def tests(c: Cascade) -> Measurement | None:
    if not c.tests:
        c.checks.append(Check("tests", None, "no test command"))
        return None
    c.say("tests: running the tests on head")
    res = c.head.execute(c.tests, timeout=c.config.timeout_s)
    if res.ok:
        c.checks.append(Check("tests", True, f"{c.tests!r} passes on head"))
        return None
    why = res.killed_reason or (
        "edited protected files" if res.tampered else f"exit {res.returncode}"
    )
    last = _one_line(res.stdout + "\n" + res.stderr)
    c.tests_passed = False
    reason = f"tests fail on head ({why})" + (f": {last}" if last else "")
    return c.reject(Check("tests", False, reason, Rejection.TESTS_FAILED, {"tail": res.tail()}))


def equivalence(c: Cascade) -> Measurement | None:
    hb, hh = c.harnesses = prepare_pair(c.base, c.head, c.config)
    c.base_out, cached = base_outputs(hb, c.workload, c.config, c.base_key)
    c.say("equivalence: checking head outputs" + (" (base outputs cached)" if cached else ""))
    head_out = capture_outputs(c.head, c.workload, c.config, reference=c.base_out, harness=hh)
    if not c.config.check_outputs:
        c.checks.append(Check("equivalence", None, "output checks are off"))
        return None
    c.equivalent = equivalent(c.base_out, head_out)
    if c.equivalent is False:
        differ = describe_difference(c.base_out, head_out)
        reason = f"outputs differ from the base: {differ}"
        return c.reject(Check("equivalence", False, reason, Rejection.BROKEN))
    if c.equivalent is None:
        c.notes.append(_unchecked(c.base_out))
        c.checks.append(Check("equivalence", None, _unchecked(c.base_out)))
    else:
        c.checks.append(Check("equivalence", True, "workload outputs equal the base's"))
    return None


def settle(c: Cascade) -> Measurement | None:
    """Before anything is timed or counted: the tests and outputs, and the trust checks,
    untimed, do not wait."""
    if c.quiet is not None:
        c.quiet()
    return None


def outrun_reason(c: Cascade, rt: WallTimeComparison) -> str:
    """Why a checked candidate clearly outruns this head, or "" (also when nothing can: no
    `outrun`, or a suite, whose other workloads decide). The head's memory is measured first
    (one run) once its runtime alone is outrun: a head lighter on memory may still join the
    front."""
    if c.outrun is None or c.others or not c.outrun(rt, None):
        return ""
    memory(c)
    return c.outrun(rt, c.memory)


def walltime(c: Cascade) -> Measurement | None:
    """Sequential pairs; at a look that decides nothing, a head already outrun stops there:
    more pairs could at best find it faster and dominated (issue 13)."""
    c.say("timing: interleaved base/head pairs")
    gave_up: list[str] = []

    def give_up(rt: WallTimeComparison) -> str:
        gave_up.append(outrun_reason(c, rt))
        return gave_up[-1]

    def on_peak(peak: int) -> None:  # a sample that is one run: memory need not run again
        c.head_peak = c.head_peak or peak

    c.runtime = compare_walltime(
        c.base,
        c.head,
        c.workload,
        c.config,
        say=c.say,
        give_up=give_up,
        slowdown_settled=_suite_slowdown(c),
        harnesses=c.harnesses,
        on_peak=on_peak,
    )
    c.say(f"timing: {explain(c.runtime, c.config)} (stopped: {c.runtime.stopped})")
    if c.runtime.stopped == OUTRUN_STOP:
        c.notes.append(f"timing stopped at {c.runtime.n_pairs} pairs: {gave_up[-1]}")
    return None


def _suite_slowdown(c: Cascade) -> SlowdownSettled | None:
    """A primary workload that is no target is judged with the suite, slower only beyond
    the tolerance: its test must go on until that is settled (`suite.settles_slowdown`)."""
    if not c.others or c.workload.role == "target":
        return None
    return settles_slowdown(c.tolerance, c.config, planned_workloads(c))


def dominated(c: Cascade) -> Measurement | None:
    """A head faster than the base but clearly slower than a candidate already checked is
    never delivered while that one stands: its trust checks wait (the loop checks it in full
    if that one is turned away), which spares their replays and timings (issue 13)."""
    rt = c.runtime
    if rt is None or rt.verdict != Verdict.FASTER:
        return None
    why = outrun_reason(c, rt)
    if not why:
        return None
    c.checks.append(Check("trust", None, f"not run yet: {why}"))
    return c.ended(Verdict.FASTER, OUTRUN, f"{explain(rt, c.config)}; {why}: its checks wait")


def timed(c: Cascade) -> Measurement | None:
    """Tell the caller of a head the wall time found faster, before its trust checks run."""
    if c.on_timed is not None and c.runtime is not None and c.runtime.verdict == Verdict.FASTER:
        c.on_timed(c.result())
    return None


def memory(c: Cascade) -> Measurement | None:
    if not c.config.memory or c.memory is not None:
        return None
    c.say("memory: peak RSS of one head run")
    b = base_memory(c.base, c.workload, c.config, c.base_key)
    h = c.head_peak or peak_memory(c.head, c.workload, c.config, side="head")
    if b is not None and h is not None:
        c.memory = MemoryComparison(base_bytes=b, head_bytes=h)
    return None


def may_win(c: Cascade) -> bool:
    """Whether the head can still be judged faster: not yet timed, timed faster, or one
    workload of a suite whose verdict the other workloads decide (its primary is no target)."""
    if c.runtime is None or c.runtime.verdict == Verdict.FASTER:
        return True
    return bool(c.others) and c.workload.role != "target"


def contender_only(stage: Stage, name: str) -> Stage:
    """`stage` for a head that may still win, a note for one that cannot. The trust checks
    decide between "faster" and a rejection, so they wait for the wall time: a head that is
    not faster is never accepted whatever they find, and skipping them saves their runs
    (issue 13)."""

    def gated(c: Cascade) -> Measurement | None:
        if may_win(c):
            return stage(c)
        c.checks.append(Check(name, None, "not run: the head is not faster"))
        return None

    gated.__name__ = stage.__name__
    gated.__doc__ = stage.__doc__
    return gated


STAGES: tuple[Stage, ...] = (
    tests,
    equivalence,
    settle,
    screen,
    walltime,
    dominated,
    timed,
    contender_only(behaviour, BEHAVIOUR),
    contender_only(perturbed, PERTURBED),
    contender_only(special_case, SPECIAL_CASE),
    contender_only(clean_state, CLEAN_STATE),
    settle,  # a count beside the trust checks (`profilers.count_beside`) ends before timing
    generalization,
    memory,
    instructions,
    workloads,
)


def measure(
    base: Sandbox,
    head: Sandbox,
    workload: Workload,
    tests: str | None,
    config: MeasureConfig,
    on_stage: Say | None = None,
    stages: tuple[Stage, ...] = STAGES,
    *,
    others: Sequence[Workload] = (),
    tolerance: float = DEFAULT_TOLERANCE,
    base_key: BaseKey | None = None,
    count_if: CountIf | None = None,
    on_timed: OnTimed | None = None,
    quiet: Quiet | None = None,
    outrun: Outrun | None = None,
) -> Measurement:
    """Tests in head (fail ⇒ broken) → outputs equivalent to base (differ ⇒ broken) →
    instruction screen (instructions = "always") → sequential wall-time pairs → the trust
    checks, for a head that may still win (behaviour, perturbed inputs, special cases, clean
    state) → generalization → peak memory → instruction counts (instructions = "auto", when
    `count_if` says so) → every workload (with `others`, `profilers.suite_stage`). A missing interpreter raises
    ToolMissing; a missing valgrind only skips the counts (noted in the reason). The base's
    untimed results come from `base_key`'s cache when it has them; `on_timed` hears of a head
    the wall time found faster before its checks run; `quiet` is awaited before the first
    timed or counted stage; a faster head `outrun` names is ended before its trust checks."""
    say = on_stage or (lambda _msg: None)
    c = Cascade(
        base,
        head,
        workload,
        tests,
        config,
        say,
        base_key=base_key,
        count_if=count_if,
        on_timed=on_timed,
        quiet=quiet,
        outrun=outrun,
    )
    c.others, c.tolerance = tuple(others), tolerance
    for stage in stages:
        try:
            ended = stage(c)
        except WorkloadError as exc:
            if exc.side != "head":
                raise
            what = HEAD_FAILURES[exc.status]
            reason = f"the workload {what} on head: {exc.detail}"
            return c.reject(Check(stage.__name__, False, reason, Rejection.BROKEN))
        if ended is not None:
            return ended
    return c.result()


def _unchecked(base_out: Outputs) -> str:
    if base_out.kind == "none":
        return "outputs not compared (pytest workload: pass/fail only)"
    if base_out.mode == "unstable":
        return "outputs not compared (base output varies from run to run)"
    return "outputs not compared (the workload prints nothing)"


def remeasure(
    base: Sandbox,
    head: Sandbox,
    workload: Workload,
    config: MeasureConfig,
    say: Say | None = None,
) -> WallTimeComparison:
    """Re-measure a winner from scratch: fresh calibration, warm-up and a fresh sequential
    test spending the whole alpha again (selection bias: the best of many candidates looks
    better than it is). A failing side raises WorkloadError."""
    return compare_walltime(base, head, workload, config, say=say)


__all__ = ["STAGES", "Cascade", "MeasurementError", "measure", "remeasure"]
