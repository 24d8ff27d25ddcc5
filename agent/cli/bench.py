"""`perfagent batch` and `perfagent validate` (mounted on the main app by `agent/cli/__init__.py`).

Both read a benchmark file (`--format gso|sweperf|swefficiency|native`, JSON or JSONL). With
`--json` each prints one JSON object per instance per line on stdout as soon as it is known,
and a last line `{"summary": {...}}` with the benchmark's own score; progress goes to stderr.
Exit codes: 0 done (validate: every measured expert reproduced; batch: at least one patch
accepted), 1 not so, 2 bad input (unreadable file, unknown format).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from agent.cli.common import SandboxOpt, fail, say
from agent.exceptions import PerfagentError
from tasks.formats import Loaded, load_instances
from tasks.native import TaskError
from tasks.repos import RepoConfig

FormatOpt = Annotated[
    str, typer.Option("--format", "-f", help="gso, sweperf, swefficiency or native.")
]
TasksArg = Annotated[Path, typer.Argument(help="Instance file (.json list/object or .jsonl).")]
RepoCacheOpt = Annotated[
    Path | None,
    typer.Option("--repo-cache", help="Mirror dir of owner__name clones or bare repos."),
]
WorkDirOpt = Annotated[
    Path,
    typer.Option("--work-dir", help="Where per-instance workspaces are created."),
]
NoCloneOpt = Annotated[
    bool, typer.Option("--no-clone", help="Never clone from the forge; local copies only.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="One JSON object per line on stdout.")]
EnvSpecOpt = Annotated[
    Path | None,
    typer.Option("--env-spec", help="Environment recipes by repo and version (JSON, see docs)."),
]
RayAddressOpt = Annotated[
    str | None,
    typer.Option(
        "--ray-address",
        help="Existing Ray cluster (HOST:PORT or auto) [default: a local Ray instance]; "
        "a cluster over several machines needs a PostgreSQL --db (docs/clusters.md).",
    ),
]
LeaseOpt = Annotated[
    float,
    typer.Option(
        min=2.0, help="Seconds a run whose worker stopped renewing it (a dead node) stays held."
    ),
]
OnlyOpt = Annotated[
    list[str] | None, typer.Option("--only", help="Only these instance ids (repeatable).")
]


def load(tasks: Path, fmt: str, only: list[str] | None) -> list[Loaded]:
    try:
        loaded = load_instances(tasks, fmt)
    except TaskError as exc:
        fail(str(exc))
    if only:
        loaded = [item for item in loaded if item.instance_id in set(only)]
        if not loaded:
            fail(f"none of {', '.join(only)} is in {tasks}")
    return loaded


def repo_config(tasks: Path, cache: Path | None, work_dir: Path, no_clone: bool) -> RepoConfig:
    if cache is not None and not cache.is_dir():
        fail(f"--repo-cache {cache}: no such directory")
    return RepoConfig(
        work_dir=work_dir.resolve(),
        cache_dir=cache.resolve() if cache else None,
        base_dir=tasks.resolve().parent,
        allow_clone=not no_clone,
    )


def fmt_num(value: Any, spec: str = ".3f") -> str:
    return "-" if value is None else format(value, spec)


def emit(row: dict[str, Any], as_json: bool, outcome: str, out: TextIO | None = None) -> None:
    """One instance's row on `out` (stdout as it was when the command started: Ray points
    `sys.stdout` at stderr while it runs, so its logs never mix with the rows)."""
    line = (
        json.dumps(row, default=str)
        if as_json
        else (
            f"{row['instance_id']:<40} {row['status']:<15} speedup {fmt_num(row.get('speedup'), '.2f'):>7}"
            f"  expert {fmt_num(row.get('expert_speedup'), '.2f'):>7}  {row.get('verdict') or '-':<8}"
            f" {outcome}={row.get(outcome)}  {(row.get('reason') or '')[:80]}"
        )
    )
    print(line, file=out or sys.stdout, flush=True)


def validate(
    tasks: TasksArg,
    fmt: FormatOpt,
    repo_cache: RepoCacheOpt = None,
    work_dir: WorkDirOpt = Path(".perfagent/workspaces"),
    no_clone: NoCloneOpt = False,
    sandbox: SandboxOpt = None,
    iterations: Annotated[
        int,
        typer.Option(
            min=5,
            help="Runs per probe and state (5 at least: with fewer, no "
            "Mann-Whitney p can fall below the 0.01 level).",
        ),
    ] = 10,
    tolerance: Annotated[
        float, typer.Option(min=0.0, help="Relative band around a recorded expert speedup.")
    ] = 0.15,
    env_spec: EnvSpecOpt = None,
    only: OnlyOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Measure each instance's expert patch against its base: does the harness reproduce it?"""
    from agent.batch.validate import ValidateConfig, summarize, validate_one
    from agent.wiring import pick_sandbox

    loaded = load(tasks, fmt, only)
    repos = repo_config(tasks, repo_cache, work_dir, no_clone)
    try:
        factory = pick_sandbox(sandbox or "auto", say)
    except PerfagentError as exc:
        fail(str(exc))
    config = ValidateConfig(iterations=iterations, tolerance=tolerance)
    specs = spec_book(env_spec)
    rows = []
    for item in loaded:
        row = validate_one(item, repos, factory, config, say, specs)
        rows.append(row)
        emit(row, as_json, "reproduced")
    emit_summary(summarize(fmt, rows), as_json)
    measured = [r for r in rows if r["status"] == "ok"]
    raise typer.Exit(0 if measured and all(r["reproduced"] for r in measured) else 1)


