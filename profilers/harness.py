"""How a workload is run in a sandbox: the shipped runner, shell loops, run classification.

Every file a tool writes goes to the sandbox's scratch under a fresh random name and is read
back from the host side; a workload's stdout is never trusted for numbers.
"""

from __future__ import annotations

import importlib.util
import json
import secrets
import shlex
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from profilers.config import MeasureConfig
from profilers.errors import ToolMissing, WorkloadError, WorkloadStatus
from profilers.workload import Workload
from sandbox.base import ExecResult, Sandbox

RUNNER_NAME = "perfagent_runner.py"
SUITES_NAME = "perfagent_runner_suites.py"
"""The runner's suite half (asv, pytest-benchmark), imported by the runner from scratch."""
LIB_DIR = "perfagent_lib"
"""Where perfagent's own installed `asv_runner` is copied in scratch (see runner_suites.py)."""
HELPER_SOURCE = "perfagent_cgtoggle.c"
HELPER_LIB = "perfagent_cgtoggle.so"


def nonce() -> str:
    """A fresh name part, so a candidate cannot predict (or pre-write) our output files."""
    return secrets.token_hex(8)


@dataclass(frozen=True)
class Harness:
    """A sandbox made ready to run workloads: the interpreter and the runner located."""

    sandbox: Sandbox
    python: str
    """Absolute path of the interpreter (as commands see it); identical on both sides."""
    python_version: str
    runner: str
    """The runner's path as commands see it."""

    def scratch_path(self, name: str) -> str:
        return f"{self.sandbox.scratch}/{name}"

    def host_path(self, name: str) -> Path:
        return self.sandbox.host_scratch / name

    def command(
        self,
        workload: Workload,
        loops: int,
        *,
        status: str | None = None,
        region: str | None = None,
        extra: tuple[str, ...] = (),
        quiet: bool = False,
        via_runner: bool = False,
    ) -> str:
        """The shell command running `workload` `loops` times in one sample (one fresh process
        tree). Commands run `loops` times in subshells (through the runner with `via_runner`,
        which then reports getrusage); others always go through the runner."""
        if workload.kind == "command" and not via_runner:
            inner = f"( {workload.spec}\n)"
            if loops == 1:
                return f"{inner} >/dev/null" if quiet else inner
            body = f"{inner} >/dev/null" if quiet else inner
            return f"for _perfagent_i in $(seq {loops}); do {body} || exit $?; done"
        argv = [
            self.python,
            self.runner,
            "--kind",
            workload.kind,
            "--spec",
            workload.spec,
            "--loops",
            str(loops),
            "--status",
            self.scratch_path(status or f"status-{nonce()}.json"),
        ]
        if workload.kind == "asv":
            argv += ["--root", workload.root]
            if workload.param_index is not None:
                argv += ["--param-index", str(workload.param_index)]
        if region:
            argv += ["--region", region]
        argv += list(extra)
        cmd = shlex.join(argv)
        return f"{cmd} >/dev/null" if quiet else cmd


def base_env(config: MeasureConfig, seed: int) -> dict[str, str]:
    """The environment every workload run gets (identical for base and head)."""
    env = dict(config.env)
    env["PYTHONHASHSEED"] = str(seed)
    return env


def prepare(sandbox: Sandbox, config: MeasureConfig) -> Harness:
    """Locate the interpreter and copy the runner into scratch; ToolMissing without Python."""
    probe = sandbox.execute(
        f"{shlex.quote(config.python)} -c "
        + shlex.quote("import sys; print(sys.executable); print(sys.version.split()[0])"),
        timeout=60,
        env=dict(config.env),
    )
    lines = probe.stdout.strip().splitlines()
    if not probe.ok or len(lines) < 2 or not lines[-2].startswith("/"):
        raise ToolMissing(
            f"cannot run {config.python!r} in the {sandbox.kind} sandbox: "
            + (probe.tail(1) or f"exit {probe.returncode}")
        )
    for source, name in (("runner.py", RUNNER_NAME), ("runner_suites.py", SUITES_NAME)):
        text = resources.files("profilers").joinpath(source).read_text()
        (sandbox.host_scratch / name).write_text(text)
    ship_asv_runner(sandbox.host_scratch / LIB_DIR)
    return Harness(
        sandbox=sandbox,
        python=lines[-2],
        python_version=lines[-1],
        runner=f"{sandbox.scratch}/{RUNNER_NAME}",
    )


