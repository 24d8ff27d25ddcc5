"""The sandbox contract: where candidate code runs.

A `Sandbox` is one isolated checkout of the target at a fixed tree (a git ref, plus an
optional patch or set of file replacements). Every `execute` is stateless: a fresh process
(or `docker exec`) with a scrubbed environment, hard limits, and the whole process group
killed from the host side on timeout. Nothing in this package decides anything about speed.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable


@functools.lru_cache(maxsize=512)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def path_matches(path: str, globs: Iterable[str]) -> bool:
    """Whether a relative POSIX path matches any glob; `**/` spans zero or more directories."""
    while path.startswith("./"):
        path = path[2:]
    return any(_glob_regex(g).match(path) for g in globs)


class SandboxError(Exception):
    """A workspace could not be created or used (bad ref, patch does not apply, engine down)."""


class ProtectedPathError(SandboxError):
    """A patch or edit touches a file candidates may not change (tests, benchmark, excluded)."""

    def __init__(self, paths: list[str]) -> None:
        self.paths = paths
        super().__init__("edit touches protected files: " + ", ".join(paths))


@dataclass(frozen=True)
class Limits:
    """Hard limits for every command a sandbox runs."""

    timeout_s: float = 600.0
    """Wall-clock limit per command; the process group (or container) is killed after it."""
    memory_bytes: int = 4 * 1024**3
    """Address-space (local) or cgroup memory (Docker, with swap equal) limit."""
    max_processes: int = 512
    """Process/thread limit (pids cgroup in Docker; RLIMIT_NPROC locally)."""
    max_output_bytes: int = 4 * 1024**2
    """Captured stdout and stderr are each cut to this many bytes."""
    max_file_bytes: int = 1024**3
    """Largest file a command may write."""
    network: bool = False
    """Candidates never get a network; only trusted setup steps may ask for one."""


@dataclass(frozen=True)
class WorkspaceSpec:
    """What to check out for one sandbox."""

    repo: Path
    """Git top-level directory of the target on the host."""
    ref: str
    """Commit (or ref) the work tree is created at."""
    patch: str = ""
    """Unified diff applied on top of `ref` (as `git apply` takes it)."""
    files: Mapping[str, str | None] = field(default_factory=dict)
    """Whole-file replacements applied after `patch` (repo-relative path -> text; None deletes)."""
    subdir: str = ""
    """The task's directory relative to `repo`; commands run there."""
    protected: tuple[str, ...] = ()
    """Globs (repo-relative) candidates may not change: refused in `patch`/`files`, restored
    from `ref` before every command and reported in `ExecResult.tampered` if a command edits them."""
    name: str = "ws"
    """Short label used in work-tree and container names."""


@dataclass(frozen=True)
class ExecResult:
    """The plain outcome of one command."""

    command: str
    returncode: int | None
    """Exit status; None when the command was killed (timeout) before it exited."""
    stdout: str
    stderr: str
    duration_s: float
    """Host wall-clock seconds from spawn to exit (what wall-time samples are made of)."""
    timed_out: bool = False
    peak_rss_bytes: int | None = None
    """Largest resident set of the command's process tree, when the sandbox can tell."""
    output_truncated: bool = False
    tampered: tuple[str, ...] = ()
    """Protected files the command changed (they have been restored since)."""
    killed_reason: str = ""
    """Why the sandbox ended the command early, in words ("timeout after 30 s", "memory limit")."""

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out and not self.tampered

    def tail(self, lines: int = 20) -> str:
        """The last lines of combined output, for one-line errors and reports."""
        text = (self.stdout + ("\n" if self.stdout and self.stderr else "") + self.stderr).rstrip()
        return "\n".join(text.splitlines()[-lines:])


@runtime_checkable
class Sandbox(Protocol):
    """One isolated checkout; commands run statelessly inside it."""

    kind: str
    """"local" or "docker" (recorded with every measurement)."""

    @property
    def workdir(self) -> str:
        """The task directory as commands see it."""

    @property
    def host_root(self) -> Path:
        """The work tree's root on the host (for reading sources and taking diffs)."""

    @property
    def scratch(self) -> str:
        """A writable directory outside the work tree, as commands see it (tool outputs)."""

    @property
    def host_scratch(self) -> Path:
        """`scratch` as seen from the host."""

    def execute(
        self,
        command: str,
        *,
        timeout: float | None = None,
        env: Mapping[str, str] | None = None,
    ) -> ExecResult:
        """Run a shell command in `workdir`; `env` is added to the scrubbed base environment."""

    def diff(self) -> str:
        """`git diff` of the work tree against the spec's ref, new files included."""

    def close(self) -> None:
        """Remove the work tree (or container) and everything the commands left running."""


class SandboxFactory(Protocol):
    """Creates sandboxes of one kind."""

    kind: str

    def open(self, spec: WorkspaceSpec, limits: Limits | None = None) -> Sandbox:
        """Check out `spec` and return a ready sandbox; raise SandboxError if it cannot."""


@contextlib.contextmanager
def opened(
    factory: SandboxFactory, spec: WorkspaceSpec, limits: Limits | None = None
) -> Iterator[Sandbox]:
    """A sandbox for the length of a `with` block, closed whatever happens inside it."""
    sandbox = factory.open(spec, limits)
    try:
        yield sandbox
    finally:
        sandbox.close()