def batch(
    tasks: TasksArg,
    fmt: FormatOpt,
    workers: Annotated[int, typer.Option(min=1, help="Instances optimized at once.")] = 1,
    ray_address: RayAddressOpt = None,
    lease: LeaseOpt = 60.0,
    predictions: Annotated[
        Path | None, typer.Option(help="Write predictions (JSONL, the benchmark's format) here.")
    ] = None,
    model: Annotated[str | None, typer.Option(help="Model (as for optimize).")] = None,
    model_name: Annotated[
        str | None, typer.Option(help="model_name_or_path in predictions [default: --model].")
    ] = None,
    budget: Annotated[int, typer.Option(min=1, help="Candidates per instance.")] = 3,
    grade: Annotated[
        bool, typer.Option(help="Grade accepted patches with the benchmark's metric.")
    ] = True,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Store URL or SQLite path [default: WORK_DIR/perfagent.db]."),
    ] = None,
    repo_cache: RepoCacheOpt = None,
    work_dir: WorkDirOpt = Path(".perfagent/workspaces"),
    no_clone: NoCloneOpt = False,
    sandbox: SandboxOpt = None,
    env_spec: EnvSpecOpt = None,
    only: OnlyOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Optimize every instance with bounded concurrency on Ray; reruns skip finished ones."""
    need_ray()
    from agent.batch.driver import BatchConfig, default_sys_path, run_batch, summarize

    loaded = load(tasks, fmt, only)
    repos = repo_config(tasks, repo_cache, work_dir, no_clone)
    run = batch_run_config({"model": model, "budget": budget, "sandbox": sandbox})
    config = BatchConfig(
        fmt=fmt,
        repos=repos,
        db=batch_db(db, repos.work_dir),
        run=run,
        workers=workers,
        ray_address=ray_address,
        lease_s=lease,
        grade=grade,
        model_name=model_name,
        env_spec=env_spec.resolve() if env_spec and spec_book(env_spec) else None,
        sys_path=default_sys_path(),
    )
    out = sys.stdout
    rows = run_batch(loaded, config, say, lambda row: emit(row, as_json, "accepted", out))
    if predictions is not None:
        write_predictions(predictions, loaded, config)
    emit_summary(summarize(fmt, rows), as_json)
    raise typer.Exit(0 if any(r.get("accepted") for r in rows) else 1)


def need_ray() -> None:
    if importlib.util.find_spec("ray") is None:
        fail("perfagent batch needs Ray: pip install 'perfagent[batch]'")


def spec_book(path: Path | None) -> Any:
    """The user's environment specs, read before any work (a bad file is bad input)."""
    from tasks.envspec import load_spec_book

    if path is None:
        return None
    try:
        return load_spec_book(path)
    except TaskError as exc:
        fail(str(exc))


def batch_run_config(flags: dict[str, Any]) -> Any:
    """Each instance's run settings: the flags over the environment over the defaults."""
    from agent.config import resolve_config
    from agent.runs import settle

    try:
        return settle(resolve_config(flags))
    except PerfagentError as exc:
        fail(str(exc), exc.exit_code)


def batch_db(db: str | None, work_dir: Path) -> str:
    from storage import sqlite_url

    if db and "://" in db:
        return db
    return sqlite_url(Path(db).resolve() if db else work_dir / "perfagent.db")


def write_predictions(path: Path, loaded: Sequence[Loaded], config: Any) -> None:
    from agent.batch.driver import export_predictions

    try:
        n = export_predictions(path, loaded, config)
    except TaskError as exc:
        fail(str(exc))
    say(f"perfagent: wrote {n} predictions to {path}")


def emit_summary(summary: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps({"summary": summary}), flush=True)
    else:
        print(f"summary: {json.dumps(summary)}", flush=True)
