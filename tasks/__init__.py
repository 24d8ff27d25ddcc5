"""What to optimize: the `Task` type and loaders for native and benchmark task files."""

from tasks.native import TaskError, load_task
from tasks.task import DEFAULT_PROTECTED, SuiteSpec, Task, WorkloadKind, WorkloadSpec

__all__ = [
    "DEFAULT_PROTECTED",
    "SuiteSpec",
    "Task",
    "TaskError",
    "WorkloadKind",
    "WorkloadSpec",
    "load_task",
]
