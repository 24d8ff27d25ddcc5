"""What a pull request may claim: the accepted candidate's measurements, read from the store.

`gather_evidence` refuses a run whose best candidate did not pass every gate (tests,
confirmed re-measurement, CI of the runtime ratio below 1): a PR is only ever opened
for a gain the data supports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from agent.exceptions import BadInput, PerfagentError
from profilers.verdicts import Verdict
from storage import Store
from storage.models import Candidate
from storage.vocabulary import Status


class NothingToPropose(PerfagentError):
    """The run has no candidate a pull request could honestly propose."""

    exit_code = 1


@dataclass(frozen=True)
class Evidence:
    """Everything a PR body states about one accepted candidate, as measured."""

    run_id: str
    candidate_id: int
    repo_path: str
    """The local repository the run optimized (where the diff applies)."""
    subdir: str
    base_commit: str
    plan_title: str
    plan_text: str
    diff: str
    runtime: dict[str, Any]
    """The from-scratch re-measurement: ratio, ci_low, ci_high, p_value, n_pairs, medians."""
    search_runtime: dict[str, Any] | None
    """The measurement during the search (before the re-measurement)."""
    instructions: dict[str, Any] | None
    """base, head, ratio, seeds (valgrind instruction counts)."""
    memory: dict[str, Any] | None
    """base_bytes, head_bytes, ratio (peak RSS)."""
    tests_passed: bool
    equivalent: bool | None
    bench: str
    test: str | None
    sandbox: str
    environment: dict[str, Any] = field(default_factory=dict)
    model: str = ""
    llm_calls: int = 0
    llm_cost_usd: float = 0.0
    candidates_evaluated: int = 0
    tests_flaky: Any = None
    checks: tuple[dict[str, Any], ...] = ()
    """Every check of the candidate's evaluation, as stored (name, passed, reason, evidence)."""
    workloads: list[dict[str, Any]] = field(default_factory=list)
    """One row per workload (name, role, verdict, ratio, CI, p) when it measured several."""


def gather_evidence(store: Store, run_id: str) -> Evidence:
    """The evidence for a run's best candidate; `NothingToPropose` when there is none worth a PR."""
    from agent.views.summary import run_summary

    run = store.run(run_id)
    if run is None:
        raise BadInput(f"no run {run_id!r} in {store.url}")
    summary = run_summary(store, run.id)
    best = summary["best"]
    if best is None:
        why = f" ({run.reason})" if run.reason else ""
        raise NothingToPropose(
            f"run {run.id} has no accepted candidate (status {run.status}{why}); nothing to propose"
        )
    cand = store.candidate(best["candidate_id"])
    assert cand is not None
    problems = unproposable(cand)
    if problems:
        raise NothingToPropose(
            f"candidate {cand.id} of run {run.id} is not proposable: " + "; ".join(problems)
        )
    measured = dict(cand.measurement or {})
    env, instructions = measured_environment(store, run.id, cand.id, measured)
    task = run.task or {}
    return Evidence(
        run_id=run.id,
        candidate_id=cand.id,
        repo_path=run.repo,
        subdir=run.subdir,
        base_commit=run.base_commit,
        plan_title=best["plan_title"] or f"candidate {cand.id}",
        plan_text=best["plan"] or "",
        diff=cand.diff,
        runtime=dict(cand.confirmation or {}),
        search_runtime=measured.get("runtime"),
        instructions=instructions,
        memory=measured.get("peak_memory"),
        tests_passed=True,
        equivalent=cand.equivalent,
        bench=str(task.get("bench") or ""),
        test=task.get("test"),
        sandbox=str(env.get("sandbox") or run.sandbox),
        environment=dict(env),
        model=run.model,
        llm_calls=summary["llm"]["calls"],
        llm_cost_usd=summary["llm"]["cost_usd"],
        candidates_evaluated=summary["candidates_evaluated"],
        tests_flaky=summary["baseline"]["tests_flaky"],
        checks=tuple(c for c in measured.get("checks") or () if isinstance(c, dict)),
        workloads=list(best.get("workloads") or []),
    )


def unproposable(cand: Candidate) -> list[str]:
    """Why a candidate must not be proposed (empty: it may be)."""
    confirmation = dict(cand.confirmation or {})
    problems = []
    if cand.status != Status.ACCEPTED:
        problems.append(f"status is {cand.status}")
    if cand.tests_passed is not True:
        problems.append("its tests did not pass")
    if confirmation.get("verdict") != Verdict.FASTER:
        problems.append("it was not confirmed faster by a re-measurement")
    if not (confirmation.get("ci_high") is not None and confirmation["ci_high"] < 1):
        problems.append("the confidence interval of its runtime ratio does not exclude 1")
    if not cand.diff.strip():
        problems.append("its patch is empty")
    return problems


def measured_environment(
    store: Store, run_id: str, cand_id: int, measured: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The environment the candidate's wall times were taken in, and its instruction counts
    with how many hash seeds they span."""
    trials = store.trials(run_id, cand_id)
    env = next(
        (t.env for t in trials if t.metric == "walltime_s" and t.env and "python" in t.env), {}
    )
    seeds = {t.env.get("seed") for t in trials if t.metric == "instructions"}
    instructions = measured.get("instructions")
    if instructions:
        instructions = {**instructions, "seeds": len(seeds - {None}) or None}
    return env, instructions
