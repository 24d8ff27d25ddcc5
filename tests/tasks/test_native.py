"""Loading a task from a local repository: settings, defaults and bad input."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tasks import TaskError, load_task

SETTINGS = """
[tool.perfagent]
bench = "python bench.py"
test = "python -m pytest -q"
include = ["pkg/**/*.py"]
budget = 3
"""


def test_settings_come_from_pyproject_and_flags_win(make_repo: Callable[..., Path]) -> None:
    repo = make_repo({"pyproject.toml": SETTINGS, "bench.py": "", "pkg/a.py": ""})
    task = load_task(repo, {"bench": "python bench.py --fast", "test": None}, run_keys={"budget"})
    assert task.bench == "python bench.py --fast"
    assert task.test == "python -m pytest -q"
    assert task.include == ("pkg/**/*.py",)
    assert task.bench_files == ("bench.py",)
    assert "bench.py" in task.protected
    assert len(task.base_ref) == 40


def test_a_subdirectory_task_keeps_its_repo_relative_prefix(
    make_repo: Callable[..., Path],
) -> None:
    repo = make_repo({"examples/ex/pyproject.toml": SETTINGS, "examples/ex/bench.py": ""})
    task = load_task(repo / "examples" / "ex", run_keys={"budget"})
    assert task.repo == repo.resolve()
    assert task.subdir == "examples/ex"
    assert "examples/ex/bench.py" in task.protected


def test_not_a_git_repo(tmp_path: Path) -> None:
    with pytest.raises(TaskError, match="not inside a git repository"):
        load_task(tmp_path, {"bench": "true"})


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(TaskError, match="no such directory"):
        load_task(tmp_path / "nope", {"bench": "true"})


def test_no_benchmark(make_repo: Callable[..., Path]) -> None:
    repo = make_repo({"a.py": ""})
    with pytest.raises(TaskError, match="no benchmark"):
        load_task(repo)


def test_dirty_tree_is_refused_unless_allowed(make_repo: Callable[..., Path]) -> None:
    repo = make_repo({"a.py": "x = 1\n"})
    (repo / "a.py").write_text("x = 2\n")
    with pytest.raises(TaskError, match=r"uncommitted changes in a\.py"):
        load_task(repo, {"bench": "true"})
    assert load_task(repo, {"bench": "true"}, allow_dirty=True).bench == "true"


def test_malformed_settings(make_repo: Callable[..., Path]) -> None:
    repo = make_repo({"pyproject.toml": "[tool.perfagent\nbench="})
    with pytest.raises(TaskError, match="not valid TOML"):
        load_task(repo)
    repo2 = make_repo({"perfagent.toml": 'bench = "x"\nbudjet = 3\n'})
    with pytest.raises(TaskError, match="unknown perfagent settings: budjet"):
        load_task(repo2)


def test_provider_settings_table_reaches_the_task(make_repo: Callable[..., Path]) -> None:
    """`[tool.perfagent.llm]` is kept for the model settings (agent.models.settings)."""
    text = SETTINGS + "\n[tool.perfagent.llm]\ntimeout = 60\nprice = {input = 1.0, output = 2.0}\n"
    repo = make_repo({"pyproject.toml": text, "bench.py": ""})
    task = load_task(repo, run_keys={"budget"})
    assert task.metadata["llm"] == {"timeout": 60, "price": {"input": 1.0, "output": 2.0}}
