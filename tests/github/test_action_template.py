"""The GitHub Actions template only uses commands and options that exist."""

from __future__ import annotations

import re
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
