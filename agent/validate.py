"""`perfagent validate`: does our harness reproduce each instance's expert speedup?

For every instance: prepare the hygienic workspace, check the install, then time the base and
the expert patch with the benchmark's *own* protocol (GSO: its perf tests' `run_test` times with
`--reference`/`--eqcheck`; SWE-Perf: the efficiency tests' pytest durations; SWE-fficiency: the
workload's `Mean:`; native: the command's wall time), each run a fresh process, base and patch
interleaved. The numbers are graded with the benchmark's metric (`tasks/grading.py`) and judged
with our statistics (`profilers/stats.py`: Mann-Whitney, bootstrap CI of the ratio).

An expert is *reproduced* when its outputs are equivalent and its tests pass, every probe is
"faster" by our statistics, it clears the benchmark's own bar, and, when the instance records
an expert speedup, the measured speedup's 95 % CI comes within `tolerance` of it (GSO saw ±15 %
run-to-run spread of expert speedups on identical hardware, research/benchmarks.md §2.5).

The same state runner grades batch results (`measure_states` with base, patch and expert).
"""

from __future__ import annotations

import math
import shlex
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.protocols import Sandbox, SandboxFactory, Task
from profilers.config import MeasureConfig
from profilers.results import WallTimeComparison
from profilers.stats import decide
from sandbox.base import ExecResult, SandboxError, WorkspaceSpec, opened
from tasks import grading
from tasks.formats import Instance, Loaded, build_task
from tasks.native import TaskError
from tasks.repos import RepoConfig, RepoError
from tasks.swefficiency import parse_mean

Say = Callable[[str], None]

GSO_RUNNER = "perfagent_gso_run.py"
GSO_RUNNER_SOURCE = '''"""Run one GSO perf test as GSO's harness does and append its time to an output file."""
import argparse, importlib.util, os, sys, timeit

# GSO's appended harness makes timeit return (elapsed, retval); prob_scripts have it stripped.
timeit.template = """
def inner(_it, _timer{init}):
    {setup}
    _t0 = _timer()
    for _i in _it:
        retval = {stmt}
    _t1 = _timer()
    return _t1 - _t0, retval
"""
p = argparse.ArgumentParser()
p.add_argument("script")
p.add_argument("output_file")
p.add_argument("--eqcheck", action="store_true")
p.add_argument("--reference", action="store_true")
p.add_argument("--file_prefix", default="")
a = p.parse_args()
sys.path.insert(0, os.getcwd())
spec = importlib.util.spec_from_file_location("gso_perf_test", a.script)
mod = importlib.util.module_from_spec(spec)
sys.modules["gso_perf_test"] = mod
spec.loader.exec_module(mod)
t = mod.run_test(eqcheck=a.eqcheck, reference=a.reference, prefix=a.file_prefix)
with open(a.output_file, "a") as f:
    f.write(f"Execution time: {t:.6f}s\\n")
'''


@dataclass
class ValidateConfig:
    """How instances are timed and when an expert counts as reproduced."""

    iterations: int = 10
    """Fresh processes per probe and state (GSO takes 5; our statistics want at least 10)."""
    warmup: int = 1
    """Interleaved rounds run first and discarded (they also store GSO's reference outputs)."""
    tolerance: float = 0.15
    """Relative band around a recorded expert speedup the measured CI must reach."""
    timeout_s: float = 300.0
    """Limit of one run (GSO's `timeout 300s`)."""
    stats: MeasureConfig = field(default_factory=MeasureConfig)
    """Thresholds of our verdicts (alpha, min effect, bootstrap)."""


@dataclass
class Probe:
    """One timed thing of an instance (a GSO perf test, a pytest id, the workload)."""

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


def _seconds(result: ExecResult) -> str:
    return result.killed_reason or f"exit {result.returncode}"


def _first_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


