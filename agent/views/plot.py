"""The Pareto scatter plot's geometry: runtime ratio (with its CI) against instructions or
memory; the report's template only draws what this computes."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Protocol


class PlotConfig(Protocol):
    @property
    def plot_width(self) -> int: ...

    @property
    def plot_height(self) -> int: ...


Y_AXES = (
    (
        "instructions_ratio",
        "instructions ratio (candidate / baseline)",
        "faster and fewer instructions",
    ),
    ("memory_ratio", "peak memory ratio (candidate / baseline)", "faster and less memory"),
)
"""The second objective, in order of preference: (summary key, axis label, better quadrant)."""


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True)
class PlotPoint:
    id: int
    x: float
    y: float
    x_low: float
    x_high: float
    front: bool
    title: str


@dataclass(frozen=True)
class Plot:
    """Pixel geometry of the Pareto scatter plot; the template only draws it."""

    width: int
    height: int
    left: float
    top: float
    right: float
    bottom: float
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    x_label: str
    y_label: str
    base_x: float
    base_y: float
    points: list[PlotPoint]
    better_label: str
    front_label: str
    omitted: int


def nice_ticks(lo: float, hi: float, n: int = 6) -> list[float]:
    """Round tick values covering [lo, hi], about `n` of them."""
    span = hi - lo
    raw = span / max(n - 1, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = min((m * mag for m in (1, 2, 2.5, 5, 10)), key=lambda st: abs(span / st - (n - 1)))
    first = math.ceil(lo / step - 1e-9) * step
    count = math.floor((hi - first) / step + 1e-9) + 1
    return [round(first + i * step, 10) for i in range(count)]


def _domain(values: list[float]) -> tuple[float, float]:
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.08 if hi > lo else 0.05
    return max(lo - pad, 0.0), hi + pad


def _tick_label(v: float, step: float) -> str:
    decimals = max(0, -math.floor(math.log10(step)) + (1 if step * 10 % 10 else 0))
    return f"{v:.{min(decimals, 4)}f}"


def y_axis(timed: list[dict[str, Any]]) -> tuple[str, str, str]:
    """The second objective measured for some candidate: (key, axis label, better quadrant)."""
    for key, label, words in Y_AXES:
        if any(c[key] is not None for c in timed):
            return key, label, words
    return "", "no instruction or memory measurements", "faster"


def runtime_interval(c: dict[str, Any]) -> tuple[float, float]:
    r = c["runtime_ratio"]
    low = c["ci_low"] if c["ci_low"] is not None else r
    high = c["ci_high"] if c["ci_high"] is not None else r
    return low, high


@dataclass(frozen=True)
class Frame:
    """Data ranges mapped onto the plot's pixels."""

    x0: float
    x1: float
    y0: float
    y1: float
    left: float
    top: float
    right: float
    bottom: float

    def px(self, v: float) -> float:
        return self.left + (v - self.x0) / (self.x1 - self.x0) * (self.right - self.left)

    def py(self, v: float) -> float:
        return self.bottom - (v - self.y0) / (self.y1 - self.y0) * (self.bottom - self.top)


def ticks(lo: float, hi: float, to_px: Any) -> list[Tick]:
    values = nice_ticks(lo, hi)
    step = values[1] - values[0] if len(values) > 1 else 0.1
    return [Tick(round(to_px(v), 2), _tick_label(v, step)) for v in values]


def plot_point(c: dict[str, Any], f: Frame, y_key: str, y_label: str, front: bool) -> PlotPoint:
    low, high = runtime_interval(c)
    y = c[y_key] if y_key else 1.0
    y_text = f", {y_label.split(' (')[0]} {y:.3f}" if y_key else ""
    return PlotPoint(
        id=c["candidate_id"],
        x=round(f.px(c["runtime_ratio"]), 2),
        y=round(f.py(y), 2),
        x_low=round(f.px(low), 2),
        x_high=round(f.px(high), 2),
        front=front,
        title=(
            f"#{c['candidate_id']} {c['plan_title']} ({c['status']}): runtime ratio "
            f"{c['runtime_ratio']:.3f} [{low:.3f}, {high:.3f}]{y_text}"
        ),
    )


def build_plot(
    cands: list[dict[str, Any]], front_ids: set[int], front_label: str, cfg: PlotConfig
) -> Plot:
    """Runtime ratio (with CI) against instructions ratio, else memory ratio, else nothing."""
    timed = [c for c in cands if c["runtime_ratio"] is not None]
    y_key, y_label, better = y_axis(timed)
    plotted = [c for c in timed if not y_key or c[y_key] is not None]
    xs = [1.0] + [v for c in plotted for v in runtime_interval(c)]
    ys = [1.0] + [c[y_key] for c in plotted if y_key]
    f = Frame(*_domain(xs), *_domain(ys), 64.0, 16.0, cfg.plot_width - 16.0, cfg.plot_height - 52.0)
    points = [plot_point(c, f, y_key, y_label, c["candidate_id"] in front_ids) for c in plotted]
    return Plot(
        width=cfg.plot_width,
        height=cfg.plot_height,
        left=f.left,
        top=f.top,
        right=f.right,
        bottom=f.bottom,
        x_ticks=ticks(f.x0, f.x1, f.px),
        y_ticks=ticks(f.y0, f.y1, f.py) if y_key else [],
        x_label="runtime ratio (candidate / baseline), 95 % CI",
        y_label=y_label,
        base_x=round(f.px(1.0), 2),
        base_y=round(f.py(1.0), 2),
        points=sorted(points, key=lambda p: p.front),
        better_label=better,
        front_label=front_label,
        omitted=len(cands) - len(plotted),
    )
