"""Benchmark instance files (JSON or JSONL) into one normalized `Instance`, then into a `Task`.

    read_records(path)            -> raw dicts (a JSON list, one JSON object, or JSONL)
    parse_records(records, fmt)   -> one `Loaded` per record: an Instance or a one-line error
    build_task(instance, config)  -> (Task, Workspace): hygienic clone + visible workload files

A malformed record never stops the others: it becomes a `Loaded` with `status="malformed"`.
What the coder may see is decided here: only `Instance.visible_files` enter the workspace;
the expert patch and hidden tests stay on the `Instance`, which only evaluation reads.
The record types and field helpers live in `tasks.records`, so each format module imports
them and this registry imports the format modules: no cycle.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from tasks import formulacode, gso, swefficiency, sweperf
from tasks.envspec import EnvSpec, SpecBook, resolve_env
from tasks.native import TaskError
from tasks.native_format import NATIVE
from tasks.records import (
    BENCH_DIR,
    Format,
    Instance,
    InstanceError,
    Loaded,
    read_located,
    read_records,
)
from tasks.repos import RepoConfig, Workspace, prepare_workspace
from tasks.suites import asv_benchmark_dir, suite_files
from tasks.task import SuiteSpec, Task

__all__ = [
    "BENCH_DIR",
    "Format",
    "Instance",
    "InstanceError",
    "Loaded",
    "build_task",
    "formats",
    "get_format",
    "load_instances",
    "parse_records",
    "read_records",
]


# registry -------------------------------------------------------------------------------------
def formats() -> dict[str, Format]:
    """Every known format by name."""
    known = (gso.FORMAT, sweperf.FORMAT, swefficiency.FORMAT, formulacode.FORMAT, NATIVE)
    return {f.name: f for f in known}


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
