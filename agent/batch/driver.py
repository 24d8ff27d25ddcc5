"""`perfagent batch`: optimize every instance of a benchmark file on Ray, resumably.

The driver parses the file, looks each instance up in the store (one run per instance, found
by its claim key or its `config["batch"]`), and fans the rest out as Ray tasks with at most
`workers` in flight (`agent.batch.cluster`): a local Ray instance by default, or an existing
cluster (`ray_address`). Each task (`agent.batch.worker`) prepares the hygienic workspace,
checks the install, runs the optimization loop under a lease on its run, and grades an
accepted patch with the benchmark's metric; every sandbox it opens holds its machine's timing
slot. Every outcome is written to the store before the task returns, so a killed batch reruns
only what had not finished (interrupted runs resume where they stopped), and an instance
whose node died is resumed on another once its lease lapses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from agent.batch.cluster import results
from agent.batch.config import DONE, BatchConfig, default_sys_path
from agent.batch.rows import existing_runs, failed_row, row_from_store
from agent.wiring import store_at
from storage.vocabulary import RunStatus
from tasks import grading
from tasks.formats import Loaded
from tasks.predictions import prediction, write_predictions

__all__ = ["BatchConfig", "default_sys_path", "export_predictions", "run_batch", "summarize"]
Say = Callable[[str], None]


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
                        f"run {run.id} is running ({run.lease_owner or run.host}"
                        f" holds it, pid {run.pid})",
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
        for row in results(jobs, config, say):
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
