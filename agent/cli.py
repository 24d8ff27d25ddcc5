"""`perfagent`: the command line (DESIGN §3). Progress goes to stderr; `--json` owns stdout."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path
from types import FrameType
from typing import Annotated, Any, NoReturn

import typer

from agent.cli_common import (
    DbOpt,
    JsonOpt,
    SandboxOpt,
    db_url,
    emit_json,
    fail,
    open_store,
    say,
)
from agent.config import RunConfig
from agent.exceptions import BadInput, BaselineBroken, PerfagentError
from agent.summary import run_summary
from storage import Store
from tasks import Task, TaskError, load_task

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Make code measurably faster without breaking it.",
    pretty_exceptions_enable=False,
)


def describe(summary: dict[str, Any]) -> None:
    """A short human report of a run on stderr."""
    say("")
    say(f"run {summary['run_id']}: {summary['status']}  ({summary['reason'] or 'done'})")
    for c in summary["candidates"]:
        ratio = c["runtime_ratio"]
        shown = (
            f"x{ratio:.3f} [{c['ci_low']:.3f}, {c['ci_high']:.3f}]"
            if ratio is not None and c["ci_low"] is not None
            else "-"
        )
        title = (c["plan_title"] or "")[:60]
        say(f"  #{c['candidate_id']:<4} {c['status']:<12} {shown:<26} {title}")
    best = summary["best"]
    if best:
        gain = 1 - best["runtime_ratio"]
        say(
            f"accepted candidate {best['candidate_id']}: runtime x{best['runtime_ratio']:.3f} "
            f"(95% CI {best['ci_low']:.3f}-{best['ci_high']:.3f}, {gain:.0%} faster), tests pass."
        )
        say(f"apply it with: perfagent apply {summary['run_id']}")
    else:
        say("no candidate was confirmed faster; nothing to apply.")


def install_interrupt_handler(store: Store, run_id: str) -> None:
    def handler(signum: int, _frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        store.update_run(run_id, status="interrupted", reason=f"stopped by {name}")
        say(f"perfagent: interrupted by {name}; resume with: perfagent resume {run_id}")
        raise SystemExit(130)

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)


def execute_run(
    store: Store,
    run_id: str,
    task: Task,
    model: str,
    sandbox: str,
    config: RunConfig,
    as_json: bool,
    round_: int = 0,
) -> NoReturn:
    """Wire the parts, run the loop to its end, report, and exit with DESIGN's code."""
    from agent.graph import run_loop
    from agent.wiring import loop_deps, pick_sandbox

    factory = pick_sandbox(sandbox, say, task)
    store.update_run(run_id, sandbox=factory.kind)
    deps = loop_deps(store, run_id, task, model, factory, config, say)
    install_interrupt_handler(store, run_id)
    try:
        run_loop(run_id, deps, round_)
    except BaselineBroken as exc:
        store.update_run(run_id, status="failed", reason=str(exc).splitlines()[0])
        say(f"perfagent: {exc}")
        raise typer.Exit(3) from None
    except PerfagentError as exc:
        store.update_run(run_id, status="failed", reason=str(exc))
        fail(str(exc), exc.exit_code or 1)
    except Exception as exc:
        store.update_run(run_id, status="failed", reason=f"internal error: {exc!r}")
        raise
    summary = run_summary(store, run_id)
    if as_json:
        emit_json(summary)
    describe(summary)
    raise typer.Exit(0 if summary["best"] else 1)


