"""`perfagent batch`: optimize every instance of a benchmark file on Ray, resumably.

The driver parses the file, looks each instance up in the store (a run per instance; its
`config["batch"]` holds the format and instance id), and fans the rest out as Ray tasks with
at most `workers` in flight: a local Ray instance by default
(`ray.init(num_cpus=workers, include_dashboard=False)`), or an existing cluster (`ray_address`).
Each Ray task prepares the hygienic workspace, checks the install, runs the optimization loop
(`agent.loop.graph.run_loop`, idempotent by key), and grades an accepted patch with the benchmark's
metric against the expert (`agent.batch.validate.measure_states`: base, patch and expert timed with
the benchmark's protocol). Every outcome is written to the store before the task returns, so a
killed batch reruns only what had not finished: interrupted runs resume where they stopped.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from agent.batch.validate import (
    ValidateConfig,
    benchmark_bar,
    error_row,
    factory_for,
    install_error,
    judge,
    measure_states,
    prepare,
)
from agent.config import RunConfig
from agent.wiring import store_at
from storage import Store
from storage.models import Run
from storage.vocabulary import RunStatus
from tasks import grading
from tasks.envspec import load_spec_book
from tasks.formats import Instance, Loaded
from tasks.predictions import prediction, write_predictions
from tasks.repos import RepoConfig

Say = Callable[[str], None]
DONE = frozenset({RunStatus.FINISHED, RunStatus.NO_IMPROVEMENT, RunStatus.FAILED})
"""Run statuses a rerun does not redo."""
GRADE_ARTIFACT = "benchmark-grade"


@dataclass
class BatchConfig:
    """One batch: where tasks come from, how each is optimized, how many run at once."""

    fmt: str
    repos: RepoConfig
    db: str
    """SQLAlchemy URL of the store every worker writes to."""
    run: RunConfig = field(default_factory=lambda: RunConfig(budget=3, sandbox="local"))
    """Every instance's run settings (model, sandbox, budgets)."""
    workers: int = 1
    """Instances optimized at once (Ray CPUs; one instance per CPU)."""
    ray_address: str | None = None
    """An existing Ray cluster (`auto` or `ray://host:port`); None starts a local instance."""
    grade: bool = True
    """Grade accepted patches with the benchmark's metric (times base, patch and expert)."""
    grading: ValidateConfig = field(default_factory=lambda: ValidateConfig(iterations=5))
    model_name: str | None = None
    """`model_name_or_path` in predictions (default: the model)."""

    @property
    def model(self) -> str:
        return self.run.model or "rules"

    env_spec: Path | None = None
    """The user's environment spec file (`--env-spec`), read by each worker."""
    sys_path: tuple[str, ...] = ()
    """Import paths workers add (so `--model package.module:Class` resolves as in the driver)."""


def failed_row(
    instance_id: str, status: str, reason: str, expert: float | None = None
) -> dict[str, Any]:
    """A row for an instance that could not be optimized (batch rows carry `accepted`)."""
    row = error_row(instance_id, status, reason, expert)
    row.pop("reproduced")
    return {**row, "accepted": False}


def batch_key(fmt: str, instance_id: str) -> dict[str, str]:
    return {"format": fmt, "instance_id": instance_id}


def existing_runs(store: Store, fmt: str) -> dict[str, Run]:
    """The latest run of every instance of this format in the store."""
    store.mark_interrupted()
    out: dict[str, Run] = {}
    with store.session() as s:
        for run in s.scalars(select(Run).order_by(Run.created_at)):
            key = (run.config or {}).get("batch")
            if isinstance(key, dict) and key.get("format") == fmt:
                out[str(key.get("instance_id"))] = run
    return out


def row_from_store(store: Store, run: Run, instance: Instance | None) -> dict[str, Any]:
    """The batch row of a run as the store holds it (finished or not)."""
    from agent.views.summary import run_summary

    summary = run_summary(store, run.id)
    best = summary["best"]
    base_s = (summary["baseline"]["runtime"] or {}).get("median_s")
    ratio = best["runtime_ratio"] if best else None
    grade_text = store.artifact(run.id, GRADE_ARTIFACT)
    grade = json.loads(grade_text) if grade_text else None
    instance_id = (run.config.get("batch") or {}).get("instance_id", run.task.get("task_id"))
    status: str = run.status
    for cause in ("env-failed", "install-failed", "baseline-broken"):
        if status == RunStatus.FAILED and run.reason.startswith(cause):
            status = cause  # a failed run says why in its status
    return {
        "instance_id": instance_id,
        "status": status,
        "run_id": run.id,
        "base_s": base_s,
        "patch_s": base_s * ratio if base_s and ratio else None,
        "speedup": 1 / ratio if ratio else None,
        "speedup_ci": [1 / best["ci_high"], 1 / best["ci_low"]]
        if best and best["ci_low"]
        else None,
        "expert_speedup": instance.expert_speedup if instance else None,
        "verdict": best["verdict"] if best else None,
        "equivalent": best["equivalent"] if best else None,
        "accepted": best is not None,
        "grade": grade,
        "reason": run.reason,
    }


