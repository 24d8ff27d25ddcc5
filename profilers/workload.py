"""What is measured: a shell command, a GSO-style perf script, a pytest node id, one asv
benchmark (one parameter combination of it), or one pytest-benchmark item."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from profilers.errors import BadWorkload

WorkloadKind = Literal["command", "gso-script", "pytest", "asv", "pytest-benchmark"]
WorkloadRole = Literal["target", "other", "holdout"]
"""target: the workload a candidate must speed up; other: must not get slower (the rest of a
suite); holdout: must not get slower and is never shown to a model."""
Metric = Literal["time", "peakmem", "track"]
"""What a sample is: wall time (time_*, timeraw_*, commands...), peak RSS in bytes
(asv peakmem_*), or a value the benchmark returns (asv track_*/mem_*: compared, not timed)."""


@dataclass(frozen=True)
class Workload:
    """One workload. `spec` is the command line, the script path (relative to the task
    directory), the pytest or pytest-benchmark node id, or the asv benchmark name
    (`module.Class.time_x` / `module.time_x`, relative to `root`)."""

    kind: WorkloadKind
    spec: str
    name: str = ""
    """How reports name it (defaults to `spec`); asv: the name with its parameters."""
    role: WorkloadRole = "target"
    root: str = ""
    """asv: the benchmark directory (asv.conf.json's `benchmark_dir`), relative to the task
    directory."""
    param_index: int | None = None
    """asv: index of the parameter combination in the product of the benchmark's `params`."""
    params: str = ""
    """asv: the parameter combination as asv displays it, e.g. "1000, 'int'"."""
    metric: Metric = "time"

    def __post_init__(self) -> None:
        if self.kind not in get_args(WorkloadKind):
            kinds = ", ".join(get_args(WorkloadKind))
            raise BadWorkload(f"unknown workload kind {self.kind!r} (expected one of: {kinds})")
        if not self.spec.strip():
            raise BadWorkload(f"empty {self.kind} workload")
        if any("\0" in text for text in (self.spec, self.name, self.root, self.params)):
            raise BadWorkload("workload contains a NUL byte")
        if self.role not in get_args(WorkloadRole):
            raise BadWorkload(f"unknown workload role {self.role!r} (target, other or holdout)")
        if self.metric not in get_args(Metric):
            raise BadWorkload(f"unknown workload metric {self.metric!r} (time, peakmem or track)")
        if self.kind == "asv" and not self.root.strip():
            raise BadWorkload(f"asv benchmark {self.spec!r} has no benchmark directory")
        if self.param_index is not None and (self.kind != "asv" or self.param_index < 0):
            raise BadWorkload("a parameter index needs an asv workload and must be >= 0")
        if self.metric != "time" and self.kind != "asv":
            raise BadWorkload(f"only asv benchmarks measure {self.metric}")

    @property
    def label(self) -> str:
        """The name reports show."""
        return self.name or self.spec

    @property
    def uses_runner(self) -> bool:
        """Whether runs go through the shipped runner (everything but shell commands)."""
        return self.kind != "command"
