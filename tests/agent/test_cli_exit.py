"""A command leaves without tearing its imported modules down (`agent.cli._leave`), and
loses nothing by it: its exit code, its output and the cleanup kept for the exit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """
import sys, tempfile
from agent import cli

kept = tempfile.TemporaryDirectory()  # removed by its finalizer at exit
print(kept.name, flush=True)
sys.argv = ["perfagent", *sys.argv[1:]]
cli.main()
"""


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (["runs"], 0, "no runs"),
        (["show", "nope"], 2, "no run 'nope'"),
        (["optimize", "/nonexistent/repo", "--bench", "true"], 2, "perfagent:"),
    ],
)
def test_a_command_leaves_early_with_its_code_its_output_and_its_cleanup(
    tmp_path: Path, args: list[str], code: int, said: str
) -> None:
    """Guards the fast exit losing what the normal one does: the exit code, output still in
    a buffer (stdout is a pipe here), and finalizers that remove temporary directories."""
    db = ["--db", str(tmp_path / "store.db")] if args[0] in ("runs", "show") else []
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, *args, *db],
        capture_output=True,
        text=True,
        timeout=300,
    )
    kept = Path(proc.stdout.splitlines()[0])
    assert proc.returncode == code, proc.stderr
    assert said in proc.stdout + proc.stderr
    assert not kept.exists()
