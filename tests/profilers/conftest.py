"""Fixtures for the profiler tests: a base/head pair of sandboxes over small trees.

`open_pair` uses the real local sandbox (git work trees, contained processes) when it is
importable, and `DirSandbox`, a minimal test double of the `Sandbox` protocol (a directory,
one fresh `bash -c` per command, host-side timing), when asked or when it is not.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from profilers.checks.behaviour import behaviour
from profilers.checks.generalization import generalization
from profilers.checks.perturbed import perturbed
from profilers.config import MeasureConfig
from profilers.evaluate import Cascade, equivalence, walltime
from profilers.results import Check
from profilers.workload import Workload
from sandbox.base import ExecResult, Sandbox, WorkspaceSpec

try:
    from sandbox.local import LocalSandboxConfig, LocalSandboxFactory
except ImportError:  # pragma: no cover - before the local sandbox landed
    LocalSandboxFactory = None  # type: ignore[assignment,misc]

GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@t.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@t.invalid",
}


class DirSandbox:
    """The `Sandbox` protocol over a plain directory: fresh process per command, host timing,
    peak RSS unknown (so the runner's getrusage fallback is exercised)."""

    kind = "local"

    def __init__(self, root: Path, path: str | None = None) -> None:
        self.root = root / "tree"
        self._scratch = root / "scratch"
        self._scratch.mkdir(parents=True, exist_ok=True)
        self.path = path or os.environ.get("PATH", os.defpath)

    @property
    def workdir(self) -> str:
        return str(self.root)

    @property
    def host_root(self) -> Path:
        return self.root

    @property
    def scratch(self) -> str:
        return str(self._scratch)

    @property
    def host_scratch(self) -> Path:
        return self._scratch

    def execute(
        self, command: str, *, timeout: float | None = None, env: Mapping[str, str] | None = None
    ) -> ExecResult:
        full = {"PATH": self.path, "HOME": str(self._scratch), "PYTHONHASHSEED": "0", **(env or {})}
        start = time.perf_counter()
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            proc = subprocess.Popen(
                ["bash", "-c", command],
                cwd=self.root,
                env=full,
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
            timed_out = False
            try:
                proc.wait(timeout=timeout or 600)
            except subprocess.TimeoutExpired:
                timed_out = True
            duration = time.perf_counter() - start
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            out.seek(0)
            err.seek(0)
            stdout = out.read().decode(errors="replace")
            stderr = err.read().decode(errors="replace")
        return ExecResult(
            command=command,
            returncode=None if timed_out else proc.returncode,
            stdout=stdout,
            stderr=stderr,
            duration_s=duration,
            timed_out=timed_out,
            killed_reason=f"timeout after {timeout:g} s" if timed_out else "",
        )

    def diff(self) -> str:
        return ""

    def close(self) -> None:
        shutil.rmtree(self.root.parent, ignore_errors=True)


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, env={**os.environ, **GIT_ENV}
    )


def _write(root: Path, files: Mapping[str, str]) -> None:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)


OpenPair = Callable[..., tuple[Sandbox, Sandbox]]


@pytest.fixture
def open_pair(tmp_path: Path) -> Iterator[OpenPair]:
    """`open_pair(base_files, head_changes={}, double=False)` -> (base, head) sandboxes whose
    trees are `base_files` and `base_files` updated with `head_changes`."""
    opened: list[Sandbox] = []
    count = iter(range(100))

    def make(
        base_files: Mapping[str, str],
        head_changes: Mapping[str, str] | None = None,
        double: bool = False,
        path: str | None = None,
    ) -> tuple[Sandbox, Sandbox]:
        n = next(count)
        head_files = {**base_files, **(head_changes or {})}
        if double or path or LocalSandboxFactory is None:
            pair = []
            for name, files in (("base", base_files), ("head", head_files)):
                root = tmp_path / f"d{n}-{name}"
                _write(root / "tree", files)
                pair.append(DirSandbox(root, path))
            opened.extend(pair)
            return pair[0], pair[1]
        repo = tmp_path / f"repo{n}"
        repo.mkdir()
        _git(repo, "init", "-q")
        _write(repo, base_files)
        _git(repo, "add", "-A")
        _git(repo, "commit", "-qm", "base")
        _write(repo, head_files)
        _git(repo, "add", "-A")
        _git(repo, "commit", "-qm", "head", "--allow-empty")
        factory = LocalSandboxFactory(LocalSandboxConfig(tmp_root=tmp_path / "trees"))
        base = factory.open(WorkspaceSpec(repo=repo, ref="HEAD~1", name="base"))
        head = factory.open(WorkspaceSpec(repo=repo, ref="HEAD", name="head"))
        opened.extend([base, head])
        return base, head

    yield make
    for sb in opened:
        sb.close()


def loop_script(n: int, body: str = "s += i % 7") -> str:
    """A module whose `work()` runs a pure-Python loop of `n` iterations."""
    return f"N = {n}\n\n\ndef work():\n    s = 0\n    for i in range(N):\n        {body}\n    return s >= 0\n"


PERF_SCRIPT = """\
import json

import lib


def setup():
    return None


def experiment(data):
    return lib.work()


def store_result(result, filename):
    with open(filename, "w") as fh:
        json.dump(result, fh)


def load_result(filename):
    with open(filename) as fh:
        return json.load(fh)


def check_equivalence(reference, current):
    assert reference == current, (reference, current)
"""

BENCH = "import lib\nprint('result', lib.work())\n"


def generalization_of(base: Sandbox, head: Sandbox, config: MeasureConfig) -> Check:
    """The generalization check of `head` against `base` on `python3 bench.py`, after the
    stages before it (each must pass)."""
    c = Cascade(base, head, Workload("command", "python3 bench.py"), None, config, print)
    for stage in (equivalence, walltime, behaviour, perturbed, generalization):
        assert stage(c) is None, c.checks[-1].reason
    return {ch.name: ch for ch in c.checks}["generalization"]
