"""`perfagent pr`: a branch built through the Git Data API of a loopback GitHub, a PR body
with the evidence, and refusals that touch nothing."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from agent.cli.github import mount
from tests.conftest import git
from tests.github.conftest import FAST, TOKEN, Hub, add_run, make_diff, store_at


def cli() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """perfagent (test mount)."""

    mount(app)
    return app


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli(), list(args))
    return result.exit_code, result.stdout, result.stderr


PATCH = {
    "calc/core.py": FAST,
    "calc/unused.py": None,
    "calc/fast.py": "def double(x):\n    return 2 * x\n",
}


def test_pr_builds_the_branch_and_opens_a_pr_with_the_evidence(hub: Hub, tmp_path: Path) -> None:
    """Guards the whole path: patched files on the branch, PR into the default branch, and a
    body that states ratios with CIs and p-values, tests, environment and the command."""
    db = tmp_path / "runs.db"
    store = store_at(db)
    run_id = add_run(store, hub.repo, make_diff(hub.repo, PATCH))
    code, out, err = invoke("pr", run_id, "--db", str(db))
    assert code == 0, err
    (pull,) = [p for p in hub.fake.pulls.values()]
    assert out.strip() == pull["html_url"]
    assert pull["base"]["ref"] == "main"
    branch = pull["head"]["ref"]
    assert branch.startswith(f"perfagent/{run_id}-")
    assert hub.fake.file_at(branch, "calc/core.py") == FAST.strip()
    assert "double" in hub.fake.file_at(branch, "calc/fast.py")
    assert "calc/unused.py" not in git(hub.bare, "ls-tree", "-r", "--name-only", branch)
    assert git(hub.bare, "rev-parse", f"{branch}^") == hub.base
    body = pull["body"]
    for needle in (
        "### Plan",
        "time.sleep dominates",
        "| wall time, re-measured from scratch | 261 ms | 31.2 ms | **0.120** | 0.115 – 0.124 "
        "| 1.1e-05 | 10 interleaved pairs |",
        "| CPU instructions (valgrind) | 2,000,000 | 1,000,000 | **0.500** |",
        "| peak memory (RSS) | 10 MiB | 10 MiB | **1.000** |",
        "`python -m pytest -q tests`: **passed**",
        "**Sandbox:** `local`",
        "Python 3.11.9",
        "Test CPU (2 cores)",
        f"--base {hub.base} --patch perfagent.patch --test 'python -m pytest -q tests'",
        f"git fetch origin {branch}",
    ):
        assert needle in body, needle
    assert pull["title"].startswith("perf: Drop the sleep in total()")
    assert TOKEN not in hub.fake.everything_sent_to_us() + out + err
    assert TOKEN.encode() not in db.read_bytes()
    assert git(hub.repo, "status", "--porcelain") == ""  # the user's clone is untouched


def test_pr_twice_reuses_the_open_pull_request(hub: Hub, tmp_path: Path) -> None:
    """Guards against duplicate PRs (noise) when `perfagent pr` is run again for one run."""
    db = tmp_path / "runs.db"
    run_id = add_run(store_at(db), hub.repo, make_diff(hub.repo, PATCH))
    assert invoke("pr", run_id, "--db", str(db))[0] == 0
    code, _out, err = invoke("pr", run_id, "--db", str(db), "--repo", "octo/calc")
    assert code == 0, err
    assert "already open" in err
    assert len(hub.fake.pulls) == 1
    assert len(hub.fake.calls("POST", r"/pulls$")) == 1


def test_pr_refuses_a_run_without_an_accepted_candidate(hub: Hub, tmp_path: Path) -> None:
    """Guards the trust promise: no PR, no GitHub call, one line and exit 1 when nothing won."""
    db = tmp_path / "runs.db"
    run_id = add_run(store_at(db), hub.repo, make_diff(hub.repo, PATCH), accepted=False)
    code, out, err = invoke("pr", run_id, "--db", str(db))
    assert code == 1
    assert out == ""
    assert err.strip().count("\n") == 0
    assert "has no accepted candidate" in err
    assert hub.fake.requests == []


def test_pr_refuses_an_accepted_candidate_without_a_confirmation(hub: Hub, tmp_path: Path) -> None:
    """Guards against proposing a winner of the search that was never re-measured."""
    db = tmp_path / "runs.db"
    store = store_at(db)
    run_id = add_run(store, hub.repo, make_diff(hub.repo, PATCH))
    run = store.run(run_id)
    assert run is not None and run.best_candidate_id is not None
    store.update_candidate(run.best_candidate_id, confirmation={})
    code, _out, err = invoke("pr", run_id, "--db", str(db))
    assert code == 1
    assert "not confirmed faster" in err
    assert hub.fake.requests == []


def test_pr_says_plainly_when_the_base_commit_is_not_on_github(hub: Hub, tmp_path: Path) -> None:
    """Guards the one-line error (not a traceback) for a run on an unpushed commit."""
    (hub.repo / "calc" / "more.py").write_text("Y = 2\n")
    git(hub.repo, "add", "-A")
    git(hub.repo, "commit", "-q", "-m", "local only")
    db = tmp_path / "runs.db"
    run_id = add_run(store_at(db), hub.repo, make_diff(hub.repo, PATCH))
    code, _out, err = invoke("pr", run_id, "--db", str(db))
    assert code == 1
    assert "is not in octo/calc on GitHub: push it first" in err
    assert hub.fake.pulls == {}


def test_pr_needs_a_token_and_a_repository(hub: Hub, tmp_path: Path, monkeypatch: object) -> None:
    """Guards the bad-input exits: no token (2), a malformed --repo (2)."""
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    db = tmp_path / "runs.db"
    run_id = add_run(store_at(db), hub.repo, make_diff(hub.repo, PATCH))
    code, _out, err = invoke("pr", run_id, "--db", str(db), "--repo", "not a repo")
    assert code == 2 and "expected OWNER/NAME" in err
    monkeypatch.delenv("GITHUB_TOKEN")
    code, _out, err = invoke("pr", run_id, "--db", str(db))
    assert code == 2 and "no GitHub token" in err
    assert hub.fake.requests == []


def test_pr_dry_run_prints_the_body_only(hub: Hub, tmp_path: Path) -> None:
    """Guards `--dry-run`: the body on stdout and nothing sent to GitHub."""
    db = tmp_path / "runs.db"
    run_id = add_run(store_at(db), hub.repo, make_diff(hub.repo, PATCH), test=None)
    code, out, _err = invoke("pr", run_id, "--db", str(db), "--dry-run")
    assert code == 0
    assert out.startswith(f"<!-- perfagent:run={run_id}")
    assert "No test command was configured" in out
    assert hub.fake.requests == []
