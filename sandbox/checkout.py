"""The task's files at the base plus a patch, read on the host in a git work tree.

Reading files and taking diffs runs no candidate code, so it needs no sandbox: a plain work
tree is enough (and far cheaper than a container). Implements `agent.protocols.Checkout`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from sandbox.base import WorkspaceSpec
from sandbox.worktree import WorkTree

MAX_SOURCE_BYTES = 256 * 1024
"""Larger files are never shown to a planner or coder (generated data, vendored bundles)."""


@dataclass(frozen=True)
class GitCheckout:
    spec: WorkspaceSpec
    """The base workspace: repo, commit, task directory and protected globs."""
    editable: Callable[[str], bool]
    """Whether a task-relative path may be edited (and so shown)."""

    @contextmanager
    def tree(self, patch: str = "", files: Mapping[str, str] | None = None) -> Iterator[WorkTree]:
        spec = replace(self.spec, patch=patch, files=dict(files or {}), name="checkout")
        tree = WorkTree.create(spec)
        try:
            yield tree
        finally:
            tree.remove()

    def sources(self, patch: str = "") -> dict[str, str]:
        with self.tree(patch) as tree:
            return read_sources(tree.root / self.spec.subdir, self.editable)

    def diff(self, patch: str, files: Mapping[str, str]) -> str:
        in_repo = {self._in_repo(p): text for p, text in files.items()}
        with self.tree(patch, in_repo) as tree:
            return tree.diff()

    def _in_repo(self, path: str) -> str:
        return f"{self.spec.subdir}/{path}" if self.spec.subdir else path


def read_sources(base: Path, editable: Callable[[str], bool]) -> dict[str, str]:
    """Text files under `base` that `editable` admits, dot-paths and large files left out."""
    out: dict[str, str] = {}
    for path in sorted(base.rglob("*")):
        rel = path.relative_to(base).as_posix()
        if rel.startswith(".") or "/." in rel or not path.is_file() or path.is_symlink():
            continue
        if not editable(rel) or path.stat().st_size > MAX_SOURCE_BYTES:
            continue
        try:
            out[rel] = path.read_text()
        except UnicodeDecodeError:
            continue
    return out