# one probe run per format ---------------------------------------------------------------------
def _gso_probe_files(sb: Sandbox, scripts: Sequence[str]) -> None:
    (sb.host_scratch / GSO_RUNNER).write_text(GSO_RUNNER_SOURCE)
    for n, text in enumerate(scripts):
        (sb.host_scratch / f"gso_test_{n}.py").write_text(text)


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
            f"{state}-failed", f"perf test {n} fails on {state}: {_first_line(res.tail())}"
        )
    try:
        line = host_out.read_text().strip().splitlines()[-1]
        return float(line.split(":", 1)[1].strip().rstrip("s")), True
    except (OSError, IndexError, ValueError):
        raise StateFailed(f"{state}-failed", f"perf test {n} wrote no execution time") from None


def _junit_durations(path: Path) -> dict[str, tuple[float, bool]]:
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
    cmd = f"python -m pytest -q -p no:cacheprovider --junitxml={shlex.quote(sb.scratch + '/' + xml)} {ids}"
    res = sb.execute(cmd, timeout=timeout)
    found = _junit_durations(sb.host_scratch / xml)
    if not found and not res.ok:
        raise StateFailed(
            f"{state}-failed", f"efficiency tests fail on {state}: {_first_line(res.tail())}"
        )
    return {t: found.get(t.split("::")[-1], (math.nan, False)) for t in tests}


def _interleaved(states: Sequence[str], rounds: int) -> Iterator[tuple[int, str]]:
    for it in range(rounds):
        order = list(states) if it % 2 == 0 else list(reversed(states))
        # The base always runs first in round 0: it stores GSO's reference outputs.
        if it == 0:
            order = list(states)
        for state in order:
            yield it, state


def measure_states(
    instance: Instance,
    task: Task,
    factory: SandboxFactory,
    patches: Mapping[str, str],
    config: ValidateConfig,
    say: Say = lambda _m: None,
) -> StateRun:
    """Time every state (name -> patch on the base; "base" must map to "") with the benchmark's
    protocol. Patches apply with only the workload files protected (expert diffs may touch tests)."""
    states = list(patches)
    if not states or states[0] != "base":
        raise ValueError("the first state must be 'base'")
    pinned = tuple(task.in_repo(f) for f in task.bench_files)
    specs = {
        s: WorkspaceSpec(
            task.repo,
            task.base_ref,
            patch=p,
            subdir=task.subdir,
            protected=pinned,
            name=f"validate-{s}",
        )
        for s, p in patches.items()
    }
    boxes: dict[str, Sandbox] = {}
    try:
        for s in states:
            try:
                boxes[s] = factory.open(specs[s])
            except SandboxError as exc:
                status = "base-failed" if s == "base" else f"{s}-failed"
                return StateRun([], status=status, error=f"{s}: {_first_line(str(exc))}")
        return _measure_open(instance, task, boxes, states, config, say)
    except StateFailed as exc:
        return StateRun([], status=exc.status, error=str(exc))
    finally:
        for sb in boxes.values():
            sb.close()


