"""`perfagent runs`, `show`, `report` and `apply`: what the store holds."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Annotated

import typer

from agent.cli.common import DbOpt, JsonOpt, db_url, emit_json, fail, open_store, say
from agent.cli.run import describe
from agent.views.summary import run_summary
from storage.vocabulary import Status


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


def report(
    run_id: str,
    html: Annotated[Path, typer.Option("--html", help="Where to write the page.")],
    db: DbOpt = None,
) -> None:
    """Write a self-contained offline HTML report: Pareto plot, plans, diffs, CIs, flame graph."""
    from agent.views.report import write_report

    store = open_store(db_url(db))
    store.mark_interrupted()
    run = store.run(run_id) or fail(f"no run {run_id!r} in {store.url}")
    write_report(store, run.id, html)
    say(f"report written to {html}")


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
    if cand.status != Status.ACCEPTED:
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
