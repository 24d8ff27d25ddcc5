"""The `Task` type: what to optimize, how to measure it, and what may be edited."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

WorkloadKind = Literal["command", "gso-script", "pytest"]

DEFAULT_PROTECTED: tuple[str, ...] = (
    "**/tests/**",
    "**/test/**",
    "**/test_*.py",
    "**/*_test.py",
    "**/conftest.py",
    "**/perfagent.toml",
    "**/pyproject.toml",
    "**/setup.py",
    "**/setup.cfg",
    ".perfagent/**",
)
"""Files no candidate may change, whatever the task says: tests, build and task config."""


@dataclass(frozen=True)
class Task:
    """One optimization problem: a repository, a workload and correctness checks."""

    task_id: str
    repo: Path
    """Git top-level directory on the host."""
    bench: str
    """The workload: a shell command, a GSO-style perf script path, or a pytest node id."""
    bench_kind: WorkloadKind = "command"
    test: str | None = None
    """Shell command whose exit status says whether the code is still correct."""
    subdir: str = ""
    """Task directory relative to `repo` (commands run there; globs are relative to it)."""
    base_ref: str = "HEAD"
    include: tuple[str, ...] = ("**/*.py",)
    """Globs of files candidates may edit (relative to `subdir`)."""
    exclude: tuple[str, ...] = ()
    """Globs never edited, on top of `DEFAULT_PROTECTED` and the benchmark's own files."""
    bench_files: tuple[str, ...] = ()
    """Files the workload is made of (relative to `subdir`): read-only and hidden from models."""
    objectives: tuple[str, ...] = ("runtime", "instructions", "memory")
    timeout_s: float = 600.0
    """Limit for one run of the benchmark or the tests."""
    install: str | None = None
    """Command that installs the target's dependencies (Docker environment image)."""
    image: str | None = None
    """Base image for the Docker sandbox."""
    env: dict[str, Any] | None = None
    """How to build the environment when no prebuilt image is used: `EnvSpec.recipe_fields()`
    (Python, packages, install commands; JSON-safe), built by the Docker sandbox as
    `EnvRecipe.from_fields(task.env)`."""
    metadata: dict[str, object] = field(default_factory=dict)
    """Benchmark-specific fields (expert patch, hidden tests, ...), kept verbatim."""

    def in_repo(self, path: str) -> str:
        """A task-relative path as a repo-relative one."""
        return f"{self.subdir}/{path}" if self.subdir else path

    @property
    def protected(self) -> tuple[str, ...]:
        """Repo-relative globs candidates may not change."""
        own = tuple(self.in_repo(p) for p in (*self.exclude, *self.bench_files))
        return (*DEFAULT_PROTECTED, *own)