def _measure_open(
    instance: Instance,
    task: Task,
    boxes: Mapping[str, Sandbox],
    states: Sequence[str],
    config: ValidateConfig,
    say: Say,
) -> StateRun:
    rounds = config.warmup + config.iterations
    fmt = instance.format
    run = StateRun([])
    if fmt == "gso":
        scripts = list(instance.hidden_tests) or [next(iter(instance.visible_files.values()))]
        for sb in boxes.values():
            _gso_probe_files(sb, scripts)
        run.probes = [Probe(f"gso_test_{n}") for n in range(len(scripts))]
        for it, state in _interleaved(states, rounds):
            for n, probe in enumerate(run.probes):
                seconds, same = _run_gso(boxes[state], n, it, state, config.timeout_s)
                if state == "base" and it == 0:
                    for other in states[1:]:
                        for ref in boxes["base"].host_scratch.glob(f"gso_{n}_*"):
                            shutil.copy(ref, boxes[other].host_scratch / ref.name)
                probe.equivalent[state] = probe.equivalent.get(state, True) and same
                if it >= config.warmup and same:
                    probe.samples.setdefault(state, []).append(seconds)
        say(
            f"  {instance.instance_id}: {len(scripts)} perf tests x {config.iterations} runs per state"
        )
    elif fmt == "sweperf":
        run.probes = [Probe(t) for t in instance.efficiency_tests]
        for it, state in _interleaved(states, rounds):
            got = _pytest_probe(
                boxes[state], instance.efficiency_tests, it, state, config.timeout_s
            )
            for probe in run.probes:
                seconds, ok = got[probe.name]
                run.passed[state] = run.passed.get(state, True) and ok
                if it >= config.warmup and ok and seconds > 0:
                    probe.samples.setdefault(state, []).append(seconds)
    else:
        probe = Probe("workload")
        run.probes = [probe]
        for it, state in _interleaved(states, rounds):
            res = boxes[state].execute(task.bench, timeout=config.timeout_s)
            if not res.ok:
                raise StateFailed(
                    f"{state}-failed",
                    f"workload fails on {state} ({_seconds(res)}): {_first_line(res.tail())}",
                )
            value = parse_mean(res.stdout) if fmt == "swefficiency" else res.duration_s
            if value is None or not value > 0:
                raise StateFailed(f"{state}-failed", f"workload printed no 'Mean:' on {state}")
            if it >= config.warmup:
                probe.samples.setdefault(state, []).append(value)
    if fmt != "sweperf" and task.test:
        for state in states:
            res = boxes[state].execute(task.test, timeout=config.timeout_s)
            run.passed[state] = res.ok
            if state == "base" and not res.ok:
                raise StateFailed(
                    "base-failed", f"tests fail on the base: {_first_line(res.tail())}"
                )
    for state in states:
        run.passed.setdefault(state, True)
    return run


# judging --------------------------------------------------------------------------------------
@dataclass
class Judgement:
    """One state against the base: our statistics and the benchmark's own numbers."""

    verdict: str
    equivalent: bool | None
    tests_passed: bool
    base_s: float | None = None
    patch_s: float | None = None
    speedup: float | None = None
    """The benchmark's aggregate (GSO: GM over tests of mean times; others: mean ratio)."""
    ci: tuple[float, float] | None = None
    """95 % CI of the speedup (GM over probes of each probe's bootstrap bounds)."""
    comparisons: list[WallTimeComparison] = field(default_factory=list)
    reason: str = ""


def judge(run: StateRun, state: str, config: ValidateConfig) -> Judgement:
    """Our verdict on `state` vs base: broken if outputs differ or tests fail, else faster only
    if every probe is faster by `profilers.stats.decide`, slower if any probe is slower."""
    equivalent = all(p.equivalent.get(state, True) for p in run.probes) if run.probes else None
    tests = run.passed.get(state, True)
    j = Judgement("broken", equivalent, tests)
    if equivalent is False:
        j.reason = "outputs differ from the base's (check_equivalence failed)"
        return j
    if not tests:
        j.reason = "tests fail with the patch"
        return j
    base_means, head_means, lows, highs = [], [], [], []
    for p in run.probes:
        base, head = p.samples.get("base", []), p.samples.get(state, [])
        if len(base) < 2 or len(head) < 2:
            j.reason = f"{p.name}: too few successful runs to judge"
            return j
        cmp = decide(base, head, config.stats)
        j.comparisons.append(cmp)
        base_means.append(grading.mean(base))
        head_means.append(grading.mean(head))
        lows.append(1 / cmp.ci_high)
        highs.append(1 / cmp.ci_low)
    verdicts = {c.verdict for c in j.comparisons}
    j.verdict = "faster" if verdicts == {"faster"} else "slower" if "slower" in verdicts else "same"
    j.base_s, j.patch_s = grading.mean(base_means), grading.mean(head_means)
    j.speedup = grading.geometric_mean([b / h for b, h in zip(base_means, head_means, strict=True)])
    j.ci = (grading.geometric_mean(lows), grading.geometric_mean(highs))
    worst = max(j.comparisons, key=lambda c: c.ratio)
    j.reason = (
        f"{len(j.comparisons)} probes; slowest-gaining ratio {worst.ratio:.3f} "
        f"(95% CI {worst.ci_low:.3f}-{worst.ci_high:.3f}, p={worst.p_value:.2g})"
    )
    return j


