"""Several workloads and benchmark suites from `[tool.perfagent]`, and asv's configuration.

    bench = "python bench.py"                         # one target workload (unchanged)
    bench = ["python a.py", {name = "big", cmd = "python a.py --n 1e6", role = "other"}]
    asv = true                    # the asv suite of asv.conf.json (or asv = "path/asv.conf.json")
    asv_select = "TimeSort|time_find"                 # only benchmarks matching this regex
    bench_select = "find"         # the same for every suite (what --bench-select sets)
    pytest_benchmark = "tests/bench"                  # tests there using the `benchmark` fixture
    regress_tolerance = 0.02                          # no workload significantly slower than 2 %
    holdout = ["python bench.py --seed 7"]            # held-out workloads (what --holdout sets)

A `bench` entry is a command string or a table with `cmd` (required), `name` (default: the
command), `kind` (command, gso-script, pytest, pytest-benchmark; default command) and `role`
(target, other or holdout; default target). Every target must get faster; workloads of any
role must not get slower beyond `regress_tolerance`. Suite benchmarks are "other" workloads:
with no `bench`, a candidate must speed up at least one of them and slow down none.

A `holdout` entry is a command or a table like a `bench` entry (its role is always holdout).
Held-out workloads are never shown to a model or named in a prompt, and their files are
read-only; a winner must not be significantly slower on any of them.

Errors are ValueError with a one-line message naming the key (the loaders add the file).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, get_args

from tasks.task import SuiteSpec, WorkloadKind, WorkloadRole, WorkloadSpec

SUITE_KEYS = {
    "asv",
    "asv_select",
    "bench_select",
    "pytest_benchmark",
    "regress_tolerance",
    "holdout",
}
DEFAULT_TOLERANCE = 0.02
_BENCH_KINDS = ("command", "gso-script", "pytest", "pytest-benchmark")
_LINE_COMMENT = re.compile(r"^\s*//.*$", re.MULTILINE)


def _entry(value: object, n: int) -> WorkloadSpec:
    if isinstance(value, str):
        if not value.strip():
            raise ValueError(f"bench[{n}] is an empty command")
        return WorkloadSpec("command", value)
    if not isinstance(value, Mapping):
        raise ValueError(f"bench[{n}] must be a command string or a table with cmd")
    unknown = sorted(set(value) - {"name", "cmd", "kind", "role"})
    if unknown:
        raise ValueError(f"bench[{n}]: unknown keys {', '.join(unknown)} (name, cmd, kind, role)")
    cmd, name = value.get("cmd"), value.get("name", "")
    kind, role = value.get("kind", "command"), value.get("role", "target")
    if not isinstance(cmd, str) or not cmd.strip():
        raise ValueError(f"bench[{n}] needs cmd, a non-empty string")
    if not isinstance(name, str):
        raise ValueError(f"bench[{n}].name must be a string")
    if kind not in _BENCH_KINDS:
        raise ValueError(f"bench[{n}].kind must be one of {', '.join(_BENCH_KINDS)}")
    if role not in get_args(WorkloadRole):
        raise ValueError(f"bench[{n}].role must be target, other or holdout")
    return WorkloadSpec(kind, cmd, name=name, role=role)


def parse_bench(value: object, kind: WorkloadKind = "command") -> tuple[WorkloadSpec, ...]:
    """`bench` as workloads: a string is one target of `kind`; a list names several."""
    if isinstance(value, str):
        return (WorkloadSpec(kind, value),) if value.strip() else ()
    if not isinstance(value, list | tuple) or not value:
        raise ValueError("bench must be a command or a non-empty list of commands/tables")
    specs = tuple(_entry(v, n) for n, v in enumerate(value))
    labels = [s.label for s in specs]
    dupes = sorted({x for x in labels if labels.count(x) > 1})
    if dupes:
        raise ValueError(f"bench names must be unique: {', '.join(dupes)}")
    return specs


def parse_holdouts(value: object) -> tuple[WorkloadSpec, ...]:
    """`holdout` as held-out workloads: a command, or a list of commands/tables."""
    if value is None or value == [] or value == ():
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise ValueError("holdout must be a command or a list of commands")
    specs = []
    for n, item in enumerate(items):
        if isinstance(item, Mapping) and item.get("role", "holdout") != "holdout":
            raise ValueError(f"holdout[{n}].role can only be holdout")
        if isinstance(item, Mapping):
            item = {**item, "role": "holdout"}
        try:
            spec = _entry(item, n)
        except ValueError as exc:
            raise ValueError(str(exc).replace("bench[", "holdout[", 1)) from None
        specs.append(WorkloadSpec(spec.kind, spec.spec, name=spec.name, role="holdout"))
    return tuple(specs)


def read_json_with_comments(path: Path) -> Any:
    """asv.conf.json allows `//` line comments (asv strips them before parsing)."""
    try:
        text = path.read_text()
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return json.loads(_LINE_COMMENT.sub("", text))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid JSON: {exc}") from None


def asv_benchmark_dir(task_dir: Path, conf: str = "asv.conf.json") -> str:
    """asv.conf.json's `benchmark_dir` (default "benchmarks", relative to the file), as a
    path relative to `task_dir`. ValueError when the file or directory is missing."""
    path = (task_dir / conf).resolve()
    if not path.is_file():
        raise ValueError(f"asv: no {conf} in {task_dir}")
    data = read_json_with_comments(path)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: not a JSON object")
    bench_dir = data.get("benchmark_dir", "benchmarks")
    if not isinstance(bench_dir, str) or not bench_dir.strip():
        raise ValueError(f"{path}: benchmark_dir must be a path")
    where = (path.parent / bench_dir).resolve()
    if not where.is_dir():
        raise ValueError(f"asv: benchmark_dir {bench_dir!r} of {conf} is not a directory")
    try:
        return where.relative_to(task_dir.resolve()).as_posix()
    except ValueError:
        raise ValueError(f"asv: benchmark_dir {bench_dir!r} is outside the task") from None


def check_select(pattern: object, key: str) -> str | None:
    if pattern is None or pattern == "":
        return None
    if not isinstance(pattern, str):
        raise ValueError(f"{key} must be a regular expression string")
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"{key} is not a valid regular expression: {exc}") from None
    return pattern


def parse_suites(settings: Mapping[str, Any], task_dir: Path) -> tuple[SuiteSpec, ...]:
    """The suites `asv` / `pytest_benchmark` configure (asv's directory read from its conf)."""
    suites: list[SuiteSpec] = []
    select = check_select(settings.get("bench_select"), "bench_select")
    asv = settings.get("asv", False)
    if asv:
        if asv is True:
            conf = "asv.conf.json"
        elif isinstance(asv, str):
            conf = asv
        else:
            raise ValueError("asv must be true or the path of an asv.conf.json")
        only = check_select(settings.get("asv_select"), "asv_select") or select
        suites.append(SuiteSpec("asv", asv_benchmark_dir(task_dir, conf), select=only))
    elif asv is not False:
        raise ValueError("asv must be true or the path of an asv.conf.json")
    elif settings.get("asv_select"):
        raise ValueError("asv_select needs asv = true")
    path = settings.get("pytest_benchmark")
    if path is not None:
        if not isinstance(path, str) or not path.strip():
            raise ValueError("pytest_benchmark must be a path of tests to collect")
        if not (task_dir / path.split("::", 1)[0]).exists():
            raise ValueError(f"pytest_benchmark: {path} does not exist")
        suites.append(SuiteSpec("pytest-benchmark", path, select=select))
    return tuple(suites)


def parse_tolerance(value: object) -> float:
    if value is None:
        return DEFAULT_TOLERANCE
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("regress_tolerance must be a number (0.02 means 2 %)")
    if not 0 <= value < 1:
        raise ValueError("regress_tolerance must be at least 0 and below 1")
    return float(value)


def suite_files(suites: tuple[SuiteSpec, ...]) -> tuple[str, ...]:
    """Globs of the suites' own files (read-only to candidates, like any benchmark file)."""
    out = []
    for suite in suites:
        root = suite.root.split("::", 1)[0].rstrip("/")
        out.append(root if root.endswith(".py") else f"{root}/**")
    return tuple(out)


def first_target(specs: tuple[WorkloadSpec, ...]) -> WorkloadSpec | None:
    """The workload single-workload code paths use: the first target, else the first."""
    return next((s for s in specs if s.role == "target"), specs[0] if specs else None)
