"""Each check of the accepted candidate, with its one-line reason, in `show --json`
(`best.checks`), the HTML report and the pull request body; the generalization ratio shows
beside the workload's."""

from __future__ import annotations

from pathlib import Path

from agent.github.body import pr_body
from agent.github.evidence import gather_evidence
from agent.views.report import render_report
from agent.views.summary import run_summary
from storage import Store, sqlite_url

RUNTIME = {
    "base_median_s": 0.26,
    "head_median_s": 0.11,
    "ratio": 0.42,
    "ci_low": 0.40,
    "ci_high": 0.45,
    "p_value": 1e-5,
    "n_pairs": 10,
}
CHECKS = [
    {"name": "tests", "passed": True, "reason": "tests pass on head", "evidence": {}},
    {
        "name": "behaviour",
        "passed": True,
        "reason": "3 recorded call(s) of 2 changed function(s) return, raise and mutate as on the base",
        "evidence": {"compared": 3, "capture_ratio": 1.12, "workload_s": 0.26},
    },
    {
        "name": "perturbed",
        "passed": True,
        "reason": "same results on 12 nearby input(s)",
        "evidence": {},
    },
    {"name": "special-case", "passed": True, "reason": "no special case found", "evidence": {}},
    {
        "name": "generalization",
        "passed": True,
        "reason": "faster on nearby inputs too: x0.470 on nearby inputs",
        "evidence": {
            "ratio": 0.47,
            "ci_low": 0.44,
            "ci_high": 0.51,
            "p_value": 2e-4,
            "workload_ratio": 0.42,
            "captured_ratio": 0.30,
            "n_pairs": 10,
        },
    },
    {
        "name": "review",
        "passed": None,
        "reason": "no review: the model call failed",
        "evidence": {},
    },
]
REJECTED = [
    {
        "name": "behaviour",
        "passed": False,
        "reason": "stock/ops.py::reserve differs from the base",
        "rejects": "broken",
        "evidence": {
            "first_difference": {
                "function": "stock/ops.py::reserve",
                "args": "({'a': 2}, ['a'])",
                "base": "{'a': 1}",
                "head": "{'a': 2}",
                "where": "argument 0['a'] after the call",
            }
        },
    }
]


def make_run(tmp_path: Path) -> tuple[Store, str]:
    store = Store(sqlite_url(tmp_path / "runs.db"))
    run = store.create_run(
        repo=str(tmp_path),
        base_commit="abc123",
        task={"bench": "python bench.py", "test": "python tests/check.py"},
        model="scripted",
        sandbox="local",
        baseline={"wall_s": 0.26, "tests_flaky": False},
    )
    plans = store.add_plans(
        run.id,
        0,
        [{"title": t, "text": t, "source": "scripted"} for t in ("use a set", "skip the update")],
    )
    measured = {"verdict": "faster", "tests_passed": True, "runtime": RUNTIME, "checks": CHECKS}
    best = store.add_candidate(
        run.id,
        plan_id=plans[0],
        diff="--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-a\n+b\n",
        status="accepted",
        verdict="faster",
        tests_passed=True,
        runtime_ratio=0.42,
        ci_low=0.40,
        ci_high=0.45,
        p_value=1e-5,
        measurement=measured,
        confirmation={**RUNTIME, "verdict": "faster"},
    )
    store.add_candidate(
        run.id,
        plan_id=plans[1],
        diff="--- a/y.py\n+++ b/y.py\n@@ -1 +1 @@\n-a\n+c\n",
        status="broken",
        verdict="broken",
        reason=REJECTED[0]["reason"],
        measurement={"verdict": "broken", "checks": REJECTED},
    )
    store.update_run(run.id, status="finished", best_candidate_id=best)
    return store, run.id


def test_show_json_lists_every_check_of_the_best_candidate(tmp_path: Path) -> None:
    store, run_id = make_run(tmp_path)
    best = run_summary(store, run_id)["best"]
    assert [c["name"] for c in best["checks"]] == [c["name"] for c in CHECKS]
    assert best["checks"][1] == {"name": "behaviour", "passed": True, "reason": CHECKS[1]["reason"]}
    assert best["checks"][-1]["passed"] is None


def test_the_report_shows_each_check_and_the_generalization_ratio(tmp_path: Path) -> None:
    store, run_id = make_run(tmp_path)
    page = render_report(store, run_id)
    assert "How candidate #1 was checked" in page
    for check in CHECKS:
        assert check["reason"] in page
    assert "nearby inputs ×0.470 [0.440, 0.510] beside the workload&#39;s ×0.420" in page
    assert "recording cost 1.12× one workload run" in page
    assert "first differing call: stock/ops.py::reserve" in page  # the rejected candidate's


def test_the_pr_body_lists_each_check_with_its_reason(tmp_path: Path) -> None:
    store, run_id = make_run(tmp_path)
    body = pr_body(gather_evidence(store, run_id), branch=None)
    assert "### Checks" in body
    for check in CHECKS:
        assert f"- **{check['name']}**:" in body and check["reason"] in body
    assert "| changed functions on nearby inputs | — | — | **0.470** | 0.440 – 0.510 |" in body
