"""The loop's nodes: plain functions over the protocols, the store and the profilers.

Each node reads what it needs from the store and writes what it produced back, so it is
idempotent by key: a run killed anywhere resumes by running the graph again. The graph state
holds only the run id, the round and the routing decision.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypedDict

from langgraph.runtime import Runtime

from agent.config import RunConfig
from agent.exceptions import BaselineBroken, Converged, LoopEnded
from agent.pareto import Point, front
from agent.protocols import (
    Coder,
    CodeRequest,
    Hotspot,
    HotspotProfile,
    Outcome,
    Plan,
    Planner,
    PlanRequest,
    SandboxFactory,
    Task,
    WorkspaceSpec,
)
from agent.selection import IMPROVING_STATUSES, choose_parents, should_stop
from agent.summary import EVALUATED
from profilers.config import MeasureConfig
from profilers.errors import MeasurementError, WorkloadError
from profilers.evaluate import measure, remeasure
from profilers.harness import prepare, run_workload
from profilers.hotspots import profile_hotspots
from profilers.results import Measurement, WallTimeComparison, fingerprint_json
from profilers.workload import Workload
from sandbox.base import ProtectedPathError, SandboxError, opened, path_matches
from sandbox.worktree import is_protected
from storage import Store
from storage.models import Candidate

MAX_SOURCE_BYTES = 256 * 1024
SPENT = (*EVALUATED, "edit-failed")


class State(TypedDict, total=False):
    run_id: str
    round: int
    next: str
    stop: str


@dataclass
class Deps:
    """What the nodes run on; wired in the entry points."""

    store: Store
    task: Task
    sandboxes: SandboxFactory
    planner: Planner
    coder: Coder
    config: RunConfig = field(default_factory=lambda: RunConfig())
    measure: MeasureConfig = field(default_factory=MeasureConfig)
    progress: Callable[[str], None] = lambda _msg: None
    started: float = field(default_factory=time.monotonic)


# helpers -------------------------------------------------------------------------------------
def workload_of(task: Task) -> Workload:
    return Workload(kind=task.bench_kind, spec=task.bench)


def spec_for(
    task: Task, name: str, patch: str = "", files: dict[str, str] | None = None
) -> WorkspaceSpec:
    return WorkspaceSpec(
        repo=task.repo,
        ref=task.base_ref,
        patch=patch,
        files=files or {},
        subdir=task.subdir,
        protected=task.protected,
        name=name,
    )


def editable_sources(task: Task, root: Path) -> dict[str, str]:
    """Files a candidate may change, task-relative; tests and benchmark files never appear."""
    base = root / task.subdir if task.subdir else root
    out: dict[str, str] = {}
    for path in sorted(base.rglob("*")):
        rel = path.relative_to(base).as_posix()
        if rel.startswith(".") or "/." in rel or not path.is_file():
            continue
        if not path_matches(rel, task.include) or is_protected(task.in_repo(rel), task.protected):
            continue
        if path.stat().st_size > MAX_SOURCE_BYTES:
            continue
        try:
            out[rel] = path.read_text()
        except UnicodeDecodeError:
            continue
    return out


def normalized_hash(diff: str) -> str:
    """Hash of a diff ignoring hunk offsets and trailing blanks: the same edit twice is one."""
    lines = [
        line.rstrip()
        for line in diff.splitlines()
        if not line.startswith(("index ", "@@")) and line.strip() not in ("+", "-")
    ]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def outcome_of(c: Candidate, plan_title: str) -> Outcome:
    ci = (c.ci_low, c.ci_high) if c.ci_low is not None and c.ci_high is not None else None
    return Outcome(plan_title, c.status, c.runtime_ratio, ci, c.reason)


def load_profile(store: Store, run_id: str) -> HotspotProfile:
    run = store.run(run_id)
    raw = (run.baseline if run else {}).get("hotspots", [])
    return HotspotProfile(
        hotspots=tuple(Hotspot(**h) for h in raw),
        samples=int((run.baseline if run else {}).get("profile_samples", 0)),
    )


def pick_parent(d: Deps, cands: list[Candidate], round_: int) -> Candidate | None:
    """The candidate this round builds on, or None for the base.

    Only once something improved on the base; the draw is seeded by the round alone so a
    resumed run and an uninterrupted one make the same choices."""
    if not d.config.build_on_front or not any(c.status in IMPROVING_STATUSES for c in cands):
        return None
    picks = choose_parents(cands, 1, random.Random(f"perfagent-round-{round_}"))
    return next((c for c in cands if picks and c.id == picks[0]), None)


DEAD_ENDS = ("broken", "edit-failed", "error", "duplicate")


def already_tried(
    title: str, parent_id: int | None, rows: list[Any], cands: list[Candidate]
) -> bool:
    """A plan is not planned twice on the same parent, nor on a descendant of the candidate
    it produced, nor again anywhere once it broke."""
    same = [r for r in rows if r.title == title]
    if any((r.data or {}).get("parent_id") == parent_id for r in same):
        return True
    ids = {r.id for r in same}
    if any(c.plan_id in ids and c.status in DEAD_ENDS for c in cands):
        return True
    by_id = {c.id: c for c in cands}
    seen: set[int] = set()
    while parent_id is not None and parent_id in by_id and parent_id not in seen:
        seen.add(parent_id)
        if by_id[parent_id].plan_id in ids:
            return True  # the lineage already contains this plan's change
        parent_id = by_id[parent_id].parent_id
    return False


def check_limits(d: Deps) -> None:
    cfg = d.config
    if cfg.max_wall_s and time.monotonic() - d.started > cfg.max_wall_s:
        from agent.exceptions import BudgetExhausted

        raise BudgetExhausted(f"wall-time budget of {cfg.max_wall_s:.0f} s spent")


def stops_loop(
    fn: Callable[..., State],
) -> Callable[..., State]:
    """Turn a LoopEnded raised inside a node into a routing decision to finish."""

    def node(state: State, *, runtime: Runtime[Deps]) -> State:
        try:
            return fn(state, runtime=runtime)
        except LoopEnded as exc:
            runtime.context.store.log(state["run_id"], "stop", str(exc), reason=exc.reason)
            return {"stop": f"{exc.reason}: {exc}"}

    node.__name__ = fn.__name__
    return node


# nodes ---------------------------------------------------------------------------------------
def baseline(state: State, *, runtime: Runtime[Deps]) -> State:
    """Check the unedited code (tests twice, workload once) and profile its hotspots."""
    d, run_id = runtime.context, state["run_id"]
    run = d.store.run(run_id)
    if run is not None and run.baseline:
        return {}
    task, say = d.task, d.progress
    summary: dict[str, Any] = {}
    with opened(d.sandboxes, spec_for(task, "baseline")) as sb:
        if task.test:
            say(f"baseline: running tests ({task.test})")
            first = sb.execute(task.test, timeout=task.timeout_s)
            if not first.ok:
                raise BaselineBroken(
                    f"the tests fail before any edit ({task.test!r}, "
                    f"{first.killed_reason or f'exit {first.returncode}'}):\n{first.tail()}"
                )
            second = sb.execute(task.test, timeout=task.timeout_s)
            summary["tests_flaky"] = not second.ok
            if not second.ok:
                d.store.log(
                    run_id, "warning", "tests are flaky on the baseline", tail=second.tail()
                )
                say("warning: the tests failed on a second baseline run (flaky)")
        say(f"baseline: running the workload ({task.bench})")
        durations = []
        try:
            harness = prepare(sb, d.measure)
            for _ in range(3):
                res, _status = run_workload(
                    harness,
                    workload_of(task),
                    1,
                    "base",
                    d.measure,
                    seed=0,
                    timeout=task.timeout_s,
                )
                durations.append(res.duration_s)
        except MeasurementError as exc:
            raise BaselineBroken(
                f"the benchmark fails before any edit ({task.bench!r}): {exc}"
            ) from None
        d.store.add_trials(run_id, None, "baseline", "walltime_s", "base", durations)
        summary["wall_s"] = sorted(durations)[1]
        summary["peak_rss_bytes"] = res.peak_rss_bytes
        say("baseline: profiling hotspots with py-spy")
        try:
            profile = profile_hotspots(sb, workload_of(task), d.measure)
        except Exception as exc:  # a missing or refused profiler must not end the run
            d.store.log(run_id, "warning", f"hotspot profile failed: {exc}")
            say(f"warning: no hotspot profile ({exc})")
            profile = HotspotProfile(hotspots=(), samples=0)
    hotspots = list(profile.hotspots)  # already relative to the task directory (the workdir)
    summary["hotspots"] = [asdict(h) for h in hotspots]
    summary["profile_samples"] = profile.samples
    if profile.collapsed:
        d.store.add_artifact(run_id, "baseline-profile", profile.collapsed)
    for h in hotspots[:5]:
        say(f"  hot: {h.file}:{h.line} {h.function}  {h.total_share:.0%} of samples")
    d.store.update_run(run_id, baseline=summary)
    return {}


@stops_loop
def plan(state: State, *, runtime: Runtime[Deps]) -> State:
    """Ask the planner for new plans grounded in the profile and every outcome so far."""
    d, run_id = runtime.context, state["run_id"]
    if d.store.plans(run_id, status="pending"):
        return {}
    check_limits(d)
    round_ = state.get("round", 0) + 1
    run = d.store.run(run_id)
    cands = d.store.candidates(run_id)
    parent = pick_parent(d, cands, round_)
    with opened(d.sandboxes, spec_for(d.task, "plan", patch=parent.diff if parent else "")) as sb:
        sources = editable_sources(d.task, sb.host_root)
    rows = d.store.plans(run_id)
    titles = {p.id: p.title for p in rows}
    history = [outcome_of(c, titles.get(c.plan_id or -1, "")) for c in cands]
    request = PlanRequest(
        task=d.task,
        profile=load_profile(d.store, run_id),
        sources=sources,
        baseline=run.baseline if run else {},
        history=history,
        n_plans=d.config.plans_per_round,
        round=round_,
    )
    d.progress(
        f"round {round_}: planning" + (f" on top of candidate {parent.id}" if parent else "")
    )
    parent_id = parent.id if parent else None
    plans = [
        p for p in d.planner.plan(request) if not already_tried(p.title, parent_id, rows, cands)
    ]
    if not plans:
        raise Converged("the planner has no new plan")
    d.store.add_plans(
        run_id,
        round_,
        [
            {
                "title": p.title,
                "text": p.text,
                "source": p.source,
                "targets": list(p.targets),
                "data": {**p.data, "parent_id": parent_id},
            }
            for p in plans
        ],
    )
    for p in plans:
        d.progress(f"  plan: {p.title}")
    return {"round": round_}


@stops_loop
def code(state: State, *, runtime: Runtime[Deps]) -> State:
    """Turn the next pending plan into a candidate diff (or a recorded failure)."""
    d, run_id, task = runtime.context, state["run_id"], runtime.context.task
    pending = d.store.plans(run_id, status="pending")
    if not pending or d.store.candidates(run_id, status=("coded", "evaluating")):
        return {}
    check_limits(d)
    row = pending[0]
    the_plan = Plan(row.title, row.text, row.source, tuple(row.targets), row.data)
    parent = d.store.candidate(row.data["parent_id"]) if row.data.get("parent_id") else None
    base_patch = parent.diff if parent else ""
    with opened(d.sandboxes, spec_for(task, "code", patch=base_patch)) as sb:
        sources = editable_sources(task, sb.host_root)
    d.progress(f"coding: {row.title}")
    edit = d.coder.code(CodeRequest(task=task, plan=the_plan, sources=sources))
    model = getattr(d.coder, "name", "")
    fields: dict[str, Any] = {
        "plan_id": row.id,
        "model": model,
        "parent_id": parent.id if parent else None,
    }
    refused = sorted(set(edit.files) - set(sources))
    if edit.error or refused or not edit.files:
        reason = edit.error or (
            f"edit touches files outside the editable set: {', '.join(refused)}"
            if refused
            else "the edit changes nothing"
        )
        d.store.add_candidate(run_id, status="edit-failed", reason=reason, **fields)
        d.store.update_plan(row.id, status="coded")
        d.progress(f"  edit failed: {reason.splitlines()[0]}")
        return {}
    files = {task.in_repo(p): text for p, text in edit.files.items()}
    try:
        with opened(d.sandboxes, spec_for(task, "diff", patch=base_patch, files=files)) as sb:
            diff = sb.diff()
    except (ProtectedPathError, SandboxError) as exc:
        d.store.add_candidate(run_id, status="edit-failed", reason=str(exc), **fields)
        d.store.update_plan(row.id, status="coded")
        return {}
    digest = normalized_hash(diff)
    twin = d.store.candidate_by_hash(run_id, digest)
    if not diff.strip():
        d.store.add_candidate(run_id, status="edit-failed", reason="empty diff", **fields)
    elif twin is not None:
        reason = f"same change as candidate {twin.id}"
        d.store.add_candidate(
            run_id, status="duplicate", reason=reason, diff=diff, diff_hash=digest, **fields
        )
        d.progress(f"  skipped: {reason}")
    else:
        d.store.add_candidate(run_id, status="coded", diff=diff, diff_hash=digest, **fields)
    d.store.update_plan(row.id, status="coded")
    return {}


def record_measurement(d: Deps, run_id: str, cid: int, phase: str, m: Measurement) -> None:
    env = fingerprint_json(m.runtime.env) if m.runtime else None
    if m.runtime:
        for side, values in (("base", m.runtime.base_s), ("head", m.runtime.head_s)):
            d.store.add_trials(run_id, cid, phase, "walltime_s", side, values, env)
    if m.instructions:
        for seed, base, head in m.instructions.per_seed:
            d.store.add_trials(run_id, cid, phase, "instructions", "base", [base], {"seed": seed})
            d.store.add_trials(run_id, cid, phase, "instructions", "head", [head], {"seed": seed})
    if m.peak_memory:
        d.store.add_trials(run_id, cid, phase, "peak_rss_bytes", "base", [m.peak_memory.base_bytes])
        d.store.add_trials(run_id, cid, phase, "peak_rss_bytes", "head", [m.peak_memory.head_bytes])


def evaluate(state: State, *, runtime: Runtime[Deps]) -> State:
    """Test and measure the coded candidate against the baseline."""
    d, run_id, task = runtime.context, state["run_id"], runtime.context.task
    todo = d.store.candidates(run_id, status=("evaluating", "coded"))
    if not todo:
        return {}
    cand = todo[0]
    d.store.update_candidate(cand.id, status="evaluating")
    d.progress(f"evaluating candidate {cand.id}")
    try:
        with (
            opened(d.sandboxes, spec_for(task, "base")) as base,
            opened(d.sandboxes, spec_for(task, f"cand{cand.id}", patch=cand.diff)) as head,
        ):
            m = measure(base, head, workload_of(task), task.test, d.measure, on_stage=d.progress)
    except WorkloadError as exc:
        if exc.side == "base":
            # The unedited code stopped working mid-run: no verdict can be trusted any more.
            raise BaselineBroken(
                f"the benchmark failed on the baseline while evaluating: {exc}"
            ) from None
        d.store.update_candidate(cand.id, status="broken", reason=str(exc))
        return {}
    except (SandboxError, ProtectedPathError, MeasurementError) as exc:
        d.store.update_candidate(cand.id, status="error", reason=str(exc))
        d.progress(f"  candidate {cand.id}: error ({exc})")
        return {}
    record_measurement(d, run_id, cand.id, "evaluate", m)
    status = {"faster": "faster", "broken": "broken"}.get(m.verdict, "rejected")
    rt = m.runtime
    d.store.update_candidate(
        cand.id,
        status=status,
        verdict=m.verdict,
        reason=m.reason,
        tests_passed=m.tests_passed,
        equivalent=m.equivalent,
        runtime_ratio=rt.ratio if rt else None,
        ci_low=rt.ci_low if rt else None,
        ci_high=rt.ci_high if rt else None,
        p_value=rt.p_value if rt else None,
        instructions_ratio=m.instructions.ratio if m.instructions else None,
        memory_ratio=m.peak_memory.ratio if m.peak_memory else None,
        measurement=m.to_json(),
    )
    shown = f"ratio {rt.ratio:.3f} [{rt.ci_low:.3f}, {rt.ci_high:.3f}]" if rt else m.reason
    d.progress(f"  candidate {cand.id}: {m.verdict} ({shown})")
    return {}


def select(state: State, *, runtime: Runtime[Deps]) -> State:
    """Decide what comes next from what the store holds."""
    d, run_id = runtime.context, state["run_id"]
    if state.get("stop"):
        return {"next": "finish"}
    spent = len(d.store.candidates(run_id, status=SPENT))
    if spent >= d.config.budget:
        return {"next": "finish", "stop": f"budget: {spent} candidates evaluated"}
    if d.store.candidates(run_id, status=("coded", "evaluating")):
        return {"next": "evaluate"}  # already paid for: evaluate it before any stop rule
    patience = d.config.patience
    if patience and should_stop(d.store.candidates(run_id), patience):
        stop = f"converged: the last {patience} candidates added nothing to the front"
        d.store.log(run_id, "stop", stop, reason="converged")
        return {"next": "finish", "stop": stop}
    if d.store.plans(run_id, status="pending"):
        return {"next": "code"}
    if state.get("round", 0) >= d.config.max_rounds:
        return {"next": "finish", "stop": f"converged: {d.config.max_rounds} planning rounds"}
    return {"next": "plan"}


def points(cands: list[Candidate]) -> list[Point]:
    return [
        Point(
            id=c.id,
            runtime=c.runtime_ratio,
            ci_low=c.ci_low if c.ci_low is not None else c.runtime_ratio,
            ci_high=c.ci_high if c.ci_high is not None else c.runtime_ratio,
            instructions=c.instructions_ratio,
            memory=c.memory_ratio,
            patch_lines=c.diff.count("\n"),
        )
        for c in cands
        if c.runtime_ratio is not None
    ]


def finish(state: State, *, runtime: Runtime[Deps]) -> State:
    """Re-measure the best candidates from scratch; accept the first that holds up."""
    d, run_id, task = runtime.context, state["run_id"], runtime.context.task
    contenders = front(points(d.store.candidates(run_id, status=("faster",))))
    for point in contenders[: d.config.confirm_top]:
        cand = d.store.candidate(point.id)
        assert cand is not None
        d.progress(f"confirming candidate {cand.id} from scratch")
        try:
            with (
                opened(d.sandboxes, spec_for(task, "base")) as base,
                opened(d.sandboxes, spec_for(task, f"confirm{cand.id}", patch=cand.diff)) as head,
            ):
                again: WallTimeComparison = remeasure(base, head, workload_of(task), d.measure)
        except (SandboxError, MeasurementError) as exc:
            # Never accept what could not be confirmed.
            d.store.update_candidate(
                cand.id, status="unconfirmed", reason=f"re-measurement failed: {exc}"
            )
            d.progress(f"  candidate {cand.id}: not confirmed ({exc})")
            continue
        d.store.add_trials(run_id, cand.id, "confirm", "walltime_s", "base", again.base_s)
        d.store.add_trials(run_id, cand.id, "confirm", "walltime_s", "head", again.head_s)
        confirmed = again.verdict == "faster"
        d.store.update_candidate(
            cand.id,
            status="accepted" if confirmed else "unconfirmed",
            confirmation={**again.to_json(), "verdict": again.verdict},
            reason=cand.reason if confirmed else f"re-measurement said {again.verdict}",
        )
        d.progress(
            f"  candidate {cand.id}: {'confirmed' if confirmed else 'not confirmed'} "
            f"(ratio {again.ratio:.3f} [{again.ci_low:.3f}, {again.ci_high:.3f}])"
        )
    accepted = d.store.candidates(run_id, status=("accepted",))
    on_front = {p.id for p in front(points(accepted))}
    for c in accepted:
        d.store.update_candidate(c.id, on_front=c.id in on_front)
    best = min(
        accepted, key=lambda c: c.confirmation.get("ratio", c.runtime_ratio or 1.0), default=None
    )
    stop = state.get("stop", "")
    if best is not None:
        d.store.update_run(run_id, status="finished", best_candidate_id=best.id, reason=stop)
    else:
        d.store.update_run(run_id, status="no-improvement", reason=stop or "nothing was faster")
    return {}
