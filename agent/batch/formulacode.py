"""FormulaCode instances in `validate` and `batch`: the repository's asv suite measured on the
base and on a patch with perfagent's own runner and statistics (`profilers.suite_session`,
every selected benchmark judged, none may be slower beyond the tolerance), scored with
FormulaCode's metric (`tasks.formulacode`: per-benchmark speedups aggregated by asv's name
hierarchy with the geometric mean).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from agent.batch.validate import ValidateConfig, error_row, reference_reached
from agent.protocols import Measurement, SandboxFactory, Task
from agent.wiring import suite_profiler
from profilers.errors import BaselineFailed, MeasurementError
from profilers.results import WorkloadVerdict
from profilers.verdicts import Verdict
from sandbox.base import SandboxError, WorkspaceSpec
from tasks import formulacode
from tasks.formats import Instance

Say = Callable[[str], None]


def measure_patch(
    task: Task, factory: SandboxFactory, patch: str, config: ValidateConfig, say: Say
) -> Measurement:
    """`patch` against the base on every selected benchmark (only the benchmark files are
    pinned: an expert diff may touch tests). Raises MeasurementError, SandboxError."""
    pinned = tuple(task.in_repo(f) for f in task.bench_files)

    def spec(state: str, change: str) -> WorkspaceSpec:
        return WorkspaceSpec(
            task.repo,
            task.base_ref,
            patch=change,
            subdir=task.subdir,
            protected=pinned,
            name=f"validate-{state}",
        )

    stats = replace(config.stats, pairs=max(config.iterations, 2), timeout_s=config.timeout_s)
    return suite_profiler(task, factory, stats, spec, by_touch=False).evaluate(patch, say)


def _timed(rows: Sequence[WorkloadVerdict]) -> list[WorkloadVerdict]:
    return [
        w
        for w in rows
        if w.metric == "time" and w.role != "holdout" and w.ratio and w.base and w.head
    ]


def ratios(m: Measurement) -> dict[str, float]:
    """Patch / base median time per timed benchmark."""
    return {w.name: float(w.ratio) for w in _timed(m.workloads) if w.ratio}


def _seconds(rows: Sequence[WorkloadVerdict], side: str) -> float | None:
    medians = [statistics.median(getattr(w, side)) for w in _timed(rows)]
    return sum(medians) if medians else None


def _failed(inst: Instance, exc: Exception) -> dict[str, Any]:
    status = "base-failed" if isinstance(exc, BaselineFailed) else "error"
    return error_row(inst.instance_id, status, str(exc).splitlines()[0], inst.expert_speedup)


def validate_suite(
    inst: Instance, task: Task, factory: SandboxFactory, config: ValidateConfig, say: Say
) -> dict[str, Any]:
    """One validate row: the expert patch on the suite, FormulaCode's levels as the metric;
    reproduced when the suite rule accepts it and its overall speedup is near a recorded one."""
    say(f"validate {inst.instance_id}: the asv suite on base and expert")
    try:
        m = measure_patch(task, factory, inst.expert_patch, config, say)
    except (MeasurementError, SandboxError) as exc:
        return _failed(inst, exc)
    levels = formulacode.hierarchy({k: 1 / v for k, v in ratios(m).items()})
    overall = float(levels["level4"]) or None
    near = reference_reached(
        (overall, overall) if overall else None, inst.expert_speedup, config.tolerance
    )
    reproduced = m.verdict == Verdict.FASTER and m.rejected is None and near is not False
    reason = m.reason
    if m.verdict == Verdict.FASTER and near is False:
        reason = f"overall speedup {overall:.2f} misses the recorded {inst.expert_speedup:.2f}"
    return {
        "instance_id": inst.instance_id,
        "status": "ok",
        "base_s": _seconds(m.workloads, "base"),
        "patch_s": _seconds(m.workloads, "head"),
        "speedup": overall,
        "speedup_ci": None,
        "expert_speedup": inst.expert_speedup,
        "verdict": m.verdict,
        "equivalent": m.equivalent,
        "tests_passed": m.tests_passed,
        "reproduced": reproduced,
        "metric": levels,
        "workloads": [w.to_json() for w in m.workloads],
        "reason": reason,
    }


def grade_suite(
    inst: Instance, task: Task, factory: SandboxFactory, diff: str, config: ValidateConfig, say: Say
) -> dict[str, Any]:
    """Batch grading of an accepted patch: the patch and the expert each against the base;
    FormulaCode's speedup levels for the patch and its advantage over the expert."""
    try:
        patch = measure_patch(task, factory, diff, config, say)
        expert = (
            measure_patch(task, factory, inst.expert_patch, config, say)
            if inst.expert_patch.strip()
            else None
        )
    except (MeasurementError, SandboxError) as exc:
        return {"status": "error", "error": str(exc).splitlines()[0]}
    mine = ratios(patch)
    out: dict[str, Any] = {
        "status": "ok",
        "verdict": patch.verdict,
        "bar": patch.verdict == Verdict.FASTER and patch.rejected is None,
        "metric": formulacode.hierarchy({k: 1 / v for k, v in mine.items()}),
    }
    if expert is not None:
        out["advantage"] = formulacode.hierarchy(formulacode.advantages(mine, ratios(expert)))
    return out


def score(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The benchmark's score over validated rows: the geometric mean of the overall speedups."""
    overall = [
        float(r["speedup"])
        for r in rows
        if r["status"] == "ok" and r.get("speedup") and r["verdict"] != Verdict.BROKEN
    ]
    return {"gm_speedup": statistics.geometric_mean(overall) if overall else None}
