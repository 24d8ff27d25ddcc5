"""`perfagent measure`: one head tree against one base tree, judged by the profilers.

With `--bench CMD` alone it times that command. Without it, or with `--bench-select`, it
measures the benchmark suites of the task's `[tool.perfagent]` (asv, pytest-benchmark, a
`bench` list, held-out workloads): every benchmark matching the selection, each judged with
its own confidence interval, and the head is faster only when the suite rule accepts it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import git

from agent.config import RUN_KEYS
from agent.exceptions import BadInput, BaselineBroken
from agent.wiring import pick_sandbox, suite_profiler
from profilers.config import MeasureConfig
from profilers.errors import BaselineFailed, MeasurementError
from profilers.evaluate import measure
from profilers.results import Measurement
from profilers.workload import Workload
from sandbox.base import SandboxError, SandboxFactory, WorkspaceSpec, opened
from tasks import load_task
from tasks.native import TaskError, guess_bench_files, open_repo, resolve_ref

Say = Callable[[str], None]


def _refs(
    path: Path, base: str, head: str | None, patch: Path | None
) -> tuple[git.Repo, str, str, str]:
    """(repo, task directory in it, base commit, the head as a diff on the base)."""
    try:
        repo, rel = open_repo(path)
        base_sha = resolve_ref(repo, base)
        head_sha = resolve_ref(repo, head or "HEAD") if patch is None else ""
    except TaskError as exc:
        raise BadInput(str(exc)) from None
    subdir = "" if str(rel) == "." else rel.as_posix()
    if patch is not None:
        try:
            diff = patch.read_text()
        except OSError as exc:
            raise BadInput(f"cannot read patch {patch}: {exc.strerror}") from exc
    else:
        diff = repo.git.diff(base_sha, head_sha, "--binary") + "\n"
    return repo, subdir, base_sha, diff


def measure_refs(
    path: Path,
    bench: str | None,
    base: str,
    head: str | None,
    patch: Path | None,
    test: str | None,
    pairs: int,
    sandbox: str,
    say: Say,
    *,
    bench_select: str | None = None,
) -> Measurement:
    """Compare base with head (or base + patch). Only the benchmarks' own files are pinned:
    both sides run the base's copy, so a head cannot win by editing its workload."""
    repo, subdir, base_sha, diff = _refs(path, base, head, patch)
    top = Path(repo.working_tree_dir or path).resolve()
    config = MeasureConfig(pairs=pairs, max_pairs=max(pairs, 2 * pairs))
    if bench and not bench_select:
        pinned = guess_bench_files(bench, path.resolve())
        factory = pick_sandbox(sandbox, say)
        return _one_command(
            factory, _spec(top, base_sha, subdir, pinned), bench, test, diff, config, say
        )
    return _suites(
        path, top, subdir, base_sha, diff, (bench, test, bench_select), config, sandbox, say
    )


def _spec(
    top: Path, base_sha: str, subdir: str, pinned: tuple[str, ...]
) -> Callable[[str, str], WorkspaceSpec]:
    protected = tuple(f"{subdir}/{f}" if subdir else f for f in pinned)

    def spec(name: str, change: str = "") -> WorkspaceSpec:
        return WorkspaceSpec(
            top, base_sha, patch=change, subdir=subdir, protected=protected, name=name
        )

    return spec


def _one_command(
    factory: SandboxFactory,
    spec: Callable[[str, str], WorkspaceSpec],
    bench: str,
    test: str | None,
    diff: str,
    config: MeasureConfig,
    say: Say,
) -> Measurement:
    try:
        with (
            opened(factory, spec("base", "")) as base_sb,
            opened(factory, spec("head", diff)) as head_sb,
        ):
            check = base_sb.execute(bench, timeout=config.timeout_s)
            if not check.ok:
                raise BaselineBroken(
                    f"the benchmark fails on the base ({bench!r}, "
                    f"{check.killed_reason or f'exit {check.returncode}'}):\n{check.tail()}"
                )
            return measure(base_sb, head_sb, Workload("command", bench), test, config, on_stage=say)
    except SandboxError as exc:
        raise BadInput(str(exc).splitlines()[0]) from exc


def _suites(
    path: Path,
    top: Path,
    subdir: str,
    base_sha: str,
    diff: str,
    given: tuple[str | None, str | None, str | None],
    config: MeasureConfig,
    sandbox: str,
    say: Say,
) -> Measurement:
    """Every workload of the task's suites (those `bench_select` names) measured on base and
    head; the tests run only when `--test` is given."""
    bench, test, bench_select = given
    try:
        # The project's table also holds `optimize`'s settings (budget, model...): not errors here.
        task = load_task(
            path,
            {"bench": bench, "bench_select": bench_select},
            allow_dirty=True,
            run_keys=RUN_KEYS,
        )
    except TaskError as exc:
        raise BadInput(str(exc)) from None
    task = replace(task, test=test, base_ref=base_sha)
    factory = pick_sandbox(sandbox, say, task)
    spec = _spec(top, base_sha, subdir, task.bench_files)
    profiler = suite_profiler(
        task, factory, replace(config, timeout_s=task.timeout_s), spec, by_touch=False
    )
    try:
        return profiler.evaluate(diff, say)
    except BaselineFailed as exc:
        raise BaselineBroken(str(exc)) from None
    except MeasurementError as exc:
        raise BadInput(str(exc).splitlines()[0]) from None
    except SandboxError as exc:
        raise BadInput(str(exc).splitlines()[0]) from exc