def benchmark_bar(instance: Instance, run: StateRun, state: str) -> tuple[bool, dict[str, Any]]:
    """Whether `state` clears the benchmark's own bar against the base, and its metric."""
    base = [p.samples.get("base", []) for p in run.probes]
    head = [p.samples.get(state, []) for p in run.probes]
    if not run.probes or any(len(s) == 0 for s in (*base, *head)):
        return False, {}
    if instance.format == "gso":
        g = grading.gso_grade(base, head)
        return g.opt_base, {"gm_speedup": g.gm_speedup_base, "opt_base": g.opt_base}
    if instance.format == "sweperf":
        durations = {p.name: (b, h) for p, b, h in zip(run.probes, base, head, strict=True)}
        delta = grading.sweperf_instance(
            durations, instance.efficiency_tests, run.passed.get(state, False)
        )
        return delta > 0, {"delta": delta}
    ratio = grading.mean(base[0]) / grading.mean(head[0])
    return ratio > 1, {"speedup": ratio}


def reference_reached(
    ci: tuple[float, float] | None, expected: float | None, tolerance: float
) -> bool | None:
    """Whether the speedup CI comes within `tolerance` of a recorded expert speedup (None: none)."""
    if expected is None:
        return None
    if ci is None:
        return False
    return ci[0] <= expected * (1 + tolerance) and ci[1] >= expected / (1 + tolerance)


# the command's work ---------------------------------------------------------------------------
def error_row(
    instance_id: str, status: str, reason: str, expert: float | None = None
) -> dict[str, Any]:
    return {
        "instance_id": instance_id,
        "status": status,
        "base_s": None,
        "patch_s": None,
        "speedup": None,
        "expert_speedup": expert,
        "verdict": None,
        "equivalent": None,
        "reproduced": False,
        "reason": reason,
    }


def install_error(task: Task, factory: SandboxFactory, timeout: float) -> str | None:
    """Run the task's install command once at its base; the failure line, or None if it worked.

    With the Docker sandbox the install is built into the instance image when the sandbox
    opens (a failure surfaces as a SandboxError there); locally it runs in a fresh work tree.
    """
    if not task.install:
        return None
    spec = WorkspaceSpec(task.repo, task.base_ref, subdir=task.subdir, name="install")
    try:
        with opened(factory, spec) as sb:
            if sb.kind == "docker":
                return None
            res = sb.execute(task.install, timeout=timeout)
    except SandboxError as exc:
        return _first_line(str(exc))
    if res.ok:
        return None
    return f"install command failed ({_seconds(res)}): {_first_line(res.tail())}"


def factory_for(task: Task, factory: SandboxFactory) -> SandboxFactory:
    """A Docker factory that builds the task's install into its instance image; others as is."""
    configure = getattr(factory, "configure", None)
    if factory.kind == "docker" and callable(configure):
        changes: dict[str, Any] = {"install": task.install}
        if task.image:  # else keep the engine's configured base image
            changes["base_image"] = task.image
        made: SandboxFactory = configure(**changes)
        return made
    return factory


def prepare(loaded: Loaded, repos: RepoConfig) -> tuple[Instance, Task] | dict[str, Any]:
    """The instance and its task, or an error row (malformed, repo or commit missing)."""
    inst = loaded.instance
    if inst is None:
        return error_row(loaded.instance_id, loaded.status, loaded.error)
    try:
        task, _ws = build_task(inst, repos)
    except RepoError as exc:
        return error_row(inst.instance_id, exc.status, str(exc), inst.expert_speedup)
    except TaskError as exc:
        return error_row(inst.instance_id, "error", str(exc), inst.expert_speedup)
    return inst, task


