"""A run as one self-contained HTML page: verdict in plain words, baseline, Pareto plot,
every candidate with its plan and diff, and the baseline's flame graph.

The page works offline and runs nothing: no scripts, no external URLs or fonts, only inline
CSS and SVG, and a Content-Security-Policy that forbids scripts should anything slip through.
Plans and diffs come from models and are treated as hostile: the template autoescapes every
value, and secrets are redacted before rendering.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup

from agent.exceptions import BadInput
from agent.loop.pareto import front, points
from agent.views.checks import check_rows
from agent.views.flamegraph import FlameConfig, flamegraph_svg
from agent.views.formats import (
    diff_lines,
    fmt_bytes,
    fmt_change,
    fmt_count,
    fmt_p,
    fmt_ratio,
    fmt_seconds,
    fmt_tests,
    shorten,
)
from agent.views.plot import build_plot
from agent.views.summary import run_summary
from agent.views.workloads import ratio_plot
from sandbox.secrets import redact
from storage import Store
from storage.models import Candidate, Run
from storage.vocabulary import Status

TEMPLATE = "report_template.html.j2"

STATUS_WORDS: dict[Status, str] = {
    Status.ACCEPTED: "faster, confirmed by a fresh re-measurement",
    Status.FASTER: "faster in evaluation, not re-measured yet",
    Status.UNCONFIRMED: "faster at first, but the re-measurement did not confirm it",
    Status.SAME: "checks passed, not measurably faster",
    Status.SLOWER: "checks passed, measurably slower",
    Status.TESTS_FAILED: "the tests failed",
    Status.BROKEN: "the output or the behaviour of a changed function differs from the base",
    Status.OVERFIT: "faster on the workload only, not on perturbed inputs or held-out workloads",
    Status.STATEFUL: "wrote outside its work tree or kept state between runs",
    Status.INPUT_SPECIFIC: "special-cases the benchmark's inputs",
    Status.ERROR: "the sandbox failed while evaluating it",
    Status.EDIT_FAILED: "the plan's edit could not be applied",
    Status.DUPLICATE: "the same change as an earlier candidate",
    Status.CODED: "waiting to be evaluated",
    Status.EVALUATING: "being evaluated",
    Status.REVIEWING: "faster; the reviewing model has not answered yet",
    Status.DOMINATED: "faster than the base, but clearly slower than a checked candidate; "
    "its trust checks were not run",
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
        confirmed = (
            ", confirmed by a fresh re-measurement" if best["status"] == Status.ACCEPTED else ""
        )
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


def front_ids(summary: dict[str, Any], candidates: list[Candidate]) -> tuple[set[int], str]:
    """The highlighted front and its legend: the run's own front once it has one, else a
    provisional front of the candidates found faster so far (not re-measured yet)."""
    confirmed = {c["candidate_id"] for c in summary["pareto"]}
    if confirmed:
        return confirmed, "Pareto front (confirmed)"
    faster = points(c for c in candidates if c.status == Status.FASTER)
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
    ids, front_label = front_ids(summary, store.candidates(run_id))
    plot = build_plot(summary["candidates"], ids, front_label, cfg)
    counts = Counter(c["status"] for c in summary["candidates"])
    collapsed = store.artifact(run.id, "baseline-profile") or ""
    measured = {c.id: c.measurement for c in store.candidates(run_id)}
    rows = []
    for c in summary["candidates"]:
        lines, cut = diff_lines(c["diff"], cfg.max_diff_lines)
        checks = check_rows(measured.get(c["candidate_id"]))
        rows.append(
            {**c, "diff_lines": lines, "diff_cut": cut, "on_front": c["candidate_id"] in ids}
            | {"check_rows": checks}
        )
    best = summary["best"]
    klass, verdict, why = headline(summary)
    return {
        "workloads": workload_sections(rows, cfg),
        "s": summary,
        "run": run,
        "headline": {"class": klass, "verdict": verdict, "why": redact(why)},
        "baseline": baseline_facts(store, run),
        "counts": sorted(counts.items(), key=lambda kv: -kv[1]),
        "status_words": STATUS_WORDS,
        "plot": plot,
        "rows": rows,
        "best_checks": check_rows(measured.get(best["candidate_id"])) if best else [],
        "flamegraph": Markup(flamegraph_svg(collapsed, cfg.flame)),  # escaped inside flamegraph_svg
    }


def workload_sections(rows: list[dict[str, Any]], cfg: ReportConfig) -> list[dict[str, Any]]:
    """Every candidate measured on several workloads: its table and its ratio plot."""
    return [
        {
            "id": c["candidate_id"],
            "title": c["plan_title"],
            "status": c["status"],
            "rows": c["workloads"],
            "plot": ratio_plot(c["workloads"], cfg.plot_width),
        }
        for c in rows
        if c.get("workloads")
    ]


def _environment() -> Environment:
    env = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True)
    env.lstrip_blocks = True
    env.filters.update(
        ratio=fmt_ratio, pvalue=fmt_p, change=fmt_change, tests=fmt_tests, short=lambda s: s[:12]
    )
    return env


def render_report(store: Store, run_id: str, config: ReportConfig | None = None) -> str:
    """The report of `run_id` as an HTML string."""
    source = files("agent.views").joinpath(TEMPLATE).read_text(encoding="utf-8")
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
