"""The per-workload table of a run measured on several workloads (docs/design.md §3 `workloads`), in
the summary JSON, `show`, the HTML report (with a plot of every workload's ratio) and the PR
body; held-out rows are shown to people, last."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from agent.cli import app
from agent.github.body import pr_body
from agent.github.evidence import gather_evidence
from agent.views.report import render_report
from agent.views.summary import run_summary
from agent.views.workloads import ratio_plot
from storage import Store, sqlite_url
from storage.vocabulary import RunStatus, Status

HOLDOUT = "python bench.py --seed 7"


def row(name: str, role: str, verdict: str, ratio: float | None, metric: str = "time") -> dict:
    ci = (ratio * 0.95, ratio * 1.05) if ratio and metric == "time" else (None, None)
    p = 0.0001 if verdict == "faster" else 0.4
    return {
        "name": name, "role": role, "metric": metric, "verdict": verdict, "ratio": ratio,
        "ci_low": ci[0], "ci_high": ci[1], "p_value": p if metric == "time" else None,
        "reason": "",
    }  # fmt: skip


ROWS = [
    row(HOLDOUT, "holdout", "same", 0.99),
    row("bench_text.TimeWordCounts.time_word_counts(2000)", "other", "faster", 0.52),
    row("bench_numbers.time_sieve", "other", "same", 1.01),
    row("bench_catalog.track_catalog_size", "other", "same", 1.0, metric="track"),
]


def populated(tmp_path: Path) -> tuple[Path, str]:
    db = tmp_path / "s.db"
    store = Store(sqlite_url(db))
    run_id = store.create_run(
        repo=str(tmp_path), base_commit="a" * 40, task={"bench": ""}, model="rules", sandbox="local"
    ).id
    [pid] = store.add_plans(run_id, 1, [{"title": "one pass", "text": "count", "source": "t"}])
    confirmation = {"ratio": 0.52, "ci_low": 0.49, "ci_high": 0.55, "p_value": 1e-4}
    cid = store.add_candidate(
        run_id, plan_id=pid, diff="diff --git a/x b/x\n", status=Status.ACCEPTED, verdict="faster",
        tests_passed=True, runtime_ratio=0.5, ci_low=0.47, ci_high=0.53, on_front=True,
        measurement={"workloads": ROWS[1:]},
        confirmation={**confirmation, "verdict": "faster", "workloads": ROWS},
    )  # fmt: skip
    store.update_run(run_id, status=RunStatus.FINISHED, best_candidate_id=cid)
    return db, run_id


def test_summary_show_report_and_pr_give_every_workload(tmp_path: Path) -> None:
    db, run_id = populated(tmp_path)
    store = Store(sqlite_url(db))
    best = run_summary(store, run_id)["best"]
    assert [w["role"] for w in best["workloads"]] == ["other", "other", "other", "holdout"]
    assert set(best["workloads"][0]) >= {"name", "role", "verdict", "ratio", "ci_low", "p_value"}
    shown = CliRunner().invoke(app, ["show", run_id, "--db", str(db)]).output
    assert "bench_text.TimeWordCounts.time_word_counts(2000)  other   faster   x0.520" in shown
    assert HOLDOUT in shown
    page = render_report(store, run_id)
    assert 'id="workloads"' in page and page.count('class="wl ') == 4  # the track row has a ratio
    assert "bench_numbers.time_sieve" in page and HOLDOUT in page
    body = pr_body(gather_evidence(store, run_id), None)
    assert "### Every workload" in body and "| `bench_numbers.time_sieve` | other | same |" in body
    assert "1 held-out workload(s)" in body and "--bench" not in body


def test_the_ratio_plot_puts_the_baseline_at_one_and_every_bar_in_order() -> None:
    plot = ratio_plot(ROWS, width=800)
    assert plot is not None and [b.name for b in plot.bars] == [r["name"] for r in ROWS]
    faster = plot.bars[1]
    assert faster.x < plot.base_x and faster.x_low < faster.x < faster.x_high
    assert plot.bars[2].x > plot.base_x and any(label == "1" for _, label in plot.ticks)
    assert ratio_plot([row("x", "other", "error", None)]) is None
