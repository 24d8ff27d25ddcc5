"""What is measured: a shell command, a GSO-style perf script, or a pytest node id."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from profilers.errors import BadWorkload

WorkloadKind = Literal["command", "gso-script", "pytest"]


@dataclass(frozen=True)
class Workload:
    """One workload; `spec` is the command line, the script path (relative to the task
    directory) or the pytest node id."""

    kind: WorkloadKind
    spec: str

    def __post_init__(self) -> None:
        if self.kind not in get_args(WorkloadKind):
            kinds = ", ".join(get_args(WorkloadKind))
            raise BadWorkload(f"unknown workload kind {self.kind!r} (expected one of: {kinds})")
        if not self.spec.strip():
            raise BadWorkload(f"empty {self.kind} workload")
        if "\0" in self.spec:
            raise BadWorkload("workload contains a NUL byte")

    @property
    def uses_runner(self) -> bool:
        """Whether runs go through the shipped runner (GSO scripts and pytest ids)."""
        return self.kind != "command"
