"""A task as the store keeps it (JSON), and back."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

from tasks.task import Task

_TUPLES = ("include", "exclude", "bench_files", "objectives")


def task_json(task: Task) -> dict[str, Any]:
    data = {k: _plain(v) for k, v in vars(task).items() if k != "metadata"}
    data["repo"] = str(task.repo)
    return data


def _plain(value: Any) -> Any:
    if hasattr(value, "to_json"):
        return value.to_json()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def task_from_json(data: dict[str, Any]) -> Task:
    """The stored task; keys this version no longer knows (an old `budget`) are left out."""
    known = {f.name for f in fields(Task)}
    values = {k: v for k, v in data.items() if k in known}
    values["repo"] = Path(values["repo"])
    for key in _TUPLES:
        if key in values:
            values[key] = tuple(values[key])
    return Task(**values)
