"""The per-workload table of a candidate (docs/design.md §3 `workloads`: name, role, verdict, ratio,
CI, p) as text for `show`, Markdown for pull requests, and a ratio plot for the report.

Rows come from the summary (`agent.views.summary.workloads_of`); held-out workloads are
listed like the others here: these views are for people, never for a model.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

DASH = "—"
Row = dict[str, Any]


def _ci(row: Row) -> str:
    lo, hi = row.get("ci_low"), row.get("ci_high")
    return f"[{lo:.3f}, {hi:.3f}]" if lo is not None and hi is not None else ""


def _ratio(row: Row) -> str:
    r = row.get("ratio")
    return DASH if r is None else f"x{r:.3f}"


def _p(row: Row) -> str:
    p = row.get("p_value")
    if p is None:
        return DASH
    return f"{p:.2g}" if p >= 1e-3 else "<0.001"


def text_table(rows: Sequence[Row], indent: str = "        ") -> list[str]:
    """Aligned lines: workload, role, verdict, ratio with its 95 % CI, p(faster)."""
    if not rows:
        return []
    width = min(max(len(str(r["name"])) for r in rows), 60)
    head = f"{'workload':<{width}}  {'role':<7} {'verdict':<8} {'ratio [95% CI]':<24} p"
    lines = [indent + head]
    for r in rows:
        name = str(r["name"])
        name = name if len(name) <= width else name[: width - 1] + "…"
        shown = f"{_ratio(r)} {_ci(r)}".strip()
        lines.append(
            f"{indent}{name:<{width}}  {r['role']:<7} {r['verdict']:<8} {shown:<24} {_p(r)}"
        )
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table(rows: Sequence[Row]) -> str:
    """A Markdown table of the rows (empty text for no rows)."""
    if not rows:
        return ""
    lines = [
        "| workload | role | verdict | ratio (patched / base) | 95 % CI | p-value |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        ratio = DASH if r.get("ratio") is None else f"{r['ratio']:.3f}"
        ci = _ci(r).strip("[]").replace(", ", " – ") or DASH
        lines.append(
            f"| `{_cell(str(r['name']))}` | {r['role']} | {r['verdict']} | {ratio} | {ci} | "
            f"{_p(r)} |"
        )
    return "\n".join(lines)


# the report's plot ----------------------------------------------------------------------------
@dataclass(frozen=True)
class RatioBar:
    name: str
    role: str
    verdict: str
    y: float
    x: float
    x_low: float
    x_high: float
    title: str


@dataclass(frozen=True)
class RatioPlot:
    """Every workload's ratio with its CI on one horizontal axis (log scale), one row each."""

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    base_x: float
    ticks: list[tuple[float, str]]
    bars: list[RatioBar]
    omitted: int


ROW_H = 22.0


def ratio_plot(rows: Sequence[Row], width: int = 1130) -> RatioPlot | None:
    """Geometry of the ratio plot; None when no row has a ratio."""
    plotted = [r for r in rows if r.get("ratio")]
    if not plotted:
        return None
    values = [1.0] + [
        float(v) for r in plotted for v in (r["ratio"], r.get("ci_low"), r.get("ci_high")) if v
    ]
    lo, hi = math.log(min(values)) - 0.05, math.log(max(values)) + 0.05
    left, right, top = min(420.0, width * 0.45), width - 20.0, 10.0
    bottom = top + ROW_H * len(plotted)

    def px(v: float) -> float:
        return round(left + (math.log(v) - lo) / (hi - lo) * (right - left), 2)

    bars = []
    for i, r in enumerate(plotted):
        ratio = float(r["ratio"])
        low, high = float(r.get("ci_low") or ratio), float(r.get("ci_high") or ratio)
        title = f"{r['name']} ({r['role']}): {r['verdict']}, ratio {ratio:.3f} {_ci(r)}"
        y = round(top + ROW_H * (i + 0.5), 2)
        bars.append(
            RatioBar(r["name"], r["role"], r["verdict"], y, px(ratio), px(low), px(high), title)
        )
    ticks = [(px(t), f"{t:g}") for t in _log_ticks(math.exp(lo), math.exp(hi))]
    return RatioPlot(
        width, int(bottom + 34), left, right, top, bottom, px(1.0), ticks, bars,
        len(rows) - len(plotted),
    )  # fmt: skip


def _log_ticks(lo: float, hi: float) -> list[float]:
    candidates = [
        0.1,
        0.2,
        0.25,
        0.5,
        0.75,
        0.8,
        0.9,
        1.0,
        1.1,
        1.25,
        1.5,
        2.0,
        3.0,
        4.0,
        5.0,
        10.0,
    ]
    inside = [t for t in candidates if lo <= t <= hi]
    while len(inside) > 7:
        inside = inside[::2] if 1.0 in inside[::2] else inside[1::2]
    return inside or [1.0]
