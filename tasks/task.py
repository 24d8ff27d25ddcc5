"""The `Task` type: what to optimize, how to measure it, and what may be edited."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

WorkloadKind = Literal["command", "gso-script", "pytest", "asv", "pytest-benchmark"]
WorkloadRole = Literal["target", "other", "holdout"]
"""target: must get faster; other: must not get slower; holdout: must not get slower and is
never shown to a model."""
Metric = Literal["time", "peakmem", "track"]
SuiteKind = Literal["asv", "pytest-benchmark"]

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
class WorkloadSpec:
    """One configured workload, with the fields of `profilers.workload.Workload` (the loop
    builds one with `Workload(**dataclasses.asdict(spec))`)."""

    kind: WorkloadKind
    spec: str
    """A command, a perf script, a pytest or pytest-benchmark node id, an asv benchmark name."""
    name: str = ""
    role: WorkloadRole = "target"
    root: str = ""
    """asv: the benchmark directory, relative to the task directory."""
    param_index: int | None = None
    params: str = ""
    metric: Metric = "time"

    @property
    def label(self) -> str:
        return self.name or self.spec

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> WorkloadSpec:
        return cls(**dict(data))


@dataclass(frozen=True)
class SuiteSpec:
    """A benchmark suite whose workloads are discovered in a sandbox when a run starts."""

    kind: SuiteKind
    root: str
    """asv: the benchmark directory (from asv.conf.json); pytest-benchmark: the path (or node
    id) to collect. Relative to the task directory."""
    select: str | None = None
    """A regular expression benchmark names must match (`re.search`), as asv's `--bench`."""
    role: WorkloadRole = "other"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SuiteSpec:
        return cls(**dict(data))


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
    workload_specs: tuple[WorkloadSpec, ...] = ()
    """Several named workloads (a `bench` list); empty means the one `bench` above."""
    suites: tuple[SuiteSpec, ...] = ()
    """Benchmark suites (asv, pytest-benchmark) discovered when the run starts."""
    regress_tolerance: float = 0.02
    """How much slower (median ratio above 1 + this, significant) any workload may not get."""

    def __post_init__(self) -> None:
        # Tasks read back from JSON carry plain dicts and lists.
        specs = tuple(
            s if isinstance(s, WorkloadSpec) else WorkloadSpec.from_json(s)
            for s in self.workload_specs
        )
        suites = tuple(
            s if isinstance(s, SuiteSpec) else SuiteSpec.from_json(s) for s in self.suites
        )
        object.__setattr__(self, "workload_specs", specs)
        object.__setattr__(self, "suites", suites)

    @property
    def workloads(self) -> tuple[WorkloadSpec, ...]:
        """The configured workloads: the `bench` list, else the single `bench` as a target
        (none when only suites are configured; they are discovered at run time)."""
        if self.workload_specs:
            return self.workload_specs
        if not self.bench:
            return ()
        return (WorkloadSpec(self.bench_kind, self.bench),)

    @property
    def holdouts(self) -> tuple[WorkloadSpec, ...]:
        """The held-out workloads: measured, never shown to a model or named in a prompt."""
        return tuple(s for s in self.workloads if s.role == "holdout")

    def in_repo(self, path: str) -> str:
        """A task-relative path as a repo-relative one."""
        return f"{self.subdir}/{path}" if self.subdir else path

    @property
    def protected(self) -> tuple[str, ...]:
        """Repo-relative globs candidates may not change."""
        own = tuple(self.in_repo(p) for p in (*self.exclude, *self.bench_files))
        return (*DEFAULT_PROTECTED, *own)
