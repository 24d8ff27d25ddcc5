"""The shared shape of benchmark instance records: the normalized `Instance`, a record's load
outcome, the `Format` registry entry, reading JSON/JSONL files with where each record is,
and the field helpers every format module parses with."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tasks.envspec import BUILD_PINS
from tasks.native import TaskError
from tasks.suites import DEFAULT_TOLERANCE
from tasks.task import SuiteSpec, WorkloadKind

BENCH_DIR = ".perfagent/bench"
"""Where visible workload files are committed (protected by `DEFAULT_PROTECTED`)."""


class InstanceError(TaskError):
    """A record is not a valid instance of its format (one line, names the field)."""


@dataclass(frozen=True)
class Instance:
    """One benchmark instance, normalized across formats. `raw` keeps the record verbatim."""

    instance_id: str
    format: str
    repo: str
    base_commit: str
    bench: str
    """The workload as the loop runs it (a command, or a GSO script path)."""
    bench_kind: WorkloadKind = "command"
    test: str | None = None
    visible_files: Mapping[str, str] = field(default_factory=dict)
    """Repo-relative path -> text: workload files the coder may read (committed on the base)."""
    hidden_tests: tuple[str, ...] = ()
    """Perf scripts only evaluation sees (GSO `tests`): never written into the workspace."""
    efficiency_tests: tuple[str, ...] = ()
    """Pytest node ids timed by SWE-Perf."""
    expert_patch: str = ""
    expert_speedup: float | None = None
    """The speedup the benchmark reports for its expert patch, when it records one."""
    install: str | None = None
    image: str | None = None
    include: tuple[str, ...] = ("**/*.py",)
    metadata: Mapping[str, Any] = field(default_factory=dict)
    """Benchmark fields safe to show a coder (api, created_at, ...)."""
    raw: Mapping[str, Any] = field(default_factory=dict)
    suites: tuple[SuiteSpec, ...] = ()
    """Benchmark suites measured besides (or instead of) `bench`; an asv suite with an empty
    `root` takes its directory from the workspace's asv.conf.json when the task is built."""
    regress_tolerance: float = DEFAULT_TOLERANCE


@dataclass(frozen=True)
class Loaded:
    """One record's load outcome: an instance, or why there is none."""

    index: int
    instance_id: str
    instance: Instance | None = None
    status: str = "ok"
    """ok, malformed."""
    error: str = ""


Parser = Callable[[Mapping[str, Any]], Instance]


@dataclass(frozen=True)
class Format:
    """A benchmark format: how to parse one record and how to export one prediction."""

    name: str
    parse: Parser
    description: str


def read_records(path: Path) -> list[Any]:
    """Records of a .json (list or one object) or .jsonl file; TaskError for unreadable files.

    In JSONL, a line that is not JSON is kept as a `ValueError` record so that one bad line
    fails only its own instance.
    """
    return read_located(path)[0]


def read_located(path: Path) -> tuple[list[Any], list[str]]:
    """`read_records`, with where each record is (`file:line`, or `file[index]`)."""
    try:
        text = path.read_text()
    except OSError as exc:
        raise TaskError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise TaskError(f"{path}: not UTF-8 text") from exc
    stripped = text.lstrip()
    if not stripped:
        raise TaskError(f"{path}: empty tasks file")
    if path.suffix != ".jsonl" and stripped[0] in "[{":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            if stripped[0] == "[":
                raise TaskError(f"{path}: not valid JSON: {exc}") from exc
        else:
            items = data if isinstance(data, list) else [data]
            return items, [f"{path.name}[{i}]" for i in range(len(items))]
    records: list[Any] = []
    where: list[str] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where.append(f"{path.name}:{n}")
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:
            records.append(ValueError(f"not valid JSON ({exc.msg})"))
    return records, where


# field helpers shared by the format modules ---------------------------------------------------
def need_str(record: Mapping[str, Any], key: str) -> str:
    value = record.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InstanceError(f"field {key!r} is missing or not a non-empty string")
    return value


def opt_str(record: Mapping[str, Any], key: str) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InstanceError(f"field {key!r} must be a string")
    return value


def str_list(record: Mapping[str, Any], key: str) -> tuple[str, ...]:
    """A list of strings; HF exports sometimes store lists as JSON strings."""
    value = record.get(key)
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InstanceError(f"field {key!r} must be a list of strings")
    return tuple(value)


def opt_float(record: Mapping[str, Any], key: str) -> float | None:
    value = record.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InstanceError(f"field {key!r} must be a number")
    try:
        number = float(value)
    except ValueError:
        raise InstanceError(f"field {key!r} must be a number") from None
    if not number > 0:
        raise InstanceError(f"field {key!r} must be positive")
    return number


def install_script(commands: Iterable[str]) -> str | None:
    """One shell line running `commands` in order, with the build pins exported first."""
    steps = [c.strip() for c in commands if c.strip()]
    if not steps:
        return None
    pins = " ".join(BUILD_PINS)
    prelude = (
        f"printf '%s\\n' {pins!r} > /tmp/perfagent-build-pins.txt"
        " && export PIP_CONSTRAINT=/tmp/perfagent-build-pins.txt"
        " UV_BUILD_CONSTRAINT=/tmp/perfagent-build-pins.txt HF_HUB_DISABLE_XET=1"
    )
    return " && ".join([prelude, *steps])
