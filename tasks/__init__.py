"""What to optimize: the `Task` type and loaders for native and benchmark task files."""

from tasks.native import TaskError, load_task
from tasks.task import DEFAULT_PROTECTED, Task, WorkloadKind

__all__ = ["DEFAULT_PROTECTED", "Task", "TaskError", "WorkloadKind", "load_task"]
