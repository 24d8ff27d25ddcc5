"""`perfagent`: the command line (docs/design.md §3). Progress goes to stderr; `--json` owns
stdout. Exit codes: 0 done, 1 nothing accepted (or not faster), 2 bad input, 3 baseline
broken, 4 perfagent itself failed (one line and the path of the log with the traceback)."""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import signal
import sys
import tempfile
import time
import traceback
import weakref
from pathlib import Path
from typing import Annotated

import typer

from agent.cli import bench, github, run, sandbox, store
from agent.cli.common import JsonOpt, emit_json, say
from agent.exceptions import BadInput

INTERNAL_ERROR = 4

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Make code measurably faster without breaking it.",
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from agent.version import version_line

        print(version_line())
        raise typer.Exit(0)


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Make code measurably faster without breaking it."""


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


for command in (run.optimize, run.resume, store.runs, store.show, store.report, store.apply):
    app.command()(command)
app.command("measure")(run.measure)
app.command("validate")(bench.validate)
app.command("batch")(bench.batch)
app.add_typer(sandbox.app, name="sandbox")
github.mount(app)


def crash_log(exc: BaseException) -> Path:
    """Write the traceback where a user can find it; the path goes into the one-line error."""
    folder = Path(tempfile.gettempdir()) / "perfagent-logs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"crash-{time.strftime('%Y%m%d-%H%M%S')}-{id(exc):x}.log"
    from sandbox.secrets import redact

    path.write_text(redact("".join(traceback.format_exception(exc))))
    return path


def _unwind(signum: int, _frame: object) -> None:
    """SIGTERM ends a command the way Ctrl-C does: every sandbox and work tree it opened is
    closed on the way out (a run in progress marks itself interrupted first)."""
    raise SystemExit(128 + signum)


def main() -> None:
    atexit.register(_leave)  # the first registered runs last
    try:
        _main()
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            _LEAVING.append(exc.code or 0)
        raise


_LEAVING: list[int] = []


def _leave() -> None:
    """The last exit handler, after Python has joined the command's threads and run every
    other handler: finalizers kept for the exit (temporary directories) and logging's flush
    run, then the process leaves without tearing down its thousand imported modules, which
    took over a second after every command. Kept to the normal exit when unsure."""
    finalizers = getattr(weakref.finalize, "_exitfunc", None)
    if not _LEAVING or finalizers is None:
        return
    finalizers()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(_LEAVING[0])


def _main() -> None:
    signal.signal(signal.SIGTERM, _unwind)
    try:
        app()
    except BadInput as exc:
        say(f"perfagent: {exc}")
        sys.exit(2)
    except Exception as exc:  # perfagent's own failure: never shown as "no improvement"
        from sandbox.secrets import redact

        log = crash_log(exc)
        what = redact(str(exc)).splitlines()[0] if str(exc).strip() else ""
        say(f"perfagent failed (internal error): {exc.__class__.__name__}: {what}; log: {log}")
        sys.exit(INTERNAL_ERROR)
