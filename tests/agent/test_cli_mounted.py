"""The subcommands built in their own modules answer on the main `perfagent` command.

Guards against a feature that exists and is tested through its own module (`agent.cli.bench`,
`agent.cli.github`, `agent.views.report`) but is missing from, or crashes on import in, the
command users actually run.
"""

from __future__ import annotations

from pathlib import Path

from storage import Store, sqlite_url
from tests.agent.test_cli_errors import one_line_error, perfagent


def test_every_subcommand_is_on_the_main_command() -> None:
    proc = perfagent("--help")
    assert proc.returncode == 0, proc.stderr
    for name in ("optimize", "report", "validate", "batch", "pr", "bot", "sandbox", "doctor"):
        assert f" {name} " in proc.stdout, name


def test_report_writes_a_page_and_refuses_an_unwritable_path(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    run = Store(sqlite_url(db)).create_run(
        repo=str(tmp_path), base_commit="0" * 40, task={}, model="rules", sandbox="local"
    )
    page = tmp_path / "out" / "report.html"
    ok = perfagent("report", run.id, "--html", str(page), "--db", str(db))
    assert ok.returncode == 0, ok.stderr
    assert page.read_text().lstrip().lower().startswith("<!doctype html>")
    assert run.id in page.read_text()

    bad = perfagent("report", run.id, "--html", "/proc/no/such/dir/r.html", "--db", str(db))
    assert bad.returncode == 2
    assert "cannot write the report" in one_line_error(bad)

    missing = perfagent("report", "nope", "--html", str(page), "--db", str(db))
    assert missing.returncode == 2
    assert "no run 'nope'" in one_line_error(missing)


def test_validate_and_batch_reject_bad_input_in_one_line(tmp_path: Path) -> None:
    proc = perfagent("validate", str(tmp_path / "none.jsonl"), "--format", "gso")
    assert proc.returncode == 2
    assert "cannot read" in one_line_error(proc)
    tasks = tmp_path / "tasks.jsonl"
    tasks.write_text("{}\n")
    proc = perfagent("batch", str(tasks), "--format", "nope")
    assert proc.returncode == 2
    assert "unknown format 'nope'" in one_line_error(proc)
