"""Several workloads and suites in `[tool.perfagent]`, and FormulaCode-format instances."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from profilers.workload import Workload
from tasks import SuiteSpec, Task, TaskError, WorkloadSpec, load_task
from tasks.formats import build_task, get_format, parse_records
from tasks.formulacode import advantages, hierarchy, speedups
from tasks.predictions import prediction, validation_errors, write_predictions
from tasks.repos import RepoConfig
from tests.fixtures.suite_repo import PATCHES, make_suite_repo

MakeRepo = Callable[..., Path]


def settings_repo(make_repo: MakeRepo, perfagent: str, **files: str) -> Path:
    return make_repo(
        {
            "pyproject.toml": f"[tool.perfagent]\n{perfagent}\n",
            "bench.py": "print(1)\n",
            "asv.conf.json": '{\n  // comment\n  "benchmark_dir": "perf/asv"\n}\n',
            "perf/asv/__init__.py": "",
            "perf/asv/bench_x.py": "def time_x():\n    pass\n",
            "tests/bench/test_b.py": "def test_b(benchmark):\n    benchmark(int)\n",
            **files,
        }
    )


def test_a_single_bench_string_is_one_target_as_before(make_repo: MakeRepo) -> None:
    task = load_task(settings_repo(make_repo, 'bench = "python bench.py"'))
    assert (task.bench, task.bench_kind, task.bench_files) == (
        "python bench.py",
        "command",
        ("bench.py",),
    )
    assert task.workloads == (WorkloadSpec("command", "python bench.py"),)
    assert task.workload_specs == () and task.suites == () and task.regress_tolerance == 0.02


def test_a_bench_list_names_roles_and_kinds(make_repo: MakeRepo) -> None:
    bench = (
        'bench = ["python bench.py", {name = "big", cmd = "python bench.py --big", role = "other"},'
        ' {name = "b", cmd = "tests/bench/test_b.py::test_b", kind = "pytest-benchmark"}]\n'
        "regress_tolerance = 0.05"
    )
    task = load_task(settings_repo(make_repo, bench))
    assert [(w.label, w.kind, w.role) for w in task.workloads] == [
        ("python bench.py", "command", "target"),
        ("big", "command", "other"),
        ("b", "pytest-benchmark", "target"),
    ]
    assert task.bench == "python bench.py" and task.regress_tolerance == 0.05
    assert task.bench_files == ("bench.py", "tests/bench/test_b.py")


def test_asv_and_pytest_benchmark_suites_are_read(make_repo: MakeRepo) -> None:
    text = 'asv = true\nasv_select = "time_x"\npytest_benchmark = "tests/bench"'
    task = load_task(settings_repo(make_repo, text))
    assert task.suites == (
        SuiteSpec("asv", "perf/asv", select="time_x"),
        SuiteSpec("pytest-benchmark", "tests/bench"),
    )
    assert task.bench == "" and task.workloads == ()
    assert task.bench_files == ("perf/asv/**", "tests/bench/**")
    assert "perf/asv/**" in task.protected
    picked = load_task(settings_repo(make_repo, 'asv = true\nbench_select = "x"'))
    assert picked.suites[0].select == "x"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no benchmark"),
        ('bench = ["a", {cmd = "b", role = "spare"}]', r"bench\[1\].role"),
        ('bench = [{name = "a"}]', r"bench\[0\] needs cmd"),
        ('bench = ["x", "x"]', "unique: x"),
        ('bench = [{cmd = "a", when = 1}]', "unknown keys when"),
        ('asv = true\nasv_select = "time_("', "asv_select is not a valid regular expression"),
        ('bench = "b"\nasv_select = "x"', "asv_select needs asv"),
        ('asv = "nope/asv.conf.json"', "no nope/asv.conf.json"),
        ("asv = 3", "asv must be true"),
        ('bench = "b"\nregress_tolerance = 1.5', "regress_tolerance must be at least 0"),
        ('bench = "b"\nregress_tolerance = "2%"', "regress_tolerance must be a number"),
        ('pytest_benchmark = "nowhere"', "nowhere does not exist"),
    ],
)
def test_bad_settings_say_what_is_wrong(make_repo: MakeRepo, text: str, message: str) -> None:
    with pytest.raises(TaskError, match=message):
        load_task(settings_repo(make_repo, text))


def test_asv_benchmark_dir_must_exist(make_repo: MakeRepo) -> None:
    conf = '{"benchmark_dir": "missing"}'
    with pytest.raises(TaskError, match="benchmark_dir 'missing'"):
        load_task(settings_repo(make_repo, "asv = true", **{"asv.conf.json": conf}))


def test_workload_specs_carry_exactly_the_fields_of_a_profilers_workload() -> None:
    """Guards the hand-off: the loop builds `Workload(**asdict(spec))` for every spec."""
    spec = WorkloadSpec("asv", "m.C.time_x", name="m.C.time_x(1)", role="other", root="b")
    names = [f.name for f in dataclasses.fields(WorkloadSpec)]
    assert names == [f.name for f in dataclasses.fields(Workload)]
    assert Workload(**dataclasses.asdict(spec)).label == "m.C.time_x(1)"


def test_a_task_read_back_from_json_gets_typed_specs() -> None:
    """Guards resume: a Task rebuilt from stored JSON holds specs, not dicts."""
    spec = WorkloadSpec("command", "python a.py", name="a", role="other")
    suite = SuiteSpec("asv", "benchmarks", select="x")
    data = json.loads(json.dumps({"workload_specs": [spec.to_json()], "suites": [suite.to_json()]}))
    task = Task(task_id="t", repo=Path("/r"), bench="b", **data)
    assert task.workload_specs == (spec,) and task.suites == (suite,)


# FormulaCode ----------------------------------------------------------------------------------
def formulacode_row(sha: str, **changes: Any) -> dict[str, Any]:
    row = {
        "task_id": "perfagent-examples_suitepkg_1",
        "repo_name": "perfagent-examples/suitepkg",
        "container_name": "perfagent-examples-suitepkg-abc:final",
        "image_name": "formulacode/all:perfagent-examples-suitepkg-abc--final",
        "difficulty": "easy",
        "classification": "use_better_algorithm",
        "patch": PATCHES["genuine"],
        "final_md": "Make word counting faster.",
        "pr_merged_at": "2026-01-02",
        "pr_merge_commit_sha": "f" * 40,
        "pr_base_sha": sha,
        "pr_number": 1,
    }
    row.update(changes)
    return row


def test_a_formulacode_row_becomes_an_asv_suite_task(tmp_path: Path) -> None:
    sha = make_suite_repo(tmp_path / "mirror" / "perfagent-examples__suitepkg")
    [loaded] = parse_records(
        [formulacode_row(sha, benchmarks=["bench_text.time_tokenize"])], "formulacode"
    )
    inst = loaded.instance
    assert inst is not None and loaded.status == "ok", loaded.error
    assert inst.expert_patch == PATCHES["genuine"] and inst.bench == ""
    assert inst.image == "formulacode/all:perfagent-examples-suitepkg-abc--final"
    assert inst.metadata["instructions"] == "Make word counting faster."
    assert "pr_merge_commit_sha" not in inst.metadata and inst.metadata["pr_number"] == 1
    config = RepoConfig(work_dir=tmp_path / "ws", cache_dir=tmp_path / "mirror", allow_clone=False)
    task, ws = build_task(inst, config)
    [suite] = task.suites
    assert (suite.kind, suite.root, suite.role) == ("asv", "benchmarks", "other")
    assert suite.select is not None and "time_tokenize" in suite.select
    assert "benchmarks/**" in task.bench_files and task.metadata["format"] == "formulacode"
    assert (ws.path / "asv.conf.json").is_file()


def test_formulacode_accepts_the_publish_spelling_and_reports_bad_rows() -> None:
    rows = [
        {"task_id": "o__r-1", "repo": "o/r", "base_commit": "a" * 40, "instructions": "go"},
        {"task_id": "o__r-2", "repo_name": "o/r"},
        {"task_id": "o__r-3", "repo_name": "r", "pr_base_sha": "a"},
        {"task_id": "o__r-4", "repo_name": "o/r", "pr_base_sha": "a", "bench_select": "("},
    ]
    loaded = parse_records(rows, "formulacode")
    assert loaded[0].instance is not None and loaded[0].instance.metadata["instructions"] == "go"
    assert [x.status for x in loaded[1:]] == ["malformed"] * 3
    assert "pr_base_sha" in loaded[1].error and "OWNER/NAME" in loaded[2].error
    assert "bench_select" in loaded[3].error
    assert "formulacode" in get_format("formulacode").description.lower()


def test_formulacode_predictions_and_metric(tmp_path: Path) -> None:
    row = prediction("o__r-1", PATCHES["genuine"], "perfagent-rules")
    assert validation_errors([row], "formulacode") == []
    assert write_predictions(tmp_path / "p.jsonl", [row], "formulacode") == 1
    assert validation_errors([{"instance_id": "x"}], "formulacode")
    up = speedups(
        {"m.C.time_a": 2.0, "m.time_b": 1.0, "n.time_c": 1.0},
        {"m.C.time_a": 1.0, "m.time_b": 1.0, "n.time_c": 0.5},
    )
    assert up == {"m.C.time_a": 2.0, "m.time_b": 1.0, "n.time_c": 2.0}
    levels = hierarchy(up)
    assert levels["level2"]["m.C"] == 2.0 and levels["level3"]["m"] == pytest.approx(2**0.5)
    assert levels["level4"] == pytest.approx(4 ** (1 / 3))
    assert advantages({"m.C.time_a": 1.0}, {"m.C.time_a": 1.5, "other": 1.0}) == {"m.C.time_a": 0.5}
    assert hierarchy({"m.time_x(1, 2.5)": -0.5, "m.time_y": 0.5})["level3"] == {"m": 0.0}
