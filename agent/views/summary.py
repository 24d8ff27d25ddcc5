"""The run summary every interface shows: CLI JSON, `show`, reports and pull requests."""

from __future__ import annotations

from typing import Any

from storage import Store
from storage.models import Candidate
from storage.vocabulary import EVALUATED


def checks_of(c: Candidate) -> list[dict[str, Any]]:
    """Each check the candidate's evaluation ran: name, passed (None: not applicable or not
    conclusive), and its one-line reason."""
    raw = (c.measurement or {}).get("checks") or []
    return [
        {"name": ch.get("name"), "passed": ch.get("passed"), "reason": ch.get("reason", "")}
        for ch in raw
        if isinstance(ch, dict)
    ]


def candidate_json(
    c: Candidate, plan_text: str = "", plan_title: str = "", repair_of: int | None = None
) -> dict[str, Any]:
    return {
        "candidate_id": c.id,
        "parent_id": c.parent_id,
        "repair_of": repair_of,
        "status": c.status,
        "verdict": c.verdict,
        "plan_title": plan_title,
        "plan": plan_text,
        "diff": c.diff,
        "runtime_ratio": c.confirmation.get("ratio", c.runtime_ratio),
        "ci_low": c.confirmation.get("ci_low", c.ci_low),
        "ci_high": c.confirmation.get("ci_high", c.ci_high),
        "p_value": c.confirmation.get("p_value", c.p_value),
        "instructions_ratio": c.instructions_ratio,
        "memory_ratio": c.memory_ratio,
        "tests_passed": c.tests_passed,
        "equivalent": c.equivalent,
        "reason": c.reason,
        "checks": checks_of(c),
        "workloads": workloads_of(c),
    }


def workloads_of(c: Candidate) -> list[dict[str, Any]]:
    """The per-workload table (docs/design.md §3 `workloads`): the confirmation's once the candidate
    was re-measured, else its evaluation's; held-out rows last."""
    rows = list(c.confirmation.get("workloads") or c.measurement.get("workloads") or [])
    return sorted(rows, key=lambda w: w.get("role") == "holdout")


def run_summary(store: Store, run_id: str) -> dict[str, Any]:
    run = store.run(run_id)
    if run is None:
        raise KeyError(run_id)
    plans = {p.id: p for p in store.plans(run.id)}
    cands = store.candidates(run.id)

    def as_json(c: Candidate) -> dict[str, Any]:
        p = plans.get(c.plan_id or -1)
        if p is None:
            return candidate_json(c)
        return candidate_json(c, p.text, p.title, (p.data or {}).get("repair_of"))

    best = next((c for c in cands if c.id == run.best_candidate_id), None)
    calls = store.llm_calls(run.id)
    base = run.baseline or {}
    return {
        "run_id": run.id,
        "status": run.status,
        "reason": run.reason,
        "repo": run.repo,
        "subdir": run.subdir,
        "base_commit": run.base_commit,
        "model": run.model,
        "sandbox": run.sandbox,
        "baseline": {
            "runtime": {"median_s": base.get("wall_s")} if base else None,
            "instructions": base.get("instructions"),
            "peak_memory": {"bytes": base.get("peak_rss_bytes")} if base else None,
            "tests_flaky": base.get("tests_flaky"),
            "hotspots": base.get("hotspots", [])[:10],
        },
        "best": as_json(best) if best else None,
        "pareto": [as_json(c) for c in cands if c.on_front],
        "candidates": [as_json(c) for c in cands],
        "candidates_evaluated": sum(c.status in EVALUATED for c in cands),
        "llm": {
            "calls": len(calls),
            "input_tokens": sum(c.input_tokens for c in calls),
            "output_tokens": sum(c.output_tokens for c in calls),
            "cached_input_tokens": sum(c.cached_input_tokens for c in calls),
            "cache_write_tokens": sum(c.cache_write_tokens for c in calls),
            "cost_usd": round(sum(c.cost_usd for c in calls), 6),
        },
    }
