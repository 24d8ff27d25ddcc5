"""The sandbox contract: where candidate code runs.

A `Sandbox` is one isolated checkout of the target at a fixed tree (a git ref, plus an
optional patch or set of file replacements). Every `execute` is stateless: a fresh process
tree with a scrubbed environment, hard limits, everything it started killed when it ends.
Nothing in this package decides anything about speed.

Clean state, for every command (`execute`):
- it starts with an empty HOME, an empty TMPDIR (and /tmp, /var/tmp, /dev/shm in the Docker
  sandbox and the isolating local one) and a scratch directory holding only what the host put
  there (`host_scratch`), never what an earlier command wrote;
- it sees the work tree as opened (plus the writes of earlier `keep_writes` commands);
- whatever it writes outside scratch is discarded when it ends and listed in
  `ExecResult.writes`: HOME, TMPDIR, /tmp, the host's or image's files, and the work tree,
  unless the command was run with `keep_writes=True` (setup and build steps, whose work-tree
  edits persist). What it writes to scratch is handed to the host (`host_scratch`) only; the
  host makes such a file an input of later commands by writing it itself.
  So the tree is read-only in effect for workload runs and tests (both may write caches while
  they run; nothing survives them), and nothing a command leaves can reach the next one.
- Resetting and listing happen outside the timed region: `ExecResult.duration_s` covers the
  command itself, not the sandbox's setup or teardown.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable


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
    writes: tuple[str, ...] = ()
    """What the command wrote outside scratch (files, links, deletions, new empty directories),
    discarded since, sorted. Each path is as the command saw it, with the sandbox's own roots
    spelled `$TREE/` (work tree), `$HOME/` and `$TMPDIR/`, so two sandboxes' writes compare.
    At most `MAX_WRITES` entries; a last entry `... N more` says how many were left out."""

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out and not self.tampered

    def tail(self, lines: int = 20) -> str:
        """The last lines of combined output, for one-line errors and reports."""
        text = (self.stdout + ("\n" if self.stdout and self.stderr else "") + self.stderr).rstrip()
        return "\n".join(text.splitlines()[-lines:])


MAX_WRITES = 200
"""How many written paths an ExecResult lists at most."""


def cap_writes(paths: Iterable[str]) -> tuple[str, ...]:
    """Sorted, de-duplicated and capped at MAX_WRITES (with a `... N more` entry)."""
    found = sorted(set(paths))
    if len(found) <= MAX_WRITES:
        return tuple(found)
    return (*found[: MAX_WRITES - 1], f"... {len(found) - MAX_WRITES + 1} more")


@runtime_checkable
class Sandbox(Protocol):
    """One isolated checkout; commands run statelessly inside it (see the module docstring)."""

    kind: str
    """"local" or "docker" (recorded with every measurement)."""
    sees_all_writes: bool
    """Whether `ExecResult.writes` covers every path a command can write (Docker, and the local
    sandbox with a private mount namespace); False: only the work tree, HOME, TMPDIR and
    scratch (a local sandbox without namespaces: writes elsewhere reach the host unseen)."""

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
        keep_writes: bool = False,
    ) -> ExecResult:
        """Run a shell command in `workdir` from a clean state; `env` is added to the scrubbed
        base environment. With `keep_writes`, the command's edits to the work tree persist
        (setup, builds); without (workloads, tests), they are discarded and listed."""

    def diff(self) -> str:
        """`git diff` of the work tree against the spec's ref, new files included."""

    def close(self) -> None:
        """Remove the work tree (or container) and everything the commands left running."""


class SandboxFactory(Protocol):
    """Creates sandboxes of one kind."""

    kind: str

    def open(self, spec: WorkspaceSpec, limits: Limits | None = None) -> Sandbox:
        """Check out `spec` and return a ready sandbox; raise SandboxError if it cannot."""

    def prewarm(self, spec: WorkspaceSpec, limits: Limits | None = None) -> None:
        """Start opening `spec` in the background (check-out, container start), so a later
        `open` of the same spec and limits returns at once. Never runs a command: it cannot
        disturb a measurement beyond the CPU the set-up itself takes."""


@contextlib.contextmanager
def opened_apart(
    factory: SandboxFactory, specs: Sequence[WorkspaceSpec], lock: AbstractContextManager[Any]
) -> Iterator[list[Sandbox]]:
    """Sandboxes for the length of a `with` block, each opened and closed while holding `lock`:
    threads may share a factory that way (factories are not thread-safe; commands in distinct
    sandboxes are)."""
    with contextlib.ExitStack() as stack:
        boxes = []
        with lock:
            for spec in specs:
                box = factory.open(spec)
                stack.callback(_closed_under, lock, box)
                boxes.append(box)
        yield boxes


def _closed_under(lock: AbstractContextManager[Any], box: Sandbox) -> None:
    with lock:
        box.close()


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
