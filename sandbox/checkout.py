"""The task's files at the base plus a patch, read on the host from a git index.

Reading files and taking diffs runs no candidate code, so it needs no sandbox, nor even a
work tree: a private index of the commit with the patch staged is enough, and costs the same
for a large repository as for a small one (`sandbox.staged`). Implements
`agent.protocols.Checkout`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from sandbox.base import WorkspaceSpec
from sandbox.staged import StagedTree

MAX_SOURCE_BYTES = 256 * 1024
"""Larger files are never shown to a planner or coder (generated data, vendored bundles)."""


@dataclass(frozen=True)
class GitCheckout:
    spec: WorkspaceSpec
    """The base workspace: repo, commit, task directory and protected globs."""
    editable: Callable[[str], bool]
    """Whether a task-relative path may be edited (and so shown)."""

    def sources(self, patch: str = "") -> dict[str, str]:
        with StagedTree.open(replace(self.spec, patch=patch, files={})) as staged:
            return staged.sources(self.spec.subdir, self.editable, MAX_SOURCE_BYTES)

    def diff(self, patch: str, files: Mapping[str, str]) -> str:
        in_repo = {self._in_repo(p): text for p, text in files.items()}
        with StagedTree.open(replace(self.spec, patch=patch, files=in_repo)) as staged:
            return staged.diff()

    def _in_repo(self, path: str) -> str:
        return f"{self.spec.subdir}/{path}" if self.spec.subdir else path
