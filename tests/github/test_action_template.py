"""The GitHub Actions template only uses commands and options that exist."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "examples" / "github-action" / "perfagent.yml"


def test_the_workflow_template_calls_real_options() -> None:
    """Guards the template against drifting from the CLI: every `perfagent pr` option it
    passes is one `pr` takes, and it asks only for the permissions `pr` needs."""
    yaml = pytest.importorskip("yaml")
    import typer
    from typer.main import get_command

    from agent.cli.github import pr

    workflow = yaml.safe_load(TEMPLATE.read_text())
    assert workflow["permissions"] == {"contents": "write", "pull-requests": "write"}
    steps = workflow["jobs"]["optimize"]["steps"]
    script = "\n".join(s.get("run", "") for s in steps)
    app = typer.Typer()
    app.command()(pr)
    known = {opt for p in get_command(app).params for opt in p.opts}
    used = set(re.findall(r"(--[a-z-]+)", script.split("perfagent pr", 1)[1].split("\n\n")[0]))
    assert used and used <= known, used - known
    pr_step = next(s for s in steps if "perfagent pr" in s.get("run", ""))
    assert "GITHUB_TOKEN" in pr_step["env"]
    optimize_step = next(s for s in steps if "perfagent optimize" in s.get("run", ""))
    assert "GITHUB_TOKEN" not in optimize_step.get("env", {})


def _workflow() -> dict:  # type: ignore[type-arg]
    yaml = pytest.importorskip("yaml")
    loaded: dict = yaml.safe_load(TEMPLATE.read_text())  # type: ignore[type-arg]
    return loaded


def test_perfagent_is_installed_from_its_repository_at_a_pinned_ref() -> None:
    """Guards `pip install perfagent`, which installs nothing or someone else's package:
    perfagent is not on a package index."""
    job = _workflow()["jobs"]["optimize"]
    assert re.fullmatch(r"perfagent @ git\+https://\S+@v?[0-9][\w.]*", job["env"]["PERFAGENT"])
    install = next(s for s in job["steps"] if "pip install" in s.get("run", ""))
    assert 'pip install "$PERFAGENT"' in install["run"]
    assert not re.search(r"pip install perfagent\b", install["run"])


@pytest.mark.parametrize(("code", "said"), [(4, "perfagent failed"), (3, "base is broken"),
                                            (1, None)])  # fmt: skip
def test_the_optimize_step_says_perfagent_failed_with_the_log_on_exit_4(
    tmp_path: Path, code: int, said: str | None
) -> None:
    """Guards a crash reported as "nothing found": the step's own shell, run with a
    `perfagent` that exits 4, writes "perfagent failed" and the run's log URL to the job
    summary and fails the step; exit 1 stays a quiet "nothing found"."""
    job = _workflow()["jobs"]["optimize"]
    step = next(s for s in job["steps"] if s.get("id") == "optimize")
    log_url = "https://github.example/octo/calc/actions/runs/42"
    fake = tmp_path / "bin" / "perfagent"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\necho "perfagent: the last line" >&2\nexit {code}\n')
    fake.chmod(0o755)
    out, summary = tmp_path / "output", tmp_path / "summary"
    env = {
        **os.environ,
        "PATH": f"{fake.parent}:{os.environ['PATH']}",
        "GITHUB_OUTPUT": str(out),
        "GITHUB_STEP_SUMMARY": str(summary),
        "LOG_URL": log_url,
    }
    proc = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, env=env,
                          capture_output=True, text=True)  # fmt: skip
    assert proc.returncode == (0 if code == 1 else code), proc.stderr
    assert f"code={code}" in out.read_text()
    text = summary.read_text() if summary.exists() else ""
    if said is None:
        assert text == ""
    else:
        assert said in text
    if code == 4:
        assert (
            log_url in text and f"::error::perfagent failed (exit 4); log: {log_url}" in proc.stdout
        )
