"""Load a task from a local repository: CLI options over `[tool.perfagent]` over defaults.

The settings live in the task directory's `pyproject.toml` under `[tool.perfagent]`, or in a
`perfagent.toml` there (top-level keys). Keys: `bench`, `test`, `include`, `exclude`,
`bench_files`, `objectives`, `timeout`, `install`, `image`; the keys that configure the run
rather than the task (`budget`, `model`, ...) are the caller's, named in `run_keys`. An `llm` table holds provider settings
(kept in `Task.metadata["llm"]`; `agent.models.settings` reads it).
For several workloads and benchmark suites: `asv`, `asv_select`, `bench_select`,
`pytest_benchmark`, `regress_tolerance`, `holdout` (`bench` may then be a list; see
tasks/suites.py).
The task directory may be a subdirectory of a git repository (a monorepo package, or one of
perfagent's own bundled examples).
"""

from __future__ import annotations

import shlex
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, get_args

import git

from tasks.suites import (
    SUITE_KEYS,
    first_target,
    parse_bench,
    parse_holdouts,
    parse_suites,
    parse_tolerance,
    suite_files,
)
from tasks.task import SuiteSpec, Task, WorkloadKind, WorkloadSpec


class TaskError(Exception):
    """The task cannot be built from what the user gave (one line, shown as is)."""


TASK_KEYS = frozenset(
    {
        "bench",
        "bench_kind",
        "test",
        "include",
        "exclude",
        "bench_files",
        "objectives",
        "timeout",
        "install",
        "image",
        "llm",
        *SUITE_KEYS,
    }
)


def read_settings(task_dir: Path, run_keys: Iterable[str] = ()) -> dict[str, Any]:
    """`[tool.perfagent]` from pyproject.toml, else perfagent.toml, else {}; a key that is
    neither a task key nor one of `run_keys` is an error."""
    for name, section in (("perfagent.toml", ()), ("pyproject.toml", ("tool", "perfagent"))):
        path = task_dir / name
        if not path.is_file():
            continue
        try:
            data: Any = tomllib.loads(path.read_text())
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise TaskError(f"{path}: not valid TOML: {exc}") from exc
        for key in section:
            data = data.get(key, {}) if isinstance(data, dict) else {}
        if data:
            unknown = sorted(set(data) - TASK_KEYS - set(run_keys))
            if unknown:
                raise TaskError(f"{path}: unknown perfagent settings: {', '.join(unknown)}")
            return dict(data)
    return {}


def open_repo(path: Path) -> tuple[git.Repo, Path]:
    """The git repository holding `path`, and `path` relative to its top level."""
    if not path.exists():
        raise TaskError(f"{path}: no such directory")
    if not path.is_dir():
        raise TaskError(f"{path}: not a directory")
    try:
        repo = git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise TaskError(f"{path}: not inside a git repository (run `git init` and commit)") from exc
    top = Path(repo.working_tree_dir or path).resolve()
    return repo, path.resolve().relative_to(top)


def resolve_ref(repo: git.Repo, ref: str) -> str:
    try:
        return repo.commit(ref).hexsha
    except (git.BadName, ValueError) as exc:
        raise TaskError(f"{ref!r} is not a commit in {repo.working_tree_dir}") from exc


def dirty_files(repo: git.Repo, subdir: str) -> list[str]:
    """Tracked files under `subdir` that differ from HEAD (staged or not)."""
    args = ["--", subdir] if subdir else []
    out = repo.git.status("--porcelain", "--untracked-files=no", *args)
    return [line[3:] for line in out.splitlines() if line.strip()]


def guess_bench_files(bench: str, task_dir: Path) -> tuple[str, ...]:
    """Files named in the benchmark command that exist in the task directory."""
    try:
        words = shlex.split(bench)
    except ValueError:
        words = bench.split()
    found = []
    for word in words:
        path = word.split("::", 1)[0]
        if path and not path.startswith("-") and (task_dir / path).is_file():
            found.append(path)
    return tuple(found)


def check_clean(repo: git.Repo, subdir: str) -> None:
    """TaskError naming the first uncommitted files under `subdir`, if any."""
    dirty = dirty_files(repo, subdir)
    if dirty:
        shown = ", ".join(dirty[:3]) + (" ..." if len(dirty) > 3 else "")
        raise TaskError(
            f"uncommitted changes in {shown}: commit or stash them "
            "(or pass --allow-dirty to optimize the last commit as it is)"
        )


