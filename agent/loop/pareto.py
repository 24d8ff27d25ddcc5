"""The Pareto archive over runtime, instructions and peak memory, aware of uncertainty.

A dominates B only when A is no worse than B on every objective and clearly better on at
least one. Runtime carries a confidence interval: A is clearly better when A's upper bound
is below B's lower bound; overlapping intervals decide nothing. Instruction counts are
deterministic but a change under `INSTR_TOL` is not a difference; memory likewise under
`MEM_TOL`. Patch size breaks ties when choosing among the front.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from storage.models import Candidate

INSTR_TOL = 0.01
MEM_TOL = 0.05


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


def _compare_scalar(a: float | None, b: float | None, tol: float) -> int:
    """-1 when a is clearly better (smaller), 1 when clearly worse, 0 when undecided."""
    if a is None or b is None:
        return 0
    if a < b * (1 - tol):
        return -1
    if a > b * (1 + tol):
        return 1
    return 0


def _compare_runtime(a: Point, b: Point) -> int:
    if a.ci_high < b.ci_low:
        return -1
    if a.ci_low > b.ci_high:
        return 1
    return 0


def dominates(a: Point, b: Point) -> bool:
    results = (
        _compare_runtime(a, b),
        _compare_scalar(a.instructions, b.instructions, INSTR_TOL),
        _compare_scalar(a.memory, b.memory, MEM_TOL),
    )
    return all(r <= 0 for r in results) and any(r < 0 for r in results)


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
    )


def points(cands: Iterable[Candidate]) -> list[Point]:
    """The measured candidates as points."""
    return [point_of(c) for c in cands if c.runtime_ratio is not None]