@app.command()
def optimize(
    repo: Annotated[Path, typer.Argument(help="The repository (or a directory inside one).")],
    bench: Annotated[str | None, typer.Option(help="Benchmark command (the workload).")] = None,
    test: Annotated[str | None, typer.Option(help="Test command that must keep passing.")] = None,
    model: Annotated[
        str | None,
        typer.Option(help="rules, replay:FILE, anthropic:M, openai:M, openai-compatible:M@URL."),
    ] = None,
    budget: Annotated[int | None, typer.Option(help="Candidates to evaluate at most.")] = None,
    sandbox: SandboxOpt = "auto",
    db: DbOpt = None,
    allow_dirty: Annotated[
        bool, typer.Option(help="Optimize the last commit even if the tree has changes.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Profile, plan, edit, test and measure until the budget is spent; keep what is faster."""
    from agent.models import get_model
    from agent.wiring import default_model_name

    try:
        task = load_task(
            repo, {"bench": bench, "test": test, "budget": budget}, allow_dirty=allow_dirty
        )
    except TaskError as exc:
        fail(str(exc))
    name = default_model_name(model or str(task.metadata.get("model") or "") or None)
    try:
        get_model(name)  # fail on an unknown name or a missing key before any work
    except PerfagentError as exc:
        fail(str(exc))
    config = RunConfig(budget=task.budget)
    store = open_store(db_url(db, task.repo))
    run = store.create_run(
        repo=str(task.repo),
        subdir=task.subdir,
        base_commit=task.base_ref,
        task=task_json(task),
        model=name,
        sandbox=sandbox,
        config=config.model_dump(),
    )
    say(
        f"perfagent: run {run.id} on {task.repo / task.subdir} at {task.base_ref[:10]} "
        f"with model {name}"
    )
    execute_run(store, run.id, task, name, sandbox, config, as_json)


def task_json(task: Task) -> dict[str, Any]:
    data = {k: v for k, v in vars(task).items() if k != "metadata"}
    data["repo"] = str(task.repo)
    return data


def task_from_json(data: dict[str, Any]) -> Task:
    fields = dict(data)
    fields["repo"] = Path(fields["repo"])
    for key in ("include", "exclude", "bench_files", "objectives"):
        fields[key] = tuple(fields.get(key, ()))
    return Task(**fields)


@app.command()
def resume(
    run_id: Annotated[str, typer.Argument(help="The run to continue.")],
    db: DbOpt = None,
    sandbox: SandboxOpt = "auto",
    as_json: JsonOpt = False,
) -> None:
    """Continue an interrupted run; nothing already measured is measured again."""
    store = open_store(db_url(db))
    store.mark_interrupted()
    run = store.run(run_id) or fail(f"no run {run_id!r} in {store.url}")
    if run.status == "running":
        fail(f"run {run.id} is still running (pid {run.pid} on {run.host})")
    if run.status in ("finished", "no-improvement"):
        fail(f"run {run.id} already ended ({run.status}); see: perfagent show {run.id}")
    from agent.wiring import planned_rounds

    task = task_from_json(run.task)
    config = RunConfig(**run.config)
    store.claim_run(run.id)
    rounds = planned_rounds(store, run.id)
    say(f"perfagent: resuming run {run.id}")
    execute_run(store, run.id, task, run.model, sandbox, config, as_json, rounds)


@app.command()
def runs(db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """List runs, newest first (a run whose process died shows as interrupted)."""
    store = open_store(db_url(db))
    rows = store.runs()
    if as_json:
        emit_json(
            [
                {
                    "run_id": r.id,
                    "status": r.status,
                    "created_at": r.created_at,
                    "model": r.model,
                    "repo": r.repo,
                    "subdir": r.subdir,
                    "best_candidate_id": r.best_candidate_id,
                    "reason": r.reason,
                }
                for r in rows
            ]
        )
        return
    if not rows:
        say("no runs yet")
    for r in rows:
        target = f"{r.repo}/{r.subdir}" if r.subdir else r.repo
        print(f"{r.id}  {r.created_at:%Y-%m-%d %H:%M}  {r.status:<15} {r.model:<20} {target}")


@app.command()
def show(run_id: str, db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """A run's baseline, candidates and Pareto front, with confidence intervals."""
    store = open_store(db_url(db))
    store.mark_interrupted()
    run = store.run(run_id) or fail(f"no run {run_id!r} in {store.url}")
    summary = run_summary(store, run.id)
    if as_json:
        emit_json(summary)
    else:
        describe(summary)


@app.command()
def report(
    run_id: str,
    html: Annotated[Path, typer.Option("--html", help="Where to write the page.")],
    db: DbOpt = None,
) -> None:
    """Write a self-contained offline HTML report: Pareto plot, plans, diffs, CIs, flame graph."""
    from agent.report import write_report

    store = open_store(db_url(db))
    store.mark_interrupted()
    run = store.run(run_id) or fail(f"no run {run_id!r} in {store.url}")
    write_report(store, run.id, html)
    say(f"report written to {html}")


@app.command()
def apply(
    run_id: str,
    candidate_id: Annotated[int | None, typer.Argument(help="Default: the run's best.")] = None,
    db: DbOpt = None,
) -> None:
    """Apply a candidate's patch to the repository's working tree."""
    store = open_store(db_url(db))
    run = store.run(run_id) or fail(f"no run {run_id!r} in {store.url}")
    cid = candidate_id or run.best_candidate_id
    if cid is None:
        fail(f"run {run.id} has no accepted candidate; name one: perfagent apply {run.id} ID", 1)
    cand = store.candidate(cid)
    if cand is None or cand.run_id != run.id or not cand.diff:
        fail(f"candidate {cid} of run {run.id} has no patch")
    if cand.status != "accepted":
        say(f"warning: candidate {cid} is {cand.status}, not accepted")
    for args in (["--check"], []):
        proc = subprocess.run(
            ["git", "apply", *args, "-"],
            input=cand.diff,
            text=True,
            cwd=run.repo,
            capture_output=True,
        )
        if proc.returncode:
            fail(f"the patch does not apply to {run.repo}: {proc.stderr.strip().splitlines()[0]}")
    say(f"applied candidate {cid} of run {run.id} to {run.repo}")


@app.command()
def doctor(as_json: JsonOpt = False) -> None:
    """Which of Docker, valgrind, py-spy and the model API keys are usable here."""
    from agent.doctor import checks

    results = checks()
    if as_json:
        emit_json(results)
        return
    for name, (ok, detail) in results.items():
        print(f"{'ok ' if ok else 'no '} {name:<10} {detail}")


@app.command("measure")
def measure_cmd(
    repo: Annotated[Path, typer.Argument(help="The repository (or a directory inside one).")],
    bench: Annotated[str, typer.Option(help="Benchmark command (the workload).")],
    base: Annotated[str, typer.Option(help="Baseline ref.")] = "HEAD",
    head: Annotated[str | None, typer.Option(help="Ref to compare with the baseline.")] = None,
    patch: Annotated[Path | None, typer.Option(help="Diff applied on the baseline.")] = None,
    test: Annotated[str | None, typer.Option(help="Test command the head must pass.")] = None,
    pairs: Annotated[int, typer.Option(help="Interleaved pairs (extended when unclear).")] = 10,
    sandbox: SandboxOpt = "auto",
    as_json: JsonOpt = False,
) -> None:
    """Is HEAD (or base + PATCH) faster than BASE? A verdict with confidence intervals."""
    if (head is None) == (patch is None):
        fail("give exactly one of --head REF or --patch FILE")
    from agent.measure import measure_refs

    try:
        result = measure_refs(repo, bench, base, head, patch, test, pairs, sandbox, say)
    except TaskError as exc:
        fail(str(exc))
    except BaselineBroken as exc:
        say(f"perfagent: {exc}")
        raise typer.Exit(3) from None
    except PerfagentError as exc:
        fail(str(exc), exc.exit_code)
    if as_json:
        emit_json(result.to_json())
    rt = result.runtime
    say(f"verdict: {result.verdict}" + (f" — {result.reason}" if result.reason else ""))
    if rt:
        say(
            f"runtime ratio {rt.ratio:.3f} (95% CI {rt.ci_low:.3f}-{rt.ci_high:.3f}, "
            f"p={rt.p_value:.2g}, {rt.n_pairs} pairs)"
        )
    raise typer.Exit(0 if result.verdict == "faster" else 1)


def _mount_subcommands() -> None:
    from agent import cli_batch, cli_github, cli_sandbox

    app.add_typer(cli_sandbox.app, name="sandbox")
    app.command("validate")(cli_batch.validate)
    app.command("batch")(cli_batch.batch)
    cli_github.mount(app)


_mount_subcommands()


def main() -> None:
    try:
        app()
    except BadInput as exc:
        say(f"perfagent: {exc}")
        sys.exit(2)