def grade_patch(
    instance: Instance, task: Any, factory: Any, diff: str, config: ValidateConfig, say: Say
) -> dict[str, Any]:
    """The benchmark's verdict on an accepted patch: base, patch and expert timed together."""
    if instance.format == "formulacode":
        from agent.batch.formulacode import grade_suite

        return grade_suite(instance, task, factory, diff, config, say)
    states = {"base": "", "patch": diff}
    if instance.expert_patch.strip():
        states["expert"] = instance.expert_patch
    run = measure_states(instance, task, factory, states, config, say)
    if run.error:
        return {"status": run.status, "error": run.error}
    patch = judge(run, "patch", config)
    ok, metric = benchmark_bar(instance, run, "patch") if patch.verdict != "broken" else (False, {})
    out: dict[str, Any] = {"status": "ok", "verdict": patch.verdict, "bar": ok, "metric": metric}
    if patch.verdict == "broken":
        out["reason"] = patch.reason
        return out
    base = [p.samples["base"] for p in run.probes]
    head = [p.samples["patch"] for p in run.probes]
    if "expert" in states and all("expert" in p.samples for p in run.probes):
        expert = [p.samples["expert"] for p in run.probes]
        if instance.format == "gso":
            g = grading.gso_grade(base, head, expert)
            out.update(
                opt_base=g.opt_base, opt_commit=g.opt_commit, hm_vs_expert=g.hm_speedup_commit
            )
        elif instance.format == "swefficiency":
            pre, post = grading.mean(base[0]), grading.mean(head[0])
            gold = pre / grading.mean(expert[0])
            out["speedup_ratio"] = grading.swefficiency_sr(pre, post, gold, patch.tests_passed)
    return out


def optimize_instance(loaded: Loaded, run_id: str | None, config: BatchConfig) -> dict[str, Any]:
    """One instance end to end (runs inside a Ray worker); always returns a row."""
    for entry in config.sys_path:
        if entry not in sys.path:
            sys.path.insert(0, entry)

    def say(message: str) -> None:
        print(f"[{loaded.instance_id}] {message}", file=sys.stderr, flush=True)

    env_specs = load_spec_book(config.env_spec) if config.env_spec else None
    prepared = prepare(loaded, config.repos, env_specs)
    if isinstance(prepared, dict):
        prepared.pop("reproduced")
        return {**prepared, "accepted": False}
    inst, task = prepared
    store = store_at(config.db)
    try:
        return _optimize(store, inst, task, run_id, config, say)
    except Exception as exc:  # one instance's crash must not end the batch
        failed = existing_runs(store, config.fmt).get(inst.instance_id)
        if failed is not None and failed.status == RunStatus.RUNNING:
            store.update_run(failed.id, status=RunStatus.FAILED, reason=f"internal error: {exc!r}")
        return failed_row(
            loaded.instance_id, "error", f"{exc.__class__.__name__}: {exc}", inst.expert_speedup
        )
    finally:
        store.close()


def _optimize(
    store: Store, inst: Instance, task: Any, run_id: str | None, config: BatchConfig, say: Say
) -> dict[str, Any]:
    from agent.runs import RunService

    service = RunService(store, say)
    if run_id is None:
        extra = {"batch": batch_key(config.fmt, inst.instance_id)}
        run_id, factory = service.start(task, config.run, extra)
        failed = install_error(task, factory_for(task, factory), task.timeout_s)
        if failed:
            status, line = failed
            store.update_run(run_id, status=RunStatus.FAILED, reason=f"{status}: {line}")
            row = row_from_store(store, _run(store, run_id), inst)
            return {**row, "status": status}
        run_config = config.run
    else:
        task, run_config, factory = service.reopen(run_id)
    service.execute(run_id, task, run_config, factory_for(task, factory))
    done = _run(store, run_id)
    if config.grade and done.best_candidate_id is not None:
        best = store.candidate(done.best_candidate_id)
        if best is not None and best.diff and store.artifact(run_id, GRADE_ARTIFACT) is None:
            say("grading the accepted patch with the benchmark's metric")
            grade = grade_patch(inst, task, factory, best.diff, config.grading, say)
            store.add_artifact(run_id, GRADE_ARTIFACT, json.dumps(grade))
    return row_from_store(store, done, inst)


def _run(store: Store, run_id: str) -> Run:
    run = store.run(run_id)
    if run is None:
        raise LookupError(f"run {run_id} vanished from the store")
    return run


