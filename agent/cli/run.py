"""`perfagent optimize`, `resume` and `measure`: the commands that run work."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from agent.cli.common import (
    BenchSelectOpt,
    DbOpt,
    JsonOpt,
    SandboxOpt,
    db_url,
    emit_json,
    fail,
    open_store,
    say,
)
from agent.exceptions import PerfagentError
from agent.runs import Ended, RunService, local_task
from agent.views.workloads import text_table


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
        if c.get("repair_of") is not None:
            title = f"(repairs #{c['repair_of']}) {title}"[:60]
        say(f"  #{c['candidate_id']:<4} {c['status']:<14} {shown:<26} {title}")
        for line in text_table(c.get("workloads") or []):
            say(line)
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


def finish(ended: Ended, as_json: bool) -> NoReturn:
    """Print how the run ended (its JSON even when it failed) and exit with its code."""
    if as_json:
        emit_json(ended.summary)
    if ended.message:
        say(f"perfagent: {ended.message}")
    describe(ended.summary)
    raise typer.Exit(ended.exit_code)


def optimize(
    repo: Annotated[Path, typer.Argument(help="The repository (or a directory inside one).")],
    bench: Annotated[str | None, typer.Option(help="Benchmark command (the workload).")] = None,
    test: Annotated[str | None, typer.Option(help="Test command that must keep passing.")] = None,
    model: Annotated[
        str | None,
        typer.Option(help="rules, replay:FILE, anthropic:M, openai:M, openai-compatible:M@URL."),
    ] = None,
    budget: Annotated[int | None, typer.Option(help="Candidates to evaluate at most.")] = None,
    sandbox: SandboxOpt = None,
    db: DbOpt = None,
    allow_dirty: Annotated[
        bool, typer.Option(help="Optimize the last commit even if the tree has changes.")
    ] = False,
    bench_select: BenchSelectOpt = None,
    holdout: Annotated[
        list[str] | None,
        typer.Option(
            help="A held-out workload (repeatable): never shown to the model; the winner must "
            "not be slower on it."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Profile, plan, edit, test and measure until the budget is spent; keep what is faster."""
    flags: dict[str, Any] = {"bench": bench, "test": test, "model": model, "budget": budget}
    flags |= {"sandbox": sandbox, "bench_select": bench_select, "holdout": holdout}
    try:
        task, config = local_task(repo, flags, allow_dirty=allow_dirty, warn=say)
        store = open_store(db_url(db, task.repo))
        service = RunService(store, say)
        run_id, factory = service.start(task, config)
    except PerfagentError as exc:
        fail(str(exc), exc.exit_code)
    finish(service.execute(run_id, task, config, factory), as_json)


def resume(
    run_id: Annotated[str, typer.Argument(help="The run to continue.")],
    db: DbOpt = None,
    sandbox: Annotated[
        str | None,
        typer.Option(help="Must be the sandbox the run started in, if given (it always is)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Continue an interrupted run with the settings it started with; nothing already
    measured is measured again."""
    service = RunService(open_store(db_url(db)), say)
    try:
        ended = service.resume(run_id, sandbox)
    except PerfagentError as exc:
        fail(str(exc), exc.exit_code)
    finish(ended, as_json)


def measure(
    repo: Annotated[Path, typer.Argument(help="The repository (or a directory inside one).")],
    bench: Annotated[
        str | None,
        typer.Option(help="Benchmark command [default: the suites of [tool.perfagent]]."),
    ] = None,
    base: Annotated[str, typer.Option(help="Baseline ref.")] = "HEAD",
    head: Annotated[str | None, typer.Option(help="Ref to compare with the baseline.")] = None,
    patch: Annotated[Path | None, typer.Option(help="Diff applied on the baseline.")] = None,
    test: Annotated[str | None, typer.Option(help="Test command the head must pass.")] = None,
    pairs: Annotated[
        int, typer.Option(min=2, help="Interleaved pairs (extended when unclear).")
    ] = 10,
    bench_select: BenchSelectOpt = None,
    sandbox: SandboxOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Is HEAD (or base + PATCH) faster than BASE? A verdict with confidence intervals, per
    benchmark for a suite."""
    if (head is None) == (patch is None):
        fail("give exactly one of --head REF or --patch FILE")
    from agent.measure import measure_refs

    try:
        result = measure_refs(
            repo, bench, base, head, patch, test, pairs, sandbox or "auto", say,
            bench_select=bench_select,
        )  # fmt: skip
    except PerfagentError as exc:
        fail(str(exc).splitlines()[0] if exc.exit_code == 2 else str(exc), exc.exit_code)
    if as_json:
        emit_json(result.to_json())
    rt = result.runtime
    say(f"verdict: {result.verdict}" + (f" — {result.reason}" if result.reason else ""))
    if rt and not result.workloads:
        say(
            f"runtime ratio {rt.ratio:.3f} (95% CI {rt.ci_low:.3f}-{rt.ci_high:.3f}, "
            f"p={rt.p_value:.2g}, {rt.n_pairs} pairs)"
        )
    for line in text_table([w.to_json() for w in result.workloads], indent="  "):
        say(line)
    raise typer.Exit(0 if result.verdict == "faster" else 1)
