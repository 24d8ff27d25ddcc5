"""A run as one self-contained HTML page: verdict in plain words, baseline, Pareto plot,
every candidate with its plan and diff, and the baseline's flame graph.

The page works offline and runs nothing: no scripts, no external URLs or fonts, only inline
CSS and SVG, and a Content-Security-Policy that forbids scripts should anything slip through.
Plans and diffs come from models and are treated as hostile: the template autoescapes every
value, and secrets are redacted before rendering.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from agent.exceptions import BadInput
from agent.flamegraph import FlameConfig, flamegraph_svg
from agent.pareto import Point, front
from agent.summary import run_summary
from storage import Store, redact
from storage.models import Run

TEMPLATE = "report_template.html.j2"

STATUS_WORDS = {
    "accepted": "faster, confirmed by a fresh re-measurement",
    "faster": "faster in evaluation, not re-measured yet",
    "unconfirmed": "faster at first, but the re-measurement did not confirm it",
    "rejected": "checks passed, not measurably faster",
    "broken": "tests failed or the output changed",
    "error": "the sandbox failed while evaluating it",
    "edit-failed": "the plan's edit could not be applied",
    "duplicate": "the same change as an earlier candidate",
    "coded": "waiting to be evaluated",
    "evaluating": "being evaluated",
}


@dataclass(frozen=True)
class ReportConfig:
    """How the report is drawn."""

    plot_width: int = 1130
    """Width of the Pareto scatter plot in pixels (it shrinks to fit narrower windows)."""
    plot_height: int = 460
    """Height of the Pareto scatter plot in pixels."""
    max_diff_lines: int = 4000
    """Longer diffs are cut (with a note) so one huge candidate cannot swamp the page."""
    flame: FlameConfig = field(default_factory=lambda: FlameConfig(width=1130))
    """How the baseline's flame graph is drawn."""


# formatting ------------------------------------------------------------------------------------
def fmt_ratio(r: float | None) -> str:
    return "—" if r is None else f"{r:.3f}"


def fmt_p(p: float | None) -> str:
    if p is None:
        return "—"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def fmt_seconds(s: float | None) -> str:
    if s is None:
        return "not measured"
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.3f} s"


def fmt_bytes(n: float | None) -> str:
    if not n:
        return "not measured"
    return f"{n / 2**20:.1f} MiB"


def fmt_count(n: Any) -> str:
    if isinstance(n, dict):
        n = n.get("count", n.get("base"))
    return f"{int(n):,}".replace(",", " ") if isinstance(n, int | float) else "not measured"


def fmt_change(r: float | None) -> str:
    """A ratio of times in words: 0.8 -> "20.0 % less time"."""
    if r is None:
        return ""
    if abs(r - 1) < 0.0005:
        return "no change"
    return f"{abs(1 - r) * 100:.1f} % {'less' if r < 1 else 'more'} time"


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def fmt_tests(passed: bool | None) -> str:
    return {True: "passed", False: "failed", None: "—"}[passed]


def diff_lines(diff: str, limit: int) -> tuple[list[tuple[str, str]], int]:
    """The diff's lines with a CSS class each, and how many lines were cut."""
    lines = diff.splitlines()
    shown, cut = lines[:limit], max(len(lines) - limit, 0)

    def kind(line: str) -> str:
        if line.startswith(("+++", "---", "diff ", "index ")):
            return "file"
        if line.startswith("@@"):
            return "hunk"
        return {"+": "add", "-": "del"}.get(line[:1], "ctx")

    return [(kind(line), line) for line in shown], cut


# the scatter plot ------------------------------------------------------------------------------
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