def ship_asv_runner(lib: Path) -> None:
    """Copy perfagent's installed `asv_runner` package (pure Python, no dependencies) into
    `lib`, so asv suites run whatever the sandbox's environment holds. Without it installed
    here, asv workloads fail inside the sandbox with an ImportError naming it."""
    if (lib / "asv_runner").is_dir():
        return
    spec = importlib.util.find_spec("asv_runner")
    if spec is None or not spec.submodule_search_locations:
        return
    source = Path(next(iter(spec.submodule_search_locations)))
    part = lib / f"asv_runner.part-{nonce()}"
    shutil.copytree(source, part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    try:
        part.replace(lib / "asv_runner")
    except OSError:  # another prepare of this scratch got there first
        shutil.rmtree(part, ignore_errors=True)


def prepare_pair(base: Sandbox, head: Sandbox, config: MeasureConfig) -> tuple[Harness, Harness]:
    """Both sides ready; both must run the very same interpreter binary."""
    hb, hh = prepare(base, config), prepare(head, config)
    if (hb.python, hb.python_version) != (hh.python, hh.python_version):
        raise ToolMissing(
            f"base and head run different interpreters ({hb.python} {hb.python_version} vs "
            f"{hh.python} {hh.python_version})"
        )
    return hb, hh


def compile_helper(harness: Harness) -> str | None:
    """Build the callgrind client-request helper in scratch; None when `cc` or the valgrind
    headers are missing (callers fall back to N-vs-2N differencing)."""
    src = resources.files("profilers").joinpath("cgtoggle.c").read_text()
    harness.host_path(HELPER_SOURCE).write_text(src)
    lib = harness.scratch_path(HELPER_LIB)
    res = harness.sandbox.execute(
        f"cc -O2 -shared -fPIC -o {shlex.quote(lib)} {shlex.quote(harness.scratch_path(HELPER_SOURCE))}",
        timeout=120,
    )
    built = harness.host_path(HELPER_LIB)
    if not res.ok or not built.is_file():
        return None
    # A command's output reaches the host only; written by the host, it is an input that every
    # later command finds in its scratch (sandbox.base: clean state).
    built.write_bytes(built.read_bytes())
    return lib


def has_tool(sandbox: Sandbox, tool: str) -> bool:
    """Whether `tool` is on the sandbox's PATH."""
    return sandbox.execute(f"command -v {shlex.quote(tool)}", timeout=30).ok


def read_status(harness: Harness, name: str) -> dict[str, Any] | None:
    """The runner's status file, or None when the runner never finished writing it."""
    path = harness.host_path(name)
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    finally:
        path.unlink(missing_ok=True)
    return data if isinstance(data, dict) else None


def check_run(
    res: ExecResult, side: str, status: Mapping[str, Any] | None, uses_runner: bool
) -> None:
    """Raise WorkloadError unless the run finished cleanly (and, via the runner, completely)."""
    if res.timed_out:
        raise WorkloadError(
            "timeout", side, res.killed_reason or f"timed out after {res.duration_s:.0f} s"
        )
    if res.tampered:
        raise WorkloadError("tampered", side, "changed protected files: " + ", ".join(res.tampered))
    if uses_runner and status is not None and not status.get("ok"):
        kind: WorkloadStatus = "output-differs" if status.get("equivalent") is False else "crashed"
        raise WorkloadError(kind, side, str(status.get("error") or "runner reported failure"))
    if res.returncode != 0:
        why = res.killed_reason or f"exit {res.returncode}"
        last = res.tail(1)
        raise WorkloadError("crashed", side, f"{why}: {last}" if last else why)
    if uses_runner and status is None:
        raise WorkloadError(
            "no-result",
            side,
            "the workload ended before the runner wrote its status (exit inside the workload?)",
        )


def run_workload(
    harness: Harness,
    workload: Workload,
    loops: int,
    side: str,
    config: MeasureConfig,
    *,
    seed: int,
    quiet: bool = False,
    extra: tuple[str, ...] = (),
    timeout: float | None = None,
    via_runner: bool = False,
) -> tuple[ExecResult, dict[str, Any] | None]:
    """One fresh run of the workload, checked; returns the result and the runner status."""
    status = f"status-{nonce()}.json"
    runner = workload.uses_runner or via_runner
    cmd = harness.command(
        workload, loops, status=status, extra=extra, quiet=quiet, via_runner=via_runner
    )
    res = harness.sandbox.execute(
        cmd, timeout=timeout or config.timeout_s, env=base_env(config, seed)
    )
    data = read_status(harness, status) if runner else None
    check_run(res, side, data, runner)
    return res, data
