"""The run service: one precedence for settings, everything validated before a run exists,
budgets that go on from the store on resume, and an internal error that says so (exit 4)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

from agent.config import RunConfig, resolve_config
from agent.exceptions import BadInput, BudgetExhausted
from agent.loop import budgets
from agent.runs import local_task
from storage import Store, sqlite_url
from tests.agent.test_cli_errors import one_line_error, perfagent

TABLE = '[tool.perfagent]\nbench = "python bench.py"\nbudget = 3\n'


def test_flags_beat_the_environment_which_beats_the_table(
    make_repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guards PERFAGENT_BUDGET having no effect on optimize (the task always had a budget)."""
    repo = make_repo({"pyproject.toml": TABLE, "bench.py": ""})
    assert local_task(repo, {})[1].budget == 3
    monkeypatch.setenv("PERFAGENT_BUDGET", "1")
    assert local_task(repo, {})[1].budget == 1
    assert local_task(repo, {"budget": 2})[1].budget == 2


def test_a_bad_value_names_its_source(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(BadInput, match=r"\[tool.perfagent\] patience"):
        resolve_config({}, {"patience": "soon"})
    monkeypatch.setenv("PERFAGENT_MAX_COST_USD", "lots")
    with pytest.raises(BadInput, match="PERFAGENT_MAX_COST_USD"):
        resolve_config({}, {})


def deps(store: Store, config: RunConfig) -> SimpleNamespace:
    return SimpleNamespace(store=store, config=config, started=time.monotonic())


def test_model_budgets_count_what_the_store_says_was_spent(tmp_path: Path) -> None:
    """Guards budgets living in memory: a resumed run started its LLM calls and dollars at 0."""
    store = Store(sqlite_url(tmp_path / "p.db"))
    run = store.create_run(repo="r", base_commit="c", task={}, model="m", sandbox="local")
    config = RunConfig(max_llm_calls=2, max_cost_usd=1.0)
    budgets.check(deps(store, config), run.id)  # type: ignore[arg-type]
    for _ in range(2):
        store.add_llm_call(run.id, model="m", cost_usd=0.1)
    with pytest.raises(BudgetExhausted, match="2 calls"):
        budgets.check(deps(store, config), run.id)  # type: ignore[arg-type]
    store.add_llm_call(run.id, model="m", cost_usd=0.9)
    with pytest.raises(BudgetExhausted, match=r"\$1.00"):
        budgets.check(deps(store, RunConfig(max_cost_usd=1.0)), run.id)  # type: ignore[arg-type]


def test_wall_time_goes_on_across_processes(tmp_path: Path) -> None:
    store = Store(sqlite_url(tmp_path / "p.db"))
    run = store.create_run(repo="r", base_commit="c", task={}, model="m", sandbox="local")
    d = deps(store, RunConfig(max_wall_s=100))
    budgets.save_wall(d, run.id)  # type: ignore[arg-type]
    store.update_run(run.id, spent_s=100.5)  # an earlier process worked 100.5 s on it
    with pytest.raises(BudgetExhausted, match="wall-time"):
        budgets.check(deps(store, RunConfig(max_wall_s=100)), run.id)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("table", "flags", "needle"),
    [
        ("timeout = -1\n", [], "timeout must be more than 0"),
        ('bench_kind = "nonsense"\n', [], "bench_kind must be one of"),
        ("", ["--sandbox", "bogus"], "--sandbox"),
        ("", ["--budget", "0"], "--budget"),
        ("patience = -2\n", [], "[tool.perfagent] patience"),
    ],
)
def test_bad_configuration_is_bad_input_and_leaves_no_run(
    make_repo: Callable[..., Path], tmp_path: Path, table: str, flags: list[str], needle: str
) -> None:
    repo = make_repo({"pyproject.toml": TABLE + table, "bench.py": ""})
    db = tmp_path / "p.db"
    proc = perfagent("optimize", str(repo), "--db", str(db), *flags)
    assert proc.returncode == 2, proc.stderr
    assert needle in one_line_error(proc)
    assert not db.exists() or Store(sqlite_url(db)).runs() == []


def test_measure_refuses_bad_pairs_before_any_work(make_repo: Callable[..., Path]) -> None:
    repo = make_repo({"bench.py": ""})
    proc = perfagent("measure", str(repo), "--bench", "true", "--head", "HEAD", "--pairs", "-3")
    assert proc.returncode == 2
    assert "--pairs" in proc.stderr and "Traceback" not in proc.stderr


def test_an_internal_error_is_exit_4_with_its_log(make_repo: Callable[..., Path]) -> None:
    """Guards a crash exiting 1, the code of "nothing found"."""
    repo = make_repo({"bench.py": ""})
    proc = perfagent(
        "optimize",
        str(repo),
        "--bench",
        "true",
        "--model",
        "tests.agent.fakes:Crashing",
        "--sandbox",
        "local",
    )
    assert proc.returncode == 4, proc.stderr
    line = [ln for ln in proc.stderr.splitlines() if "internal error" in ln][-1]
    log = Path(line.rsplit("log: ", 1)[1])
    assert "Traceback" in log.read_text() and "Traceback" not in proc.stderr


@pytest.mark.slow
def test_sigterm_ends_measure_without_leaving_work_trees(make_repo: Callable[..., Path]) -> None:
    """Guards `measure` stopped by SIGTERM leaving its work trees behind."""
    import signal
    import subprocess
    import sys

    repo = make_repo({"bench.py": "import time\ntime.sleep(0.5)\n"})
    proc = subprocess.Popen(
        [sys.executable, "-m", "agent", "measure", str(repo), "--bench", "python bench.py",
         "--head", "HEAD", "--sandbox", "local", "--pairs", "20"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(worktrees(repo)) < 2:
        time.sleep(0.2)
    assert len(worktrees(repo)) >= 2, "measure never opened its sandboxes"
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    assert proc.returncode != 0
    assert worktrees(repo) == [str(repo)]


def worktrees(repo: Path) -> list[str]:
    import subprocess

    out = subprocess.run(
        ["git", "-C", str(repo), "worktree", "list", "--porcelain"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return [line.split(" ", 1)[1] for line in out.splitlines() if line.startswith("worktree ")]
