"""Capture and replay on the host side: ship the runners into a sandbox's scratch, run the
base's workload and tests with the recorder on, hand the records to replay processes, read
their JSON back.

The host never unpickles a record or a result: records are opaque bytes it copies from one
scratch to another, and replays answer in plain JSON (normal forms). Every input is written
fresh into scratch right before the command that reads it, under a name no candidate can
predict, and removed after it.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from profilers.checks.changes import Targets
from profilers.config import MeasureConfig
from profilers.harness import Harness, base_env, check_run, nonce, read_status
from profilers.workload import Workload
from sandbox.base import ExecResult, Sandbox

SHIPPED = (
    ("capture_runner.py", "perfagent_capture.py"),
    ("capture_forms.py", "perfagent_forms.py"),
    ("capture_replay.py", "perfagent_replay.py"),
    ("capture_site.py", "sitecustomize.py"),
)
MAX_READ_BYTES = 256 * 1024**2
"""Most record (and replay answer) bytes read back from one capture or replay."""


@dataclass
class Recording:
    """What the base's runs recorded: opaque record streams and the notes beside them."""

    streams: list[bytes] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    workload_s: float = 0.0
    """Host wall time of the workload run under capture."""
    tests_s: float = 0.0
    """Host wall time of the test run under capture (0 without tests)."""

    @property
    def empty(self) -> bool:
        return not any(self.streams)

    def counts(self, key: str) -> dict[str, Any]:
        """A notes field merged over every process (`calls`, `kept`, `skipped`, `unwrapped`)."""
        merged: dict[str, Any] = {}
        for note in self.notes:
            for fid, value in note.get(key, {}).items():
                if isinstance(value, dict):
                    slot = merged.setdefault(fid, {})
                    for why, n in value.items():
                        slot[why] = slot.get(why, 0) + n
                elif isinstance(value, int):
                    merged[fid] = merged.get(fid, 0) + value
                else:
                    merged.setdefault(fid, value)
        return merged


def ship(sandbox: Sandbox) -> str:
    """Write the runners into a fresh scratch directory; its path as commands see it."""
    name = f"pa-capture-{nonce()}"
    target = sandbox.host_scratch / name
    target.mkdir(parents=True)
    for source, shipped in SHIPPED:
        text = resources.files("profilers").joinpath(source).read_text()
        (target / shipped).write_text(text)
    return f"{sandbox.scratch}/{name}"


def _collect(host_dir: Path) -> tuple[list[bytes], list[dict[str, Any]]]:
    streams: list[bytes] = []
    notes: list[dict[str, Any]] = []
    total = 0
    if host_dir.is_dir():
        for path in sorted(host_dir.iterdir()):
            if not path.is_file() or path.is_symlink():
                continue
            size = path.stat().st_size
            if path.name.startswith("rec-") and total + size <= MAX_READ_BYTES:
                streams.append(path.read_bytes())
                total += size
            elif path.name.startswith("notes-") and path.name.endswith(".json"):
                try:
                    notes.append(json.loads(path.read_text()))
                except (OSError, ValueError):
                    continue
    shutil.rmtree(host_dir, ignore_errors=True)
    return streams, notes


def _capture_env(
    config: MeasureConfig, shipped: str, config_path: str, seed: int
) -> dict[str, str]:
    env = base_env(config, seed)
    existing = env.get("PYTHONPATH")
    env["PYTHONPATH"] = f"{shipped}:{existing}" if existing else shipped
    env["PERFAGENT_CAPTURE"] = config_path
    return env