def build_plot(
    cands: list[dict[str, Any]], front_ids: set[int], front_label: str, cfg: ReportConfig
) -> Plot:
    """Runtime ratio (with CI) against instructions ratio, else memory ratio, else nothing."""
    timed = [c for c in cands if c["runtime_ratio"] is not None]
    y_key, y_label, better = "", "no instruction or memory measurements", "faster"
    for key, label, words in Y_AXES:
        if any(c[key] is not None for c in timed):
            y_key, y_label, better = key, label, words
            break
    plotted = [c for c in timed if not y_key or c[y_key] is not None]

    def lo_hi(c: dict[str, Any]) -> tuple[float, float]:
        r = c["runtime_ratio"]
        low = c["ci_low"] if c["ci_low"] is not None else r
        high = c["ci_high"] if c["ci_high"] is not None else r
        return low, high

    xs = [1.0] + [v for c in plotted for v in lo_hi(c)]
    ys = [1.0] + [c[y_key] for c in plotted if y_key]
    x0, x1 = _domain(xs)
    y0, y1 = _domain(ys)
    left, top, right, bottom = 64.0, 16.0, cfg.plot_width - 16.0, cfg.plot_height - 52.0

    def px(v: float) -> float:
        return left + (v - x0) / (x1 - x0) * (right - left)

    def py(v: float) -> float:
        return bottom - (v - y0) / (y1 - y0) * (bottom - top)

    def ticks(lo: float, hi: float, to_px: Any) -> list[Tick]:
        values = nice_ticks(lo, hi)
        step = values[1] - values[0] if len(values) > 1 else 0.1
        return [Tick(round(to_px(v), 2), _tick_label(v, step)) for v in values]

    points = []
    for c in plotted:
        low, high = lo_hi(c)
        y = c[y_key] if y_key else 1.0
        y_text = f", {y_label.split(' (')[0]} {y:.3f}" if y_key else ""
        points.append(
            PlotPoint(
                id=c["candidate_id"],
                x=round(px(c["runtime_ratio"]), 2),
                y=round(py(y), 2),
                x_low=round(px(low), 2),
                x_high=round(px(high), 2),
                front=c["candidate_id"] in front_ids,
                title=(
                    f"#{c['candidate_id']} {c['plan_title']} ({c['status']}): runtime ratio "
                    f"{c['runtime_ratio']:.3f} [{low:.3f}, {high:.3f}]{y_text}"
                ),
            )
        )
    return Plot(
        width=cfg.plot_width,
        height=cfg.plot_height,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        x_ticks=ticks(x0, x1, px),
        y_ticks=ticks(y0, y1, py) if y_key else [],
        x_label="runtime ratio (candidate / baseline), 95 % CI",
        y_label=y_label,
        base_x=round(px(1.0), 2),
        base_y=round(py(1.0), 2),
        points=sorted(points, key=lambda p: p.front),
        better_label=better,
        front_label=front_label,
        omitted=len(cands) - len(plotted),
    )


# the page --------------------------------------------------------------------------------------
def headline(summary: dict[str, Any]) -> tuple[str, str, str]:
    """(css class, one-sentence verdict, why the run stopped), in plain words."""
    status, reason, best = summary["status"], summary["reason"], summary["best"]
    n = summary["candidates_evaluated"]
    evaluated = f"{n} candidate{'s' if n != 1 else ''} evaluated"
    why = f"Why the run stopped: {reason}." if reason else ""
    if best is not None and best["runtime_ratio"] is not None:
        r, lo, hi = best["runtime_ratio"], best["ci_low"], best["ci_high"]
        ci = f" (95 % CI {lo:.3f}–{hi:.3f})" if lo is not None and hi is not None else ""
        confirmed = ", confirmed by a fresh re-measurement" if best["status"] == "accepted" else ""
        return (
            "found",
            f"Found a faster version: candidate #{best['candidate_id']} "
            f"“{shorten(best['plan_title'], 90)}” runs in {r:.3f}× the baseline's time{ci}, "
            f"{fmt_change(r)}{confirmed}. {evaluated.capitalize()}.",
            why,
        )
    if status == "running":
        return "running", f"This run is still in progress ({evaluated} so far).", why
    if status == "interrupted":
        return (
            "stopped",
            f"This run was interrupted before it finished ({evaluated}); "
            f"resume it with `perfagent resume {summary['run_id']}`.",
            why,
        )
    if status == "failed":
        return "failed", f"This run failed: {reason or 'no reason recorded'}.", ""
    return (
        "nothing",
        f"Nothing was found: {evaluated}, none measurably faster than the baseline. "
        "There is no patch to apply.",
        why,
    )


def front_ids(summary: dict[str, Any]) -> tuple[set[int], str]:
    """The highlighted front and its legend: the run's own front once it has one, else a
    provisional front of the candidates found faster so far (not re-measured yet)."""
    confirmed = {c["candidate_id"] for c in summary["pareto"]}
    if confirmed:
        return confirmed, "Pareto front (confirmed)"
    faster = [
        Point(
            id=c["candidate_id"],
            runtime=c["runtime_ratio"],
            ci_low=c["ci_low"] if c["ci_low"] is not None else c["runtime_ratio"],
            ci_high=c["ci_high"] if c["ci_high"] is not None else c["runtime_ratio"],
            instructions=c["instructions_ratio"],
            memory=c["memory_ratio"],
        )
        for c in summary["candidates"]
        if c["status"] == "faster" and c["runtime_ratio"] is not None
    ]
    if faster:
        return {p.id for p in front(faster)}, "provisional front (not re-measured yet)"
    return set(), "Pareto front (none)"


