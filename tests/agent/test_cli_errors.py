"""Bad input ends with one clear line and the exit code of docs/design.md §3, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path


def perfagent(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "agent", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.startswith("perfagent:")]
    assert lines, proc.stderr
    return lines[-1]


def test_not_a_git_repo(tmp_path: Path) -> None:
    proc = perfagent("optimize", str(tmp_path), "--bench", "true")
    assert proc.returncode == 2
    assert "not inside a git repository" in one_line_error(proc)


def test_unknown_model(make_repo: Callable[..., Path]) -> None:
    repo = make_repo({"a.py": ""})
    proc = perfagent("optimize", str(repo), "--bench", "true", "--model", "gpt9000")
    assert proc.returncode == 2
    assert "unknown model 'gpt9000'" in one_line_error(proc)


def test_replay_model_without_script(make_repo: Callable[..., Path]) -> None:
    repo = make_repo({"a.py": ""})
    proc = perfagent(
        "optimize", str(repo), "--bench", "true", "--model", "replay:/nonexistent.json"
    )
    assert proc.returncode == 2
    assert "cannot read replay script" in one_line_error(proc)


def test_unwritable_db(make_repo: Callable[..., Path], tmp_path: Path) -> None:
    repo = make_repo({"a.py": ""})
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    proc = perfagent("optimize", str(repo), "--bench", "true", "--db", str(blocker / "x" / "p.db"))
    assert proc.returncode == 2
    assert "cannot open store" in one_line_error(proc)


def test_show_unknown_run(tmp_path: Path) -> None:
    proc = perfagent("show", "nope", "--db", str(tmp_path / "p.db"))
    assert proc.returncode == 2
    assert "no run 'nope'" in one_line_error(proc)


def test_measure_needs_exactly_one_of_head_and_patch(make_repo: Callable[..., Path]) -> None:
    repo = make_repo({"a.py": ""})
    proc = perfagent("measure", str(repo), "--bench", "true")
    assert proc.returncode == 2
    assert "exactly one of --head" in one_line_error(proc)
