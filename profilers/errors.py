"""Why a measurement could not be taken, each with a one-line message users see."""

from __future__ import annotations

from typing import Literal

WorkloadStatus = Literal["crashed", "timeout", "no-result", "tampered", "output-differs"]


class MeasurementError(Exception):
    """A measurement could not be taken (bad workload, missing tool, failing run)."""


class BadWorkload(MeasurementError, ValueError):
    """The workload description itself is wrong (unknown kind, empty spec)."""


class ToolMissing(MeasurementError):
    """valgrind, py-spy or the interpreter is not available inside the sandbox."""


class WorkloadError(MeasurementError):
    """One run of the workload failed; `side` says whether it was the base or the head."""

    def __init__(self, status: WorkloadStatus, side: str, detail: str) -> None:
        self.status = status
        self.side = side
        self.detail = detail
        super().__init__(f"workload {status} on {side}: {detail}")


class BaselineFailed(MeasurementError):
    """The unedited code fails its tests or its workload: nothing can be judged against it."""
