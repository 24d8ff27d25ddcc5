"""Benchmark instance files (JSON or JSONL) into one normalized `Instance`, then into a `Task`.

    read_records(path)            -> raw dicts (a JSON list, one JSON object, or JSONL)
    parse_records(records, fmt)   -> one `Loaded` per record: an Instance or a one-line error
    build_task(instance, config)  -> (Task, Workspace): hygienic clone + visible workload files

A malformed record never stops the others: it becomes a `Loaded` with `status="malformed"`.
What the coder may see is decided here: only `Instance.visible_files` enter the workspace;
the expert patch and hidden tests stay on the `Instance`, which only evaluation reads.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tasks.envspec import BUILD_PINS, EnvSpec, SpecBook, resolve_env
from tasks.native import TaskError
from tasks.repos import RepoConfig, Workspace, prepare_workspace
from tasks.suites import DEFAULT_TOLERANCE, asv_benchmark_dir, suite_files
from tasks.task import SuiteSpec, Task, WorkloadKind

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


# registry -------------------------------------------------------------------------------------
def formats() -> dict[str, Format]:
    """Every known format by name (imported here so the format modules stay independent)."""
    from tasks import formulacode, gso, swefficiency, sweperf

    known = (gso.FORMAT, sweperf.FORMAT, swefficiency.FORMAT, formulacode.FORMAT, NATIVE)
    return {f.name: f for f in known}


def parse_native(record: Mapping[str, Any]) -> Instance:
    """A native batch record: `instance_id`, `repo` (a local path or OWNER/NAME), optional
    `base_commit` (default HEAD), `bench`, `bench_kind`, `test`, `include`, `install`, `image`,
    `patch` (a reference patch for `validate`), `expert_speedup`."""
    include = str_list(record, "include") or ("**/*.py",)
    kind = opt_str(record, "bench_kind") or "command"
    if kind not in ("command", "gso-script", "pytest", "pytest-benchmark"):
        raise InstanceError(
            "field 'bench_kind' must be command, gso-script, pytest or pytest-benchmark,"
            f" not {kind!r}"
        )
    return Instance(
        instance_id=need_str(record, "instance_id"),
        format="native",
        repo=need_str(record, "repo"),
        base_commit=opt_str(record, "base_commit") or "HEAD",
        bench=need_str(record, "bench"),
        bench_kind=kind,  # type: ignore[arg-type]
        test=opt_str(record, "test") or None,
        expert_patch=opt_str(record, "patch"),
        expert_speedup=opt_float(record, "expert_speedup"),
        install=install_script(str_list(record, "install")),
        image=opt_str(record, "image") or None,
        include=include,
        raw=dict(record),
    )


NATIVE = Format("native", parse_native, "perfagent's own records: a repo, a bench command, tests")


def get_format(name: str) -> Format:
    known = formats()
    if name not in known:
        raise TaskError(f"unknown format {name!r}; use one of {', '.join(sorted(known))}")
    return known[name]


def parse_records(records: Iterable[Any], fmt: str) -> list[Loaded]:
    """Parse every record; bad ones become `Loaded(status="malformed")`, duplicates too."""
    parser = get_format(fmt).parse
    out: list[Loaded] = []
    seen: set[str] = set()
    for i, record in enumerate(records):
        guess = record.get("instance_id") if isinstance(record, dict) else None
        name = guess if isinstance(guess, str) and guess else f"#{i + 1}"
        if isinstance(record, ValueError):
            out.append(Loaded(i, name, status="malformed", error=str(record)))
            continue
        if not isinstance(record, dict):
            out.append(Loaded(i, name, status="malformed", error="record is not a JSON object"))
            continue
        try:
            instance = parser(record)
        except InstanceError as exc:
            out.append(Loaded(i, name, status="malformed", error=str(exc)))
            continue
        if instance.instance_id in seen:
            out.append(Loaded(i, name, status="malformed", error="duplicate instance_id"))
            continue
        seen.add(instance.instance_id)
        out.append(Loaded(i, instance.instance_id, instance))
    return out


def load_instances(path: Path, fmt: str) -> list[Loaded]:
    """`read_records` then `parse_records`; a malformed record's error names its file:line
    and the field at fault. Bad records are recorded per instance; the good ones still run."""
    records, where = read_located(path)
    return [
        replace(item, error=f"{place}: {item.error}") if item.status == "malformed" else item
        for item, place in zip(parse_records(records, fmt), where, strict=True)
    ]


RECIPE_FORMATS = ("sweperf", "swefficiency")
"""Formats whose instances carry no install commands: their environment comes from a spec."""


def instance_env(
    instance: Instance, ws: Workspace, env_specs: SpecBook | None = None
) -> EnvSpec | None:
    """The environment spec of `instance` (see `tasks.envspec`): for SWE-Perf and
    SWE-fficiency always, for other formats only when the user's spec file names its repo."""
    version = instance.metadata.get("version")
    version = str(version) if version is not None else None
    named = env_specs is not None and env_specs.find(instance.repo, version) is not None
    if instance.format not in RECIPE_FORMATS and not named:
        return None
    runs_pytest = instance.bench_kind == "pytest" or any(
        "pytest" in (cmd or "") for cmd in (instance.bench, instance.test)
    )
    return resolve_env(instance.repo, version, ws.path, ws.base_sha, pytest=runs_pytest,
                       book=env_specs)  # fmt: skip