def _ray_results(
    jobs: Sequence[tuple[Loaded, str | None]], config: BatchConfig, say: Say
) -> Iterator[dict[str, Any]]:
    import ray

    started_here = False
    if not ray.is_initialized():
        if config.ray_address:
            ray.init(address=config.ray_address, log_to_driver=True, logging_level=logging.WARNING)
        else:
            ray.init(
                num_cpus=config.workers,
                include_dashboard=False,
                log_to_driver=True,
                logging_level=logging.WARNING,
            )
        started_here = True
    remote = ray.remote(num_cpus=1, max_retries=0)(optimize_instance)
    pending: dict[Any, Loaded] = {}
    queue = list(jobs)
    try:
        while queue or pending:
            while queue and len(pending) < config.workers:
                loaded, run_id = queue.pop(0)
                pending[remote.remote(loaded, run_id, config)] = loaded
            ready, _ = ray.wait(list(pending), num_returns=1)
            for ref in ready:
                loaded = pending.pop(ref)
                try:
                    yield ray.get(ref)
                except Exception as exc:  # a worker that died (OOM, killed) fails its task only
                    say(f"perfagent: {loaded.instance_id}: worker failed: {exc.__class__.__name__}")
                    yield failed_row(
                        loaded.instance_id, "error", f"worker failed: {exc.__class__.__name__}"
                    )
    finally:
        if started_here:
            ray.shutdown()


def run_batch(
    loaded: Sequence[Loaded],
    config: BatchConfig,
    say: Say,
    on_row: Callable[[dict[str, Any]], None],
) -> list[dict[str, Any]]:
    """Optimize what is not done yet; every instance's row goes to `on_row` as it is known."""
    store = store_at(config.db)
    try:
        runs = existing_runs(store, config.fmt)
        rows: list[dict[str, Any]] = []
        jobs: list[tuple[Loaded, str | None]] = []
        for item in loaded:
            run = runs.get(item.instance_id)
            if item.instance is None:
                rows.append(failed_row(item.instance_id, item.status, item.error))
                on_row(rows[-1])
            elif run is not None and run.status in DONE:
                row = {**row_from_store(store, run, item.instance), "skipped": True}
                rows.append(row)
                on_row(row)
            elif run is not None and run.status == RunStatus.RUNNING:
                rows.append(
                    failed_row(
                        item.instance_id,
                        "running",
                        f"run {run.id} is running (pid {run.pid} on {run.host})",
                    )
                )
                on_row(rows[-1])
            else:
                jobs.append((item, run.id if run is not None else None))
    finally:
        store.close()
    if jobs:
        say(
            f"perfagent: {len(jobs)} of {len(loaded)} instances to optimize, {config.workers} at a time"
        )
        for row in _ray_results(jobs, config, say):
            rows.append(row)
            on_row(row)
    order = {item.instance_id: n for n, item in enumerate(loaded)}
    rows.sort(key=lambda r: order.get(r["instance_id"], len(order)))
    return rows


def export_predictions(path: Path, loaded: Sequence[Loaded], config: BatchConfig) -> int:
    """Each instance's best accepted patch (empty when none) in the benchmark's format."""
    store = store_at(config.db)
    try:
        runs = existing_runs(store, config.fmt)
        out = []
        for item in loaded:
            if item.instance is None:
                continue
            run = runs.get(item.instance_id)
            diff = ""
            if run is not None and run.best_candidate_id is not None:
                cand = store.candidate(run.best_candidate_id)
                diff = cand.diff if cand else ""
            out.append(prediction(item.instance_id, diff, config.model_name or config.model))
    finally:
        store.close()
    return write_predictions(path, out, config.fmt)


def summarize(fmt: str, rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Counts and the benchmark's own score over every instance of the file."""
    accepted = [r for r in rows if r.get("accepted")]
    statuses: dict[str, int] = {}
    for r in rows:
        statuses[r["status"]] = statuses.get(r["status"], 0) + 1
    summary: dict[str, Any] = {
        "format": fmt,
        "tasks": len(rows),
        "accepted": len(accepted),
        "statuses": statuses,
        "skipped": sum(bool(r.get("skipped")) for r in rows),
    }
    grades = [(r["instance_id"], r.get("grade") or {}) for r in rows]
    if fmt == "gso":
        attempts = {iid: [bool(g.get("opt_commit"))] for iid, g in grades}
        summary["score"] = {
            "opt@1": grading.opt_at_k(attempts, len(rows)),
            "opt_base": sum(bool(g.get("opt_base")) for _, g in grades),
        }
    elif fmt == "sweperf":
        deltas = [float((g.get("metric") or {}).get("delta", 0.0)) for _, g in grades]
        summary["score"] = {"performance": grading.sweperf_performance(deltas, len(rows))}
    elif fmt == "swefficiency":
        # Instances without a graded patch count as speedup 1.0 (SR = 1/gold), as the harness does.
        srs = []
        for r, (_, g) in zip(rows, grades, strict=True):
            if g.get("speedup_ratio"):
                srs.append(float(g["speedup_ratio"]))
            elif r.get("expert_speedup"):
                srs.append(1.0 / float(r["expert_speedup"]))
        summary["score"] = {
            "graded": len(srs),
            "hm_speedup_ratio": grading.swefficiency_score(srs) if srs else None,
        }
    return summary


def default_sys_path() -> tuple[str, ...]:
    return (os.getcwd(),)
