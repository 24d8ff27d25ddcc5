"""Held-out workloads in `[tool.perfagent]` and `--holdout` (issue 12 item 3): their role,
their files protected like the benchmark's, clear errors for bad values."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tasks import TaskError, WorkloadSpec, load_task
from tasks.serialize import task_from_json, task_json

MakeRepo = Callable[..., Path]


def repo(make_repo: MakeRepo, perfagent: str) -> Path:
    return make_repo(
        {
            "pyproject.toml": f'[tool.perfagent]\nbench = "python bench.py"\n{perfagent}\n',
            "bench.py": "print(1)\n",
            "holdout_check.py": "print(2)\n",
            "lib.py": "x = 1\n",
        }
    )


def test_holdouts_from_the_table_are_workloads_with_their_files_protected(
    make_repo: MakeRepo,
) -> None:
    task = load_task(repo(make_repo, 'holdout = ["python holdout_check.py --seed 7"]'))
    assert task.bench == "python bench.py"
    assert task.workloads == (
        WorkloadSpec("command", "python bench.py"),
        WorkloadSpec("command", "python holdout_check.py --seed 7", role="holdout"),
    )
    assert task.holdouts == task.workloads[1:]
    assert "holdout_check.py" in task.bench_files and "holdout_check.py" in task.protected


def test_the_flag_replaces_the_table_and_a_table_entry_may_be_named(make_repo: MakeRepo) -> None:
    path = repo(make_repo, 'holdout = [{name = "h", cmd = "python holdout_check.py"}]')
    assert [(h.label, h.role) for h in load_task(path).holdouts] == [("h", "holdout")]
    flagged = load_task(path, {"holdout": ["python bench.py --seed 9"]})
    assert [h.spec for h in flagged.holdouts] == ["python bench.py --seed 9"]


def test_a_task_keeps_its_holdouts_through_the_store(make_repo: MakeRepo) -> None:
    """Guards resume: a resumed run still measures the held-out workloads."""
    task = load_task(repo(make_repo, 'holdout = "python holdout_check.py"'))
    assert task_from_json(task_json(task)).holdouts == task.holdouts


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("holdout = 3", "holdout must be a command or a list"),
        ('holdout = [""]', "holdout[0] is an empty command"),
        ('holdout = [{cmd = "python b.py", role = "other"}]', "holdout[0].role"),
        ('holdout = [{cmd = "python b.py", colour = "red"}]', "holdout[0]: unknown keys colour"),
    ],
)
def test_bad_holdouts_are_one_line_errors(make_repo: MakeRepo, setting: str, message: str) -> None:
    with pytest.raises(TaskError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_task(repo(make_repo, setting))


def test_bench_select_without_a_suite_is_an_error(make_repo: MakeRepo) -> None:
    with pytest.raises(TaskError, match="--bench-select"):
        load_task(repo(make_repo, ""), {"bench_select": "x"})
