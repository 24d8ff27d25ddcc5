"""`perfagent measure`: one head tree against one base tree, judged by the profilers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from agent.exceptions import BadInput, BaselineBroken
from agent.wiring import pick_sandbox
from profilers.config import MeasureConfig
from profilers.evaluate import measure
from profilers.results import Measurement
from profilers.workload import Workload
from sandbox.base import SandboxError, WorkspaceSpec, opened
from tasks.native import TaskError, guess_bench_files, open_repo, resolve_ref


def measure_refs(
    path: Path,
    bench: str,
    base: str,
    head: str | None,
    patch: Path | None,
    test: str | None,
    pairs: int,
    sandbox: str,
    say: Callable[[str], None],
) -> Measurement:
    """Compare base with head (or base + patch). Only the benchmark's own files are pinned:
    both sides run the base's copy, so a head cannot win by editing its workload."""
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
    pinned = tuple(
        f"{subdir}/{f}" if subdir else f for f in guess_bench_files(bench, path.resolve())
    )
    top = Path(repo.working_tree_dir or path).resolve()

    def spec(name: str, change: str = "") -> WorkspaceSpec:
        return WorkspaceSpec(
            top, base_sha, patch=change, subdir=subdir, protected=pinned, name=name
        )

    factory = pick_sandbox(sandbox, say)
    config = MeasureConfig(pairs=pairs, max_pairs=max(pairs, 2 * pairs))
    try:
        with (
            opened(factory, spec("base")) as base_sb,
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
