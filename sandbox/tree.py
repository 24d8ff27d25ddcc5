"""What every sandbox kind shares: a work tree with scratch beside it, a closed flag, and the
execute scaffolding that keeps protected files intact and the tree clean around each command.

A kind implements `_run` (one contained command, starting from a clean HOME/TMPDIR/scratch,
reporting what it wrote outside the tree, and inside it as `$TREE/...` when the kind isolates
the tree itself) and may extend `_release` (what to tear down before the work tree goes).
When the kind cannot isolate the tree, `guard` puts it back after each command.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from types import TracebackType

from sandbox.base import ExecResult, Limits, SandboxError, cap_writes
from sandbox.treeguard import TreeGuard
from sandbox.worktree import WorkTree, is_protected

TREE_PREFIX = "$TREE/"


class TreeSandbox:
    kind = "tree"
    sees_all_writes = False

    def __init__(self, tree: WorkTree, limits: Limits, guard: TreeGuard | None = None) -> None:
        self.tree = tree
        self.limits = limits
        self.guard = guard
        """Restores the tree after commands whose writes must not persist (None: `_run` does)."""
        self._closed = False
        self._kept_clean = False
        """The last command left the tree as checked out (its writes were never let in, were
        put back, or were kept and their protected files restored) and nothing else can have
        written it since: the next command need not look at protected files first."""
        if guard is not None:
            guard.baseline()

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
        keep_writes: bool = False,
    ) -> ExecResult:
        """Run `bash -c command` in `workdir`: contained, from a clean state, killed with
        everything it started after `timeout` (default `limits.timeout_s`) seconds. Never raises
        for what the command does: timeouts, kills, floods, tampering and writes all come back
        in the ExecResult."""
        if self._closed:
            raise SandboxError("sandbox is closed")
        limit = float(self.limits.timeout_s if timeout is None else timeout)
        if not self._kept_clean:
            self.tree.restore_protected()
        self._kept_clean = False
        result, blocked = self._run(command, limit, env, keep_writes)
        writes = list(result.writes)
        restored: tuple[str, ...] = ()
        if keep_writes:
            restored = self.tree.restore_protected()
            if self.guard is not None:
                self.guard.baseline()
        elif self.guard is not None:  # else the kind kept the tree untouched itself
            writes += [TREE_PREFIX + rel for rel in self.guard.settle()]
        in_tree = [w[len(TREE_PREFIX) :] for w in writes if w.startswith(TREE_PREFIX)]
        touched = {rel for rel in in_tree if _holds_protected(rel, self.tree.protected)}
        tampered = tuple(sorted(set(restored) | set(blocked) | touched))
        # Every process of the command has ended by now. Where a kind confines every write of
        # unprivileged commands, no other command on this host reaches the tree either
        # (without that, another candidate's command may have written it since).
        self._kept_clean = self.sees_all_writes and self.tree.commands_unprivileged
        return replace(result, tampered=tampered, writes=cap_writes(writes))

    def _run(
        self, command: str, timeout: float, env: Mapping[str, str] | None, keep_writes: bool
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


def _holds_protected(rel: str, globs: tuple[str, ...]) -> bool:
    """Whether `rel` is protected or is a directory protected files live in (a command that
    replaced `tests` with a link tampered with every test)."""
    return is_protected(rel, globs) or is_protected(rel + "/-", globs)