def record(
    harness: Harness,
    workload: Workload,
    tests: str | None,
    targets: Targets,
    config: MeasureConfig,
) -> Recording:
    """Run the workload on the base with the recorder on, then the tests for the targets the
    workload never called (a full test run per candidate costs more than it adds where the
    workload already calls them). A failing workload raises WorkloadError (side "base");
    failing tests only record less."""
    sb = harness.sandbox
    shipped = ship(sb)
    out = Recording()
    wanted = targets.as_json()["functions"]
    runs: list[tuple[str, Workload | str]] = [("workload", workload)]
    if tests:
        runs.append(("tests", tests))
    for what, run in runs:
        if what == "tests":
            wanted = _unrecorded(wanted, out)
            if not wanted:
                break
        tag = f"pa-rec-{nonce()}"
        settings = {"workdir": sb.workdir, "targets": wanted, "out": f"{sb.scratch}/{tag}"}
        config_name = f"{shipped.rsplit('/', 1)[-1]}/capture-{nonce()}.json"
        (sb.host_scratch / config_name).write_text(json.dumps(settings))
        env = _capture_env(config, shipped, f"{sb.scratch}/{config_name}", config.seeds[0])
        res = _run_capture(harness, run, env, config)
        streams, notes = _collect(sb.host_scratch / tag)
        out.streams += streams
        out.notes += notes
        if what == "workload":
            out.workload_s = res.duration_s
        else:
            out.tests_s = res.duration_s
    shutil.rmtree(sb.host_scratch / shipped.rsplit("/", 1)[-1], ignore_errors=True)
    return out


def _unrecorded(wanted: dict[str, list[str]], rec: Recording) -> dict[str, list[str]]:
    """The targets the workload never recorded a call of (the tests may)."""
    kept = rec.counts("kept")
    left = {p: [q for q in names if not kept.get(f"{p}::{q}")] for p, names in wanted.items()}
    return {p: names for p, names in left.items() if names}


def _run_capture(
    harness: Harness, run: Workload | str, env: dict[str, str], config: MeasureConfig
) -> ExecResult:
    if isinstance(run, str):
        return harness.sandbox.execute(run, timeout=config.timeout_s, env=env)
    status = f"status-{nonce()}.json"
    cmd = harness.command(run, 1, status=status, quiet=True)
    res = harness.sandbox.execute(cmd, timeout=config.timeout_s, env=env)
    data = read_status(harness, status) if run.uses_runner else None
    check_run(res, "base", data, run.uses_runner)
    return res


@dataclass(frozen=True)
class ReplayRun:
    """One replay process: its answer (None when it wrote none) and how it ended."""

    answer: dict[str, Any] | None
    result: ExecResult

    @property
    def failure(self) -> str:
        """Why there is no answer, in one line."""
        res = self.result
        if res.timed_out:
            return res.killed_reason or f"timed out after {res.duration_s:.0f} s"
        last = res.tail(1)
        why = res.killed_reason or f"exit {res.returncode}"
        return f"{why}: {last}" if last else f"{why}, without an answer"


def replay(
    harness: Harness,
    recording: Recording,
    targets: Targets,
    config: MeasureConfig,
    plan: dict[str, Any],
) -> ReplayRun:
    """Run one replay process in `harness`'s sandbox with `plan` (mode, variants, loops...)."""
    sb = harness.sandbox
    shipped = ship(sb)
    folder = shipped.rsplit("/", 1)[-1]
    inputs: dict[str, list[str]] = {"records": [], "notes": []}
    for n, stream in enumerate(recording.streams):
        (sb.host_scratch / folder / f"rec-{n}.pkl").write_bytes(stream)
        inputs["records"].append(f"{shipped}/rec-{n}.pkl")
    for n, note in enumerate(recording.notes):
        (sb.host_scratch / folder / f"notes-{n}.json").write_text(json.dumps(note))
        inputs["notes"].append(f"{shipped}/notes-{n}.json")
    full = {
        "workdir": sb.workdir,
        "rebuilt": targets.as_json()["rebuilt"],
        **inputs,
        **plan,
    }
    (sb.host_scratch / folder / "plan.json").write_text(json.dumps(full))
    answer_name = f"replay-{nonce()}.json"
    argv = [harness.python, f"{shipped}/perfagent_replay.py", "--plan", f"{shipped}/plan.json"]
    argv += ["--out", f"{sb.scratch}/{answer_name}"]
    env = base_env(config, config.seeds[0])
    try:
        res = sb.execute(shlex.join(argv), timeout=config.timeout_s, env=env)
        answer = _read_answer(sb.host_scratch / answer_name)
    finally:
        shutil.rmtree(sb.host_scratch / folder, ignore_errors=True)
        (sb.host_scratch / answer_name).unlink(missing_ok=True)
    if res.returncode != 0 or res.timed_out:
        answer = None
    return ReplayRun(answer, res)


def _read_answer(path: Path) -> dict[str, Any] | None:
    try:
        if path.is_symlink() or os.path.getsize(path) > MAX_READ_BYTES:
            return None
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
