"""A batch's rows: one per instance, read from the store (finished or not) or made for
instances that never got a run."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from agent.batch.validate import error_row
from storage import Store
from storage.models import Run
from storage.vocabulary import RunStatus
from tasks.formats import Instance

GRADE_ARTIFACT = "benchmark-grade"


def failed_row(
    instance_id: str, status: str, reason: str, expert: float | None = None
) -> dict[str, Any]:
    """A row for an instance that could not be optimized (batch rows carry `accepted`)."""
    row = error_row(instance_id, status, reason, expert)
    row.pop("reproduced")
    return {**row, "accepted": False}


def existing_runs(store: Store, fmt: str) -> dict[str, Run]:
    """The latest run of every instance of this format in the store (runs whose holder is
    gone are marked interrupted first)."""
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