def validate_one(
    loaded: Loaded,
    repos: RepoConfig,
    factory: SandboxFactory,
    config: ValidateConfig,
    say: Say = lambda _m: None,
) -> dict[str, Any]:
    """One JSON row: the expert patch measured against the base, judged and graded."""
    prepared = prepare(loaded, repos)
    if isinstance(prepared, dict):
        return prepared
    inst, task = prepared
    expert = inst.expert_speedup
    if inst.format == "native" and inst.bench_kind != "command":
        return error_row(
            inst.instance_id, "unsupported", "validate times native command workloads only", expert
        )
    if not inst.expert_patch.strip():
        return error_row(inst.instance_id, "no-expert", "the instance has no expert patch", expert)
    sandboxes = factory_for(task, factory)
    failed = install_error(task, sandboxes, config.timeout_s)
    if failed:
        return error_row(inst.instance_id, "install-failed", failed, expert)
    say(f"validate {inst.instance_id}: timing base and expert")
    run = measure_states(
        inst, task, sandboxes, {"base": "", "expert": inst.expert_patch}, config, say
    )
    if run.error:
        return error_row(inst.instance_id, run.status, run.error, expert)
    j = judge(run, "expert", config)
    bar, metric = benchmark_bar(inst, run, "expert") if j.verdict != "broken" else (False, {})
    near = reference_reached(j.ci, expert, config.tolerance)
    reproduced = j.verdict == "faster" and bar and near is not False
    reason = j.reason
    if j.verdict == "faster" and not bar:
        reason = f"below the {inst.format} bar: {metric}"
    elif j.verdict == "faster" and near is False and j.ci:
        reason = (
            f"speedup CI {j.ci[0]:.2f}-{j.ci[1]:.2f} misses the recorded {expert:.2f}"
            f" (±{config.tolerance:.0%})"
        )
    return {
        "instance_id": inst.instance_id,
        "status": "ok",
        "base_s": j.base_s,
        "patch_s": j.patch_s,
        "speedup": j.speedup,
        "speedup_ci": list(j.ci) if j.ci else None,
        "expert_speedup": expert,
        "verdict": j.verdict,
        "equivalent": j.equivalent,
        "tests_passed": j.tests_passed,
        "reproduced": reproduced,
        "metric": metric,
        "reason": reason,
    }


def summarize(fmt: str, rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Counts, and the benchmark's own score of the expert patches as measured here."""
    ok = [r for r in rows if r["status"] == "ok"]
    summary: dict[str, Any] = {
        "format": fmt,
        "tasks": len(rows),
        "measured": len(ok),
        "reproduced": sum(bool(r["reproduced"]) for r in rows),
        "errors": {
            s: sum(r["status"] == s for r in rows)
            for s in sorted({r["status"] for r in rows} - {"ok"})
        },
    }
    if fmt == "gso":
        # The expert against itself has HM(commit/patch) = 1 > 0.95: opt_commit == opt_base.
        attempts = {r["instance_id"]: [bool(r.get("metric", {}).get("opt_base"))] for r in rows}
        summary["score"] = {"opt@1": grading.opt_at_k(attempts, len(rows))}
    elif fmt == "sweperf":
        deltas = [float(r.get("metric", {}).get("delta", 0.0)) for r in rows]
        summary["score"] = {"performance": grading.sweperf_performance(deltas, len(rows))}
    elif fmt == "swefficiency":
        srs = [
            grading.swefficiency_sr(1.0, 1.0 / r["speedup"], r["expert_speedup"])
            for r in ok
            if r["speedup"] and r["expert_speedup"] and r["verdict"] != "broken"
        ]
        summary["score"] = {"hm_speedup_ratio": grading.swefficiency_score(srs) if srs else None}
    return summary
