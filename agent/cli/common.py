"""What every `perfagent` subcommand shares: options, messages, the store location."""

from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path
from typing import Annotated, Any, NoReturn

import git
import typer

from agent.wiring import store_at
from storage import Store, StoreError, sqlite_url

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")]
DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db", help="SQLAlchemy URL or SQLite path [default: REPO/.perfagent/perfagent.db]"
    ),
]
SandboxOpt = Annotated[
    str | None,
    typer.Option(
        "--sandbox", help="auto (Docker when available), docker or local [default: auto]."
    ),
]

BenchSelectOpt = Annotated[
    str | None,
    typer.Option(
        "--bench-select",
        help="Measure the suite benchmarks whose name matches this regex [default: those a "
        "candidate's change runs, plus a sample of the rest].",
    ),
]


def say(message: str) -> None:
    """One whole line on stderr: threads (counts side by side, background model calls) may
    speak at once, and `print` writes the newline apart from the message."""
    with _SAYING:
        sys.stderr.write(message + "\n")
        sys.stderr.flush()


_SAYING = threading.Lock()


def fail(message: str, code: int = 2) -> NoReturn:
    say(f"perfagent: {message}")
    raise typer.Exit(code)


def db_url(db: str | None, repo_top: Path | None = None) -> str:
    """`--db` as given (URL or path), else PERFAGENT_DB, else the repo's `.perfagent/perfagent.db`."""
    db = db or os.environ.get("PERFAGENT_DB")
    if db:
        return db if "://" in db else sqlite_url(Path(db).resolve())
    if repo_top is None:
        try:
            found = git.Repo(Path.cwd(), search_parent_directories=True).working_tree_dir
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            found = None
        if found is None:
            fail("not in a git repository: pass --db URL (or run inside the optimized repo)")
        repo_top = Path(found)
    exclude = repo_top / ".git" / "info" / "exclude"
    if exclude.parent.is_dir() and ".perfagent/" not in (
        exclude.read_text() if exclude.exists() else ""
    ):
        with exclude.open("a") as fh:
            fh.write("\n.perfagent/\n")
    return sqlite_url(repo_top / ".perfagent" / "perfagent.db")


def open_store(url: str) -> Store:
    try:
        return store_at(url)
    except StoreError as exc:
        fail(str(exc).splitlines()[0])


def emit_json(data: Any) -> None:
    print(json.dumps(data, indent=2, default=str))
