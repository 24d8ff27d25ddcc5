"""Several states of one repository (base, expert, a candidate) timed with a benchmark's own
protocol: GSO perf scripts (`run_test` times, `--reference`/`--eqcheck`), pytest durations
(SWE-Perf's efficiency tests), or a command (its wall time, or a number it prints).

Every run is a fresh process; states are interleaved round by round (the base always first
in round 0, where GSO's reference outputs are stored); warm-up rounds are discarded. The
numbers are judged with our statistics (`profilers.stats.decide`).
"""

from __future__ import annotations

import math
import shlex
import shutil
import statistics
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal

from profilers.config import MeasureConfig
from profilers.results import WallTimeComparison
from profilers.stats import decide
from profilers.verdicts import Verdict
from sandbox.base import ExecResult, Sandbox, SandboxError, SandboxFactory, WorkspaceSpec

Say = Callable[[str], None]
GSO_RUNNER = "perfagent_gso_run.py"


@dataclass(frozen=True)
class BenchProtocol:
    """How a benchmark times a state."""

    kind: Literal["gso", "pytest", "command"]
    scripts: tuple[str, ...] = ()
    """GSO: the perf test scripts' texts."""
    tests: tuple[str, ...] = ()
    """pytest: the efficiency tests' node ids (their own durations are the samples)."""
    command: str = ""
    """command: the workload."""
    value: Callable[[ExecResult], float | None] = lambda res: res.duration_s
    """command: the sample a run gives (its wall time, or a number it prints)."""
    check: str | None = None
    """A test command run once per state (correctness), when the protocol has none itself."""


@dataclass
class StatesConfig:
    iterations: int = 10
    """Fresh processes per probe and state (GSO takes 5; our statistics want at least 10)."""
    warmup: int = 1
    """Interleaved rounds run first and discarded (they also store GSO's reference outputs)."""
    timeout_s: float = 300.0
    """Limit of one run (GSO's `timeout 300s`)."""
    stats: MeasureConfig = field(default_factory=MeasureConfig)


@dataclass
class Probe:
    """One timed thing (a GSO perf test, a pytest id, the workload)."""

    name: str
    samples: dict[str, list[float]] = field(default_factory=dict)
    """State -> seconds per run, as the benchmark measures them."""
    equivalent: dict[str, bool] = field(default_factory=dict)


@dataclass
class StateRun:
    """What `measure_states` found; `error` set means the states could not all be measured."""

    probes: list[Probe]
    passed: dict[str, bool] = field(default_factory=dict)
    """State -> its correctness tests passed (True when the benchmark has none)."""
    status: str = "ok"
    error: str = ""


class StateFailed(Exception):
    def __init__(self, status: str, message: str) -> None:
        self.status = status
        super().__init__(message)


def why(result: ExecResult) -> str:
    return result.killed_reason or f"exit {result.returncode}"


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def measure_states(
    factory: SandboxFactory,
    spec: Callable[[str, str], WorkspaceSpec],
    patches: Mapping[str, str],
    protocol: BenchProtocol,
    config: StatesConfig,
    say: Say = lambda _m: None,
) -> StateRun:
    """Time every state (name -> patch on the base; "base" first, with patch "")."""
    states = list(patches)
    if not states or states[0] != "base":
        raise ValueError("the first state must be 'base'")
    boxes: dict[str, Sandbox] = {}
    try:
        for s in states:
            try:
                boxes[s] = factory.open(spec(s, patches[s]))
            except SandboxError as exc:
                status = getattr(exc, "status", None) or (
                    "base-failed" if s == "base" else f"{s}-failed"
                )
                return StateRun([], status=status, error=f"{s}: {last_line(str(exc))}")
        run = _measure_open(protocol, boxes, states, config, say)
        _check(protocol, boxes, states, run, config)
        return run
    except StateFailed as exc:
        return StateRun([], status=exc.status, error=str(exc))
    finally:
        for sb in boxes.values():
            sb.close()


def interleaved(states: Sequence[str], rounds: int) -> Iterator[tuple[int, str]]:
    for it in range(rounds):
        order = list(states) if it % 2 == 0 else list(reversed(states))
        if it == 0:
            order = list(states)  # the base first: it stores GSO's reference outputs
        for state in order:
            yield it, state


