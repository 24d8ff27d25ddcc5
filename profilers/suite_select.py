"""Which suite benchmarks to measure for a candidate: those whose profile runs the code it
changes, plus a seeded sample of the rest (so a regression elsewhere can still be caught).

FormulaCode's harness does the same with coverage (formula-code/lsv `measure_impacted`:
benchmarks whose covered methods changed); here the per-benchmark profiles are py-spy's
collapsed stacks from `profilers/hotspots.py`, taken once on the baseline, untimed.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping, Sequence

from profilers.config import MeasureConfig
from profilers.errors import MeasurementError, ToolMissing
from profilers.hotspots import profile_hotspots
from profilers.workload import Workload
from sandbox.base import Sandbox

ChangedFunction = tuple[str, str]
"""(file relative to the task directory, function or `Class.method` name)."""


def _frames(collapsed: str) -> set[tuple[str, str]]:
    """(file, function) of every frame in collapsed stacks ("f (file:line);g (...) COUNT")."""
    out: set[tuple[str, str]] = set()
    for line in collapsed.splitlines():
        stack, _, count = line.rstrip().rpartition(" ")
        if not stack or not count.isdigit():
            continue
        for part in stack.split(";"):
            func, sep, where = part.rpartition(" (")
            if sep and where.endswith(")"):
                out.add((where[:-1].rsplit(":", 1)[0], func))
    return out


def _same_function(frame: str, changed: str) -> bool:
    # py-spy names methods `Class.method`; a diff may name either form. "*" is any function
    # of the file (a change outside every function, `suite_changes.WHOLE_FILE`).
    return (
        changed == "*"
        or frame == changed
        or frame.endswith("." + changed)
        or changed.endswith("." + frame)
    )


def _same_file(frame: str, changed: str) -> bool:
    return frame == changed or frame.endswith("/" + changed)


def touches(collapsed: str, changed: Iterable[ChangedFunction]) -> bool:
    """Whether any stack of a profile passes through one of the changed functions."""
    frames = _frames(collapsed)
    return any(
        _same_file(ff, cf) and _same_function(fn, cn) for cf, cn in changed for ff, fn in frames
    )


def select_touching(
    workloads: Sequence[Workload],
    profiles: Mapping[str, str],
    changed: Iterable[ChangedFunction],
    *,
    sample: int = 2,
    seed: int = 0,
) -> list[Workload]:
    """The workloads whose profile (`profiles[w.label]`, collapsed stacks) touches `changed`,
    plus `sample` others drawn with `seed` (workloads without a profile are among the others).
    Targets and holdouts are always kept. The order of `workloads` is preserved."""
    wanted = list(changed)
    keep: set[int] = set()
    rest: list[int] = []
    for i, w in enumerate(workloads):
        profile = profiles.get(w.label)
        if w.role != "other" or (profile and touches(profile, wanted)):
            keep.add(i)
        else:
            rest.append(i)
    keep.update(random.Random(seed).sample(rest, min(max(sample, 0), len(rest))))
    return [w for i, w in enumerate(workloads) if i in keep]


def profile_workloads(
    sb: Sandbox,
    workloads: Sequence[Workload],
    config: MeasureConfig,
    on_error: Callable[[Workload, str], None] | None = None,
) -> dict[str, str]:
    """Collapsed py-spy stacks per workload label (one untimed profiling run each). A workload
    that cannot be profiled is left out (and reported to `on_error`): it then only enters a
    selection through the sample. ToolMissing (no py-spy) is raised."""
    out: dict[str, str] = {}
    for w in workloads:
        if w.metric == "track":
            continue
        try:
            out[w.label] = profile_hotspots(sb, w, config).collapsed
        except ToolMissing:
            raise
        except MeasurementError as exc:
            if on_error is not None:
                on_error(w, str(exc))
    return out
