"""`perfagent measure --bench-select`: a per-benchmark table with confidence intervals, in
text and in `--json` `workloads` (issue 15)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli import app
from tests.conftest import git
from tests.fixtures.suite_repo import PATCHES, make_suite_repo

pytestmark = pytest.mark.slow
PICKED = [
    "bench_text.TimeWordCounts.time_word_counts(2000)",
    "bench_text.time_tokenize",
]


def test_measure_gives_every_selected_benchmark_with_its_interval(tmp_path: Path) -> None:
    repo = tmp_path / "suitepkg"
    make_suite_repo(repo)
    # Guards a CI failure: at the fixture's 2 % tolerance, noise on this shared machine once
    # flagged the untouched time_tokenize slower (x1.054), a false alarm the regression test
    # allows 5 % of the time. Its siblings (test_suites_run, test_suite_loop) use 20 % too.
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("= 0.02", "= 0.2"))
    git(repo, "commit", "-qam", "tolerate noise")
    patch = tmp_path / "genuine.diff"
    patch.write_text(PATCHES["genuine"])
    args = ["measure", str(repo), "--patch", str(patch), "--sandbox", "local", "--pairs", "8"]
    args += ["--bench-select", r"word_counts\(2000|time_tokenize", "--json"]
    result = CliRunner().invoke(app, args)
    data = json.loads(result.stdout)
    rows = {w["name"]: w for w in data["workloads"]}
    assert sorted(rows) == sorted(PICKED)
    words = rows[PICKED[0]]
    assert words["verdict"] == "faster" and words["ci_low"] <= words["ratio"] <= words["ci_high"]
    assert all(w["role"] == "other" and w["p_value"] is not None for w in rows.values())
    assert data["verdict"] == "faster" and result.exit_code == 0, result.output
    assert "bench_text.TimeWordCounts.time_word_counts(2000)  other   faster" in result.stderr


@pytest.mark.parametrize(
    "table",
    [
        "[project]\nname = 'x'\n",
        # Guards `perfagent measure examples/inventory` failing with "unknown perfagent
        # settings: budget": the table is shared with `optimize`, whose settings measure ignores.
        "[tool.perfagent]\nbudget = 4\nmodel = 'rules'\n",
    ],
)
def test_measure_without_a_bench_or_a_suite_is_bad_input(tmp_path: Path, table: str) -> None:
    repo = tmp_path / "suitepkg"
    make_suite_repo(repo)
    patch = tmp_path / "p.diff"
    patch.write_text(PATCHES["genuine"])
    (repo / "pyproject.toml").write_text(table)
    result = CliRunner().invoke(app, ["measure", str(repo), "--patch", str(patch)])
    assert result.exit_code == 2 and "no benchmark" in result.output
    assert "unknown perfagent settings" not in result.output