def _workloads(
    settings: Mapping[str, Any], task_dir: Path
) -> tuple[tuple[WorkloadSpec, ...], tuple[SuiteSpec, ...], float, tuple[WorkloadSpec, ...]]:
    """The `bench` workloads, the suites, the regression tolerance and the held-out
    workloads (TaskError if wrong)."""
    kind = settings.get("bench_kind", "command")
    try:
        bench = settings.get("bench")
        specs = parse_bench(bench, kind) if bench else ()
        suites = parse_suites(settings, task_dir)
        tolerance = parse_tolerance(settings.get("regress_tolerance"))
        holdouts = parse_holdouts(settings.get("holdout"))
    except ValueError as exc:
        raise TaskError(f"{task_dir}: {exc}") from None
    if not specs and not suites:
        raise TaskError(
            f"{task_dir}: no benchmark: pass --bench CMD or set bench (or asv, pytest_benchmark)"
            " in [tool.perfagent]"
        )
    if settings.get("bench_select") and not suites:
        raise TaskError(
            f"{task_dir}: --bench-select (bench_select) picks benchmarks of a suite: set asv or"
            " pytest_benchmark in [tool.perfagent]"
        )
    return specs, suites, tolerance, holdouts


def with_overrides(settings: dict[str, Any], overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    """The table's settings with the CLI's given options (None = not given) over them."""
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    if given.get("bench_select"):
        settings.pop("asv_select", None)  # the flag names the benchmarks of every suite
    return {**settings, **given}


def load_task(
    path: Path,
    overrides: Mapping[str, Any] | None = None,
    *,
    allow_dirty: bool = False,
    run_keys: Iterable[str] = (),
) -> Task:
    """Build the task for a local directory. `overrides` are CLI options (None = not given)."""
    repo, rel = open_repo(path)
    subdir = "" if str(rel) == "." else rel.as_posix()
    task_dir = path.resolve()
    settings = with_overrides(read_settings(task_dir, run_keys), overrides)
    specs, suites, tolerance, holdouts = _workloads(settings, task_dir)
    main = first_target(specs)
    try:
        head = resolve_ref(repo, str(settings.get("base_ref", "HEAD")))
    except ValueError as exc:  # an empty repository has no HEAD
        raise TaskError(f"{path}: the repository has no commits yet") from exc
    if not allow_dirty:
        check_clean(repo, subdir)

    def strings(key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = settings.get(key, default)
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise TaskError(f"{key} must be a list of strings")
        return tuple(value)

    timeout = _timeout(settings.get("timeout", 600))
    kind = settings.get("bench_kind", "command")
    if kind not in get_args(WorkloadKind):
        raise TaskError(
            f"bench_kind must be one of {', '.join(get_args(WorkloadKind))}, not {kind!r}"
        )
    return Task(
        task_id=task_dir.name,
        repo=Path(repo.working_tree_dir or task_dir).resolve(),
        subdir=subdir,
        base_ref=head,
        bench=main.spec if main else "",
        bench_kind=main.kind if main else "command",
        test=settings.get("test"),
        include=strings("include", ("**/*.py",)),
        exclude=strings("exclude", ()),
        bench_files=_bench_files(settings, (*specs, *holdouts), suites, task_dir),
        objectives=strings("objectives", ("runtime", "instructions", "memory")),
        timeout_s=timeout,
        install=settings.get("install"),
        image=settings.get("image"),
        metadata={"llm": settings["llm"]} if settings.get("llm") else {},
        workload_specs=(*specs, *holdouts)
        if holdouts or isinstance(settings.get("bench"), list | tuple)
        else (),
        suites=suites,
        regress_tolerance=tolerance,
    )


def _bench_files(
    settings: Mapping[str, Any],
    specs: tuple[WorkloadSpec, ...],
    suites: tuple[SuiteSpec, ...],
    task_dir: Path,
) -> tuple[str, ...]:
    """The files workloads are made of (`bench_files`, else those their commands name) and
    held-out workloads' files (always), and the suites' directories: read-only to candidates
    and never shown to a model."""
    given = tuple(settings.get("bench_files", ()))
    named = [s for s in specs if s.role != "holdout" and not given]
    held = [s for s in specs if s.role == "holdout"]
    guessed = tuple(f for s in (*named, *held) for f in guess_bench_files(s.spec, task_dir))
    return tuple(dict.fromkeys((*given, *guessed, *suite_files(suites))))


def _timeout(value: Any) -> float:
    try:
        timeout = float(value)
    except (TypeError, ValueError):
        raise TaskError(f"timeout must be a number of seconds, not {value!r}") from None
    if not timeout > 0:
        raise TaskError(f"timeout must be more than 0 seconds, not {value!r}")
    return timeout