def _measure_open(
    protocol: BenchProtocol,
    boxes: Mapping[str, Sandbox],
    states: Sequence[str],
    config: StatesConfig,
    say: Say,
) -> StateRun:
    if protocol.kind == "gso":
        return _gso(protocol.scripts, boxes, states, config, say)
    if protocol.kind == "pytest":
        return _pytest(protocol.tests, boxes, states, config)
    probe = Probe("workload")
    for it, state in interleaved(states, config.warmup + config.iterations):
        res = boxes[state].execute(protocol.command, timeout=config.timeout_s)
        if not res.ok:
            raise StateFailed(
                f"{state}-failed",
                f"workload fails on {state} ({why(res)}): {last_line(res.tail())}",
            )
        value = protocol.value(res)
        if value is None or not value > 0:
            raise StateFailed(f"{state}-failed", f"workload gave no measurement on {state}")
        if it >= config.warmup:
            probe.samples.setdefault(state, []).append(value)
    return StateRun([probe])


def _check(
    protocol: BenchProtocol,
    boxes: Mapping[str, Sandbox],
    states: Sequence[str],
    run: StateRun,
    config: StatesConfig,
) -> None:
    if protocol.check:
        for state in states:
            res = boxes[state].execute(protocol.check, timeout=config.timeout_s)
            run.passed[state] = res.ok
            if state == "base" and not res.ok:
                raise StateFailed("base-failed", f"tests fail on the base: {last_line(res.tail())}")
    for state in states:
        run.passed.setdefault(state, True)


# GSO perf scripts ----------------------------------------------------------------------------
def _gso(
    scripts: Sequence[str],
    boxes: Mapping[str, Sandbox],
    states: Sequence[str],
    config: StatesConfig,
    say: Say,
) -> StateRun:
    runner = resources.files("profilers").joinpath("gso_run.py").read_text()
    for sb in boxes.values():
        (sb.host_scratch / GSO_RUNNER).write_text(runner)
        for n, text in enumerate(scripts):
            (sb.host_scratch / f"gso_test_{n}.py").write_text(text)
    run = StateRun([Probe(f"gso_test_{n}") for n in range(len(scripts))])
    for it, state in interleaved(states, config.warmup + config.iterations):
        for n, probe in enumerate(run.probes):
            seconds, same = _run_gso(boxes[state], n, it, state, config.timeout_s)
            if state == "base" and it == 0:
                for other in states[1:]:
                    for ref in boxes["base"].host_scratch.glob(f"gso_{n}_*"):
                        shutil.copy(ref, boxes[other].host_scratch / ref.name)
            probe.equivalent[state] = probe.equivalent.get(state, True) and same
            if it >= config.warmup and same:
                probe.samples.setdefault(state, []).append(seconds)
    say(f"  {len(scripts)} perf tests x {config.iterations} runs per state")
    return run


def _run_gso(sb: Sandbox, n: int, it: int, state: str, timeout: float) -> tuple[float, bool]:
    """Returns (seconds, equivalent). Base states store the reference; others check it."""
    out = f"{sb.scratch}/gso_out_{n}_{it}.txt"
    prefix = f"{sb.scratch}/gso_{n}"
    mode = "--reference" if state == "base" else "--eqcheck"
    cmd = (
        f"python {shlex.quote(sb.scratch + '/' + GSO_RUNNER)} "
        f"{shlex.quote(sb.scratch + f'/gso_test_{n}.py')} {shlex.quote(out)} {mode} "
        f"--file_prefix {shlex.quote(prefix)}"
    )
    res = sb.execute(cmd, timeout=timeout)
    host_out = sb.host_scratch / f"gso_out_{n}_{it}.txt"
    if not res.ok:
        failed = "AssertionError" in res.stderr or "check_equivalence" in res.stderr
        if state != "base" and failed:
            return math.nan, False
        raise StateFailed(
            f"{state}-failed", f"perf test {n} fails on {state}: {last_line(res.tail())}"
        )
    try:
        line = host_out.read_text().strip().splitlines()[-1]
        return float(line.split(":", 1)[1].strip().rstrip("s")), True
    except (OSError, IndexError, ValueError):
        raise StateFailed(f"{state}-failed", f"perf test {n} wrote no execution time") from None