def build_task(
    instance: Instance,
    config: RepoConfig,
    *,
    timeout_s: float = 600.0,
    env_specs: SpecBook | None = None,
) -> tuple[Task, Workspace]:
    """Prepare the instance's workspace and the `Task` the loop optimizes (RepoError if no
    repo); `env_specs` is the user's `--env-spec` file, if any."""
    ws = prepare_workspace(
        instance.instance_id, instance.repo, instance.base_commit, instance.visible_files, config
    )
    suites = resolve_suites(instance.suites, ws.path)
    task = Task(
        task_id=instance.instance_id,
        repo=ws.path.resolve(),
        bench=instance.bench,
        bench_kind=instance.bench_kind,
        test=instance.test,
        base_ref=ws.harness_sha,
        include=instance.include,
        bench_files=(*instance.visible_files, *suite_files(suites)),
        timeout_s=timeout_s,
        install=instance.install,
        image=instance.image,
        env=spec.recipe_fields() if (spec := instance_env(instance, ws, env_specs)) else None,
        metadata={
            "format": instance.format,
            "instance_id": instance.instance_id,
            "repo": instance.repo,
            "base_commit": ws.base_sha,
            **instance.metadata,
        },
        suites=suites,
        regress_tolerance=instance.regress_tolerance,
    )
    return task, ws


def find_asv_conf(root: Path) -> str:
    """asv.conf.json at the top of `root`, else one directory down (numpy keeps it in
    benchmarks/, pandas in asv_bench/); InstanceError when there is none."""
    if (root / "asv.conf.json").is_file():
        return "asv.conf.json"
    found = sorted(p.relative_to(root).as_posix() for p in root.glob("*/asv.conf.json"))
    if not found:
        raise InstanceError(f"{root.name}: no asv.conf.json at the top or one directory down")
    return found[0]


def resolve_suites(suites: tuple[SuiteSpec, ...], root: Path) -> tuple[SuiteSpec, ...]:
    """Suites with their directories: an asv suite without one reads asv.conf.json."""
    out = []
    for suite in suites:
        if suite.kind == "asv" and not suite.root:
            try:
                where = asv_benchmark_dir(root, find_asv_conf(root))
            except ValueError as exc:
                raise InstanceError(str(exc)) from None
            suite = SuiteSpec("asv", where, select=suite.select, role=suite.role)
        out.append(suite)
    return tuple(out)
