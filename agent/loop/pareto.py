"""The Pareto archive over runtime, instructions and peak memory, aware of uncertainty.

A dominates B only when A is no worse than B on every objective and clearly better on at
least one. Runtime carries a confidence interval: A is clearly better when A's upper bound
is below B's lower bound; overlapping intervals decide nothing. Instruction counts are
deterministic but a change under `INSTR_TOL` is not a difference; memory likewise under
`MEM_TOL`. Patch size breaks ties when choosing among the front.

With several workloads (a suite), runtime is one objective per workload both candidates were
measured on: the front spans the workloads, so a candidate faster on one benchmark and
slower on another dominates neither. Held-out workloads are guards, not objectives.

`outruns` is the weaker, one-sided question the loop asks of a new head: is a checked
candidate clearly faster than it? Two ratios measured against the same base are compared as
independent estimates (their log standard errors read off the 95 % intervals), which is
what "clearly" means there; demanding disjoint intervals would be a far stricter test.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from storage.models import Candidate

INSTR_TOL = 0.01
MEM_TOL = 0.05
OUTRUN_Z = 1.645
"""One-sided 95 %: how clearly a checked candidate must be faster for a head to wait."""
_Z95 = 1.96


@dataclass(frozen=True)
class Point:
    id: int
    runtime: float
    """Ratio of medians (candidate / baseline)."""
    ci_low: float
    ci_high: float
    instructions: float | None = None
    memory: float | None = None
    patch_lines: int = 0
    workloads: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    """Timed workload name -> 95 % CI of its runtime ratio (several workloads only)."""


def _compare_scalar(a: float | None, b: float | None, tol: float) -> int:
    """-1 when a is clearly better (smaller), 1 when clearly worse, 0 when undecided."""
    if a is None or b is None:
        return 0
    if a < b * (1 - tol):
        return -1
    if a > b * (1 + tol):
        return 1
    return 0


def _compare_interval(a: tuple[float, float], b: tuple[float, float]) -> int:
    if a[1] < b[0]:
        return -1
    if a[0] > b[1]:
        return 1
    return 0


def _compare_runtimes(a: Point, b: Point) -> list[int]:
    """One comparison per workload both were measured on, else of their runtime ratios."""
    common = sorted(set(a.workloads) & set(b.workloads))
    if common:
        return [_compare_interval(a.workloads[n], b.workloads[n]) for n in common]
    return [_compare_interval((a.ci_low, a.ci_high), (b.ci_low, b.ci_high))]


def dominates(a: Point, b: Point) -> bool:
    results = (
        *_compare_runtimes(a, b),
        _compare_scalar(a.instructions, b.instructions, INSTR_TOL),
        _compare_scalar(a.memory, b.memory, MEM_TOL),
    )
    return all(r <= 0 for r in results) and any(r < 0 for r in results)


def _log_se(p: Point) -> float | None:
    if not 0 < p.ci_low <= p.runtime <= p.ci_high:
        return None
    return (math.log(p.ci_high) - math.log(p.ci_low)) / (2 * _Z95)


def clearly_faster(a: Point, b: Point) -> bool:
    """Whether a's runtime ratio is below b's at one-sided 95 % (one workload each; with
    several, each common workload's intervals must be disjoint, as in `dominates`)."""
    if a.workloads or b.workloads:
        results = _compare_runtimes(a, b)
        return all(r <= 0 for r in results) and any(r < 0 for r in results)
    if _compare_interval((a.ci_low, a.ci_high), (b.ci_low, b.ci_high)) < 0:
        return True
    se_a, se_b = _log_se(a), _log_se(b)
    if se_a is None or se_b is None:
        return False
    spread = math.hypot(se_a, se_b)
    gap = math.log(b.runtime) - math.log(a.runtime)
    return gap > 0 and (spread == 0 or gap / spread >= OUTRUN_Z)


def outruns(a: Point, b: Point) -> bool:
    """a is clearly faster than b and no worse on instructions or memory."""
    scalars = (
        _compare_scalar(a.instructions, b.instructions, INSTR_TOL),
        _compare_scalar(a.memory, b.memory, MEM_TOL),
    )
    return all(r <= 0 for r in scalars) and clearly_faster(a, b)


def front(points: Sequence[Point]) -> list[Point]:
    """The non-dominated points, best runtime first, smaller patches first on ties."""
    kept = [p for p in points if not any(dominates(q, p) for q in points if q.id != p.id)]
    return sorted(kept, key=lambda p: (p.runtime, p.patch_lines, p.id))


def point_of(c: Candidate) -> Point:
    """A candidate as a point (the only place this conversion is written). An unmeasured
    runtime counts as the base's (ratio 1)."""
    ratio = c.runtime_ratio if c.runtime_ratio is not None else 1.0
    return Point(
        id=c.id,
        runtime=ratio,
        ci_low=c.ci_low if c.ci_low is not None else ratio,
        ci_high=c.ci_high if c.ci_high is not None else ratio,
        instructions=c.instructions_ratio,
        memory=c.memory_ratio,
        patch_lines=(c.diff or "").count("\n"),
        workloads=workload_intervals(
            (c.confirmation or {}).get("workloads") or (c.measurement or {}).get("workloads")
        ),
    )


def workload_intervals(rows: Iterable[Mapping[str, Any]] | None) -> dict[str, tuple[float, float]]:
    """The timed, non-held-out workloads of a stored measurement with their ratio CIs."""
    out: dict[str, tuple[float, float]] = {}
    for w in rows or []:
        lo, hi = w.get("ci_low"), w.get("ci_high")
        if w.get("role") == "holdout" or w.get("metric") != "time" or lo is None or hi is None:
            continue
        out[str(w["name"])] = (float(lo), float(hi))
    return out


def points(cands: Iterable[Candidate]) -> list[Point]:
    """The measured candidates as points."""
    return [point_of(c) for c in cands if c.runtime_ratio is not None]
