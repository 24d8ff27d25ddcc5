"""What every sandbox kind shares: a work tree with scratch beside it, a closed flag, and the
execute scaffolding that keeps protected files intact around each command.

A kind implements `_run` (one contained command) and may extend `_release` (what to tear
down before the work tree goes: containers, cgroups).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from types import TracebackType

from sandbox.base import ExecResult, Limits, SandboxError
from sandbox.worktree import WorkTree


class TreeSandbox:
    kind = "tree"

    def __init__(self, tree: WorkTree, limits: Limits) -> None:
        self.tree = tree
        self.limits = limits
        self._closed = False

    @property
    def host_root(self) -> Path:
        return self.tree.root

    @property
    def host_scratch(self) -> Path:
        return self.tree.base / "scratch"

    def __enter__(self) -> TreeSandbox:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def execute(
        self,
        command: str,
        *,
        timeout: float | None = None,
        env: Mapping[str, str] | None = None,
    ) -> ExecResult:
        """Run `bash -c command` in `workdir`: contained, killed with everything it started
        after `timeout` (default `limits.timeout_s`) seconds. Never raises for what the command
        does: timeouts, kills, floods and tampering all come back in the ExecResult."""
        if self._closed:
            raise SandboxError("sandbox is closed")
        limit = float(self.limits.timeout_s if timeout is None else timeout)
        self.tree.restore_protected()
        result, blocked = self._run(command, limit, env)
        tampered = tuple(sorted(set(self.tree.restore_protected()) | set(blocked)))
        return replace(result, tampered=tampered) if tampered else result

    def _run(
        self, command: str, timeout: float, env: Mapping[str, str] | None
    ) -> tuple[ExecResult, tuple[str, ...]]:
        """One command; the result and the protected paths it was found tampering with."""
        raise NotImplementedError

    def diff(self) -> str:
        """`git diff` of the work tree against the spec's ref, new files included."""
        if self._closed:
            raise SandboxError("sandbox is closed")
        return self.tree.diff()

    def close(self) -> None:
        """Tear everything down; idempotent."""
        if self._closed:
            return
        self._closed = True
        try:
            self._release()
        finally:
            self.tree.remove()

    def _release(self) -> None:
        """What a kind tears down before the work tree is removed."""