# pytest durations ----------------------------------------------------------------------------
def _pytest(
    tests: Sequence[str], boxes: Mapping[str, Sandbox], states: Sequence[str], config: StatesConfig
) -> StateRun:
    run = StateRun([Probe(t) for t in tests])
    for it, state in interleaved(states, config.warmup + config.iterations):
        got = _pytest_probe(boxes[state], tests, it, state, config.timeout_s)
        for probe in run.probes:
            seconds, ok = got[probe.name]
            run.passed[state] = run.passed.get(state, True) and ok
            if it >= config.warmup and ok and seconds > 0:
                probe.samples.setdefault(state, []).append(seconds)
    return run


def junit_durations(path: Path) -> dict[str, tuple[float, bool]]:
    """pytest junit XML -> {test function name with params: (seconds, passed)}."""
    out: dict[str, tuple[float, bool]] = {}
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return out
    for case in root.iter("testcase"):
        failed = any(child.tag in ("failure", "error", "skipped") for child in case)
        out[case.get("name", "")] = (float(case.get("time", "0") or 0), not failed)
    return out


def _pytest_probe(
    sb: Sandbox, tests: Sequence[str], it: int, state: str, timeout: float
) -> dict[str, tuple[float, bool]]:
    xml = f"junit_{state}_{it}.xml"
    ids = " ".join(shlex.quote(t) for t in tests)
    junit = shlex.quote(sb.scratch + "/" + xml)
    res = sb.execute(
        f"python -m pytest -q -p no:cacheprovider --junitxml={junit} {ids}", timeout=timeout
    )
    found = junit_durations(sb.host_scratch / xml)
    if not found and not res.ok:
        raise StateFailed(
            f"{state}-failed", f"efficiency tests fail on {state}: {last_line(res.tail())}"
        )
    return {t: found.get(t.split("::")[-1], (math.nan, False)) for t in tests}


# judging ---------------------------------------------------------------------------------------
@dataclass
class Judgement:
    """One state against the base: our statistics and the benchmark's aggregate numbers."""

    verdict: Verdict
    equivalent: bool | None
    tests_passed: bool
    base_s: float | None = None
    patch_s: float | None = None
    speedup: float | None = None
    """Geometric mean over probes of mean base time / mean state time."""
    ci: tuple[float, float] | None = None
    """95 % CI of the speedup (GM over probes of each probe's bootstrap bounds)."""
    comparisons: list[WallTimeComparison] = field(default_factory=list)
    reason: str = ""


def judge(run: StateRun, state: str, stats: MeasureConfig) -> Judgement:
    """Our verdict on `state` vs base: broken if outputs differ or tests fail, else faster only
    if every probe is faster by `profilers.stats.decide`, slower if any probe is slower."""
    equivalent = all(p.equivalent.get(state, True) for p in run.probes) if run.probes else None
    j = Judgement(Verdict.BROKEN, equivalent, run.passed.get(state, True))
    if equivalent is False:
        j.reason = "outputs differ from the base's (check_equivalence failed)"
        return j
    if not j.tests_passed:
        j.reason = "tests fail with the patch"
        return j
    base_means, head_means, lows, highs = [], [], [], []
    for p in run.probes:
        base, head = p.samples.get("base", []), p.samples.get(state, [])
        if len(base) < 2 or len(head) < 2:
            j.reason = f"{p.name}: too few successful runs to judge"
            return j
        cmp = decide(base, head, stats)
        j.comparisons.append(cmp)
        base_means.append(statistics.fmean(base))
        head_means.append(statistics.fmean(head))
        lows.append(1 / cmp.ci_high)
        highs.append(1 / cmp.ci_low)
    verdicts = {c.verdict for c in j.comparisons}
    j.verdict = (
        Verdict.FASTER
        if verdicts == {Verdict.FASTER}
        else Verdict.SLOWER
        if Verdict.SLOWER in verdicts
        else Verdict.SAME
    )
    j.base_s, j.patch_s = statistics.fmean(base_means), statistics.fmean(head_means)
    pairs = zip(base_means, head_means, strict=True)
    j.speedup = statistics.geometric_mean([b / h for b, h in pairs])
    j.ci = (statistics.geometric_mean(lows), statistics.geometric_mean(highs))
    worst = max(j.comparisons, key=lambda c: c.ratio)
    j.reason = (
        f"{len(j.comparisons)} probes; slowest-gaining ratio {worst.ratio:.3f} "
        f"(95% CI {worst.ci_low:.3f}-{worst.ci_high:.3f}, p={worst.p_value:.2g})"
    )
    return j