def _paired(measurements: list[dict[str, Any]], section: str, key: str) -> list[float]:
    return [
        float(m[section][key])
        for m in measurements
        if isinstance(m.get(section), dict) and m[section].get(key) is not None
    ]


def baseline_facts(store: Store, run: Run) -> dict[str, Any]:
    """The baseline's figures: from its own check, and from the base side of every paired
    measurement (the fairer comparison: measured interleaved with the candidates)."""
    base = run.baseline or {}
    measured = [c.measurement for c in store.candidates(run.id) if c.measurement]
    paired_s = _paired(measured, "runtime", "base_median_s")
    instructions = base.get("instructions") or next(
        iter(_paired(measured, "instructions", "base")), None
    )
    memory = base.get("peak_rss_bytes") or next(
        iter(_paired(measured, "peak_memory", "base_bytes")), None
    )
    if "tests_flaky" not in base:
        tests = "no test command" if base else "not checked yet"
    else:
        tests = "flaky: failed on a second run" if base["tests_flaky"] else "passed, twice"
    return {
        "wall": fmt_seconds(base.get("wall_s")),
        "wall_runs": sum(t.metric == "walltime_s" for t in store.trials(run.id, None)),
        "paired": fmt_seconds(statistics.median(paired_s)) if paired_s else "",
        "paired_n": len(paired_s),
        "instructions": fmt_count(instructions),
        "memory": fmt_bytes(memory),
        "tests": tests,
        "samples": base.get("profile_samples", 0),
        "hotspots": base.get("hotspots", [])[:10],
    }


def _redacted(c: dict[str, Any]) -> dict[str, Any]:
    return {k: redact(v) if isinstance(v, str) else v for k, v in c.items()}


def context(store: Store, run_id: str, cfg: ReportConfig) -> dict[str, Any]:
    """Everything the template shows, computed from the store."""
    try:
        summary = run_summary(store, run_id)
    except KeyError:
        raise BadInput(f"no run {run_id!r} in the store {store.url}") from None
    summary["candidates"] = [_redacted(c) for c in summary["candidates"]]
    summary["pareto"] = [_redacted(c) for c in summary["pareto"]]
    if summary["best"] is not None:
        summary["best"] = _redacted(summary["best"])
    run = store.run(summary["run_id"])
    assert run is not None
    ids, front_label = front_ids(summary)
    plot = build_plot(summary["candidates"], ids, front_label, cfg)
    counts = Counter(c["status"] for c in summary["candidates"])
    collapsed = store.artifact(run.id, "baseline-profile") or ""
    rows = []
    for c in summary["candidates"]:
        lines, cut = diff_lines(c["diff"], cfg.max_diff_lines)
        rows.append(
            {**c, "diff_lines": lines, "diff_cut": cut, "on_front": c["candidate_id"] in ids}
        )
    klass, verdict, why = headline(summary)
    return {
        "s": summary,
        "run": run,
        "headline": {"class": klass, "verdict": verdict, "why": redact(why)},
        "baseline": baseline_facts(store, run),
        "counts": sorted(counts.items(), key=lambda kv: -kv[1]),
        "status_words": STATUS_WORDS,
        "plot": plot,
        "rows": rows,
        "flamegraph": Markup(flamegraph_svg(collapsed, cfg.flame)),  # escaped inside flamegraph_svg
    }


def _environment() -> Environment:
    env = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True)
    env.lstrip_blocks = True
    env.filters.update(
        ratio=fmt_ratio, pvalue=fmt_p, change=fmt_change, tests=fmt_tests, short=lambda s: s[:12]
    )
    return env


def render_report(store: Store, run_id: str, config: ReportConfig | None = None) -> str:
    """The report of `run_id` as an HTML string."""
    source = files("agent").joinpath(TEMPLATE).read_text(encoding="utf-8")
    return (
        _environment().from_string(source).render(context(store, run_id, config or ReportConfig()))
    )


def write_report(
    store: Store, run_id: str, path: Path | str, config: ReportConfig | None = None
) -> None:
    """Write the report of `run_id` to `path` (parents created); BadInput when it cannot."""
    page = render_report(store, run_id, config)
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise BadInput(f"cannot write the report to {target}: {exc.strerror or exc}") from None
