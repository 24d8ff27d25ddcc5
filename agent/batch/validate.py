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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from agent.protocols import SandboxFactory, Task
from agent.wiring import docker_settings
from profilers.states import (
    BenchProtocol,
    Judgement,
    StateRun,
    StatesConfig,
    last_line,
    why,
)
from profilers.states import judge as judge_state
from profilers.states import measure_states as run_states
from profilers.verdicts import Verdict
from sandbox.base import SandboxError, WorkspaceSpec, opened
from tasks import grading
from tasks.envspec import SpecBook
from tasks.formats import Instance, Loaded, build_task
from tasks.native import TaskError
from tasks.repos import RepoConfig, RepoError
from tasks.swefficiency import parse_mean

Say = Callable[[str], None]


@dataclass
class ValidateConfig(StatesConfig):
    """How instances are timed (`profilers.states`) and when an expert counts as reproduced."""

    tolerance: float = 0.15
    """Relative band around a recorded expert speedup the measured CI must reach."""


def protocol_for(instance: Instance, task: Task) -> BenchProtocol:
    """The benchmark's own way of timing a state of this instance."""
    if instance.format == "gso":
        scripts = list(instance.hidden_tests) or [next(iter(instance.visible_files.values()))]
        return BenchProtocol("gso", scripts=tuple(scripts), check=task.test)
    if instance.format == "sweperf":
        return BenchProtocol("pytest", tests=tuple(instance.efficiency_tests))
    if instance.format == "swefficiency":
        return BenchProtocol(
            "command", command=task.bench, value=lambda res: parse_mean(res.stdout), check=task.test
        )
    return BenchProtocol("command", command=task.bench, check=task.test)


def measure_states(
    instance: Instance,
    task: Task,
    factory: SandboxFactory,
    patches: Mapping[str, str],
    config: ValidateConfig,
    say: Say = lambda _m: None,
) -> StateRun:
    """Time every state (name -> patch on the base; "base" first) with the benchmark's
    protocol. Patches apply with only the workload files protected (expert diffs may touch
    tests)."""
    pinned = tuple(task.in_repo(f) for f in task.bench_files)

    def spec(state: str, patch: str) -> WorkspaceSpec:
        return WorkspaceSpec(
            task.repo,
            task.base_ref,
            patch=patch,
            subdir=task.subdir,
            protected=pinned,
            name=f"validate-{state}",
        )

    say(f"  {instance.instance_id}: timing {', '.join(patches)}")
    return run_states(factory, spec, patches, protocol_for(instance, task), config, say)


def judge(run: StateRun, state: str, config: ValidateConfig) -> Judgement:
    return judge_state(run, state, config.stats)


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


def install_error(task: Task, factory: SandboxFactory, timeout: float) -> tuple[str, str] | None:
    """Run the task's install command once at its base; (status, failure line), or None if it
    worked. The status is `env-failed` when the environment could not be built (pip's line),
    else `install-failed`.

    With the Docker sandbox the install is built into the instance image when the sandbox
    opens (a failure surfaces as a SandboxError there); locally it runs in a fresh work tree.
    """
    if not task.install and not task.env:
        return None
    spec = WorkspaceSpec(task.repo, task.base_ref, subdir=task.subdir, name="install")
    try:
        with opened(factory, spec) as sb:
            if sb.kind == "docker" or not task.install:
                return None
            res = sb.execute(task.install, timeout=timeout)
    except SandboxError as exc:
        return getattr(exc, "status", None) or "install-failed", last_line(str(exc))
    if res.ok:
        return None
    return "install-failed", f"install command failed ({why(res)}): {last_line(res.tail())}"


def factory_for(task: Task, factory: SandboxFactory) -> SandboxFactory:
    """A Docker factory that builds the task's install into its instance image; others as is."""
    configure = getattr(factory, "configure", None)
    if factory.kind == "docker" and callable(configure):
        made: SandboxFactory = configure(**docker_settings(task, keep_install=True))
        return made
    return factory


def prepare(
    loaded: Loaded, repos: RepoConfig, env_specs: SpecBook | None = None
) -> tuple[Instance, Task] | dict[str, Any]:
    """The instance and its task, or an error row (malformed, repo or commit missing);
    `env_specs` is the user's `--env-spec` file, if any."""
    inst = loaded.instance
    if inst is None:
        return error_row(loaded.instance_id, loaded.status, loaded.error)
    try:
        task, _ws = build_task(inst, repos, env_specs=env_specs)
    except RepoError as exc:
        return error_row(inst.instance_id, exc.status, str(exc), inst.expert_speedup)
    except TaskError as exc:
        return error_row(inst.instance_id, "error", str(exc), inst.expert_speedup)
    return inst, task


def unmeasurable(inst: Instance) -> dict[str, Any] | None:
    """The error row of an instance validate cannot time, else None."""
    expert = inst.expert_speedup
    if inst.format == "native" and inst.bench_kind != "command":
        return error_row(
            inst.instance_id, "unsupported", "validate times native command workloads only", expert
        )
    if not inst.expert_patch.strip():
        return error_row(inst.instance_id, "no-expert", "the instance has no expert patch", expert)
    return None


def validate_one(
    loaded: Loaded,
    repos: RepoConfig,
    factory: SandboxFactory,
    config: ValidateConfig,
    say: Say = lambda _m: None,
    env_specs: SpecBook | None = None,
) -> dict[str, Any]:
    """One JSON row: the expert patch measured against the base, judged and graded."""
    prepared = prepare(loaded, repos, env_specs)
    if isinstance(prepared, dict):
        return prepared
    inst, task = prepared
    expert = inst.expert_speedup
    refused = unmeasurable(inst)
    if refused is not None:
        return refused
    sandboxes = factory_for(task, factory)
    failed = install_error(task, sandboxes, config.timeout_s)
    if failed:
        return error_row(inst.instance_id, failed[0], failed[1], expert)
    if inst.format == "formulacode":
        from agent.batch.formulacode import validate_suite

        return validate_suite(inst, task, sandboxes, config, say)
    say(f"validate {inst.instance_id}: timing base and expert")
    run = measure_states(
        inst, task, sandboxes, {"base": "", "expert": inst.expert_patch}, config, say
    )
    if run.error:
        return error_row(inst.instance_id, run.status, run.error, expert)
    j = judge(run, "expert", config)
    broken = j.verdict == Verdict.BROKEN
    bar, metric = (False, {}) if broken else benchmark_bar(inst, run, "expert")
    near = reference_reached(j.ci, expert, config.tolerance)
    reproduced = j.verdict == Verdict.FASTER and bar and near is not False
    reason = j.reason
    if j.verdict == Verdict.FASTER and not bar:
        reason = f"below the {inst.format} bar: {metric}"
    elif j.verdict == Verdict.FASTER and near is False and j.ci:
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
            if r["speedup"] and r["expert_speedup"] and r["verdict"] != Verdict.BROKEN
        ]
        summary["score"] = {"hm_speedup_ratio": grading.swefficiency_score(srs) if srs else None}
    elif fmt == "formulacode":
        from agent.batch.formulacode import score

        summary["score"] = score(rows)
    return summary
