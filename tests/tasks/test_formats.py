"""Loading GSO, SWE-Perf, SWE-fficiency and native instance files into one Task type."""

from __future__ import annotations

import json
import runpy
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tasks import TaskError
from tasks.formats import build_task, get_format, load_instances, parse_records, read_records
from tasks.predictions import prediction, read_predictions, validation_errors, write_predictions
from tasks.repos import RepoConfig, RepoError, find_source, prepare_workspace

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "tasks"


@pytest.fixture(scope="module")
def mirror(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[str]]]:
    """The example repositories, generated (same commit ids on every machine)."""
    make = runpy.run_path(str(EXAMPLES / "make_repos.py"))
    root = tmp_path_factory.mktemp("mirror")
    return root, make["build_all"](root)


def git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)


def gso_record(**changes: Any) -> dict[str, Any]:
    record = json.loads((EXAMPLES / "gso.jsonl").read_text().splitlines()[0])
    record.update(changes)
    return record


def test_example_files_match_the_generator(mirror: tuple[Path, dict[str, list[str]]]) -> None:
    """Guards the committed example files against drifting from make_repos.py's commit ids."""
    _root, shas = mirror
    opt = shas["perfagent-examples/dedupe"][1]
    assert gso_record()["instance_id"] == f"perfagent-examples__dedupe-{opt[:7]}"
    assert gso_record()["base_commit"] == f"{opt}^"


def test_gso_record_loads_with_only_prob_script_visible() -> None:
    """Guards GSO hygiene: hidden tests and the expert diff never become workspace files."""
    [loaded] = parse_records([gso_record()], "gso")
    inst = loaded.instance
    assert inst is not None and loaded.status == "ok"
    assert inst.bench_kind == "gso-script"
    assert inst.bench == ".perfagent/bench/gso_prob.py"
    assert list(inst.visible_files) == [inst.bench]
    assert inst.visible_files[inst.bench] == gso_record()["prob_script"]
    assert len(inst.hidden_tests) == 2
    assert "seen" in inst.expert_patch
    assert inst.expert_speedup == 6.5
    assert inst.install is not None and "setuptools<82" in inst.install
    assert "compileall" in inst.install
    assert "hints_text" not in inst.metadata and "opt_commit" not in inst.metadata


def test_json_list_object_and_jsonl_read_the_same(tmp_path: Path) -> None:
    record = gso_record()
    (tmp_path / "a.json").write_text(json.dumps([record]))
    (tmp_path / "b.json").write_text(json.dumps(record))
    (tmp_path / "c.jsonl").write_text(json.dumps(record) + "\n\n")
    loaded = [
        load_instances(tmp_path / n, "gso")[0].instance for n in ("a.json", "b.json", "c.jsonl")
    ]
    assert loaded[0] == loaded[1] == loaded[2]


def test_each_bad_record_fails_alone_with_a_clear_reason() -> None:
    """Guards the batch against one malformed instance ending the whole file."""
    loaded = load_instances(EXAMPLES / "gso_bad.jsonl", "gso")
    by_id = {item.instance_id: item for item in loaded}
    malformed = by_id["perfagent-examples__dedupe-malformed"]
    assert malformed.status == "malformed"
    assert "prob_script" in malformed.error
    assert loaded[-1].status == "malformed" and "not valid JSON" in loaded[-1].error
    assert sum(item.status == "ok" for item in loaded) == 3
    dup = parse_records([gso_record(), gso_record()], "gso")
    assert dup[1].status == "malformed" and "duplicate" in dup[1].error
    bad_tests = parse_records([gso_record(tests=["print(1)"])], "gso")[0]
    assert "run_test" in bad_tests.error


def test_unreadable_files_and_unknown_formats_are_task_errors(tmp_path: Path) -> None:
    with pytest.raises(TaskError, match="cannot read"):
        read_records(tmp_path / "missing.json")
    (tmp_path / "empty.json").write_text("  \n")
    with pytest.raises(TaskError, match="empty"):
        read_records(tmp_path / "empty.json")
    with pytest.raises(TaskError, match="unknown format"):
        get_format("swebench")


def test_sweperf_and_swefficiency_records_load() -> None:
    [sp] = load_instances(EXAMPLES / "sweperf.json", "sweperf")
    assert sp.instance is not None
    assert sp.instance.efficiency_tests == ("tests/test_stats.py::test_variance_large",)
    assert "test_variance_large" in sp.instance.bench
    [sf] = load_instances(EXAMPLES / "swefficiency.jsonl", "swefficiency")
    assert sf.instance is not None
    assert sf.instance.expert_speedup == 3.4
    assert sf.instance.test is not None and "test_variance_small" in sf.instance.test
    assert ".perfagent/bench/workload.py" in sf.instance.visible_files
    bad = parse_records([{"instance_id": "x", "repo": "a/b", "base_commit": "c"}], "sweperf")[0]
    assert bad.status == "malformed" and "efficiency_test" in bad.error


def test_workspace_is_at_the_base_with_future_refs_and_objects_gone(
    mirror: tuple[Path, dict[str, list[str]]], tmp_path: Path
) -> None:
    """Guards against the expert commit being readable from the workspace (`git log --all`,
    tags, remotes, reflog): GSO's ref-stripping hygiene."""
    root, shas = mirror
    base, opt, later = shas["perfagent-examples/dedupe"]
    [loaded] = parse_records([gso_record()], "gso")
    assert loaded.instance is not None
    config = RepoConfig(work_dir=tmp_path / "ws", cache_dir=root, allow_clone=False)
    task, ws = build_task(loaded.instance, config)
    assert ws.base_sha == base
    assert task.repo == ws.path and task.base_ref == ws.harness_sha
    assert git(ws.path, "rev-parse", f"{ws.harness_sha}^").stdout.strip() == base
    everything = git(ws.path, "log", "--all", "--reflog", "--format=%H").stdout.split()
    assert opt not in everything and later not in everything
    assert git(ws.path, "cat-file", "-e", opt).returncode != 0
    assert git(ws.path, "tag").stdout.strip() == ""
    assert git(ws.path, "remote").stdout.strip() == ""
    assert (ws.path / ".perfagent/bench/gso_prob.py").is_file()
    assert not list(ws.path.rglob("gso_test*"))
    assert task.metadata["instance_id"] == loaded.instance_id
    assert ".perfagent/bench/gso_prob.py" in task.protected
    # Same instance, same harness commit (fixed identity and date): reruns resume the same refs.
    again = prepare_workspace(
        "other", "perfagent-examples/dedupe", f"{opt}^", loaded.instance.visible_files, config
    )
    assert again.harness_sha == ws.harness_sha


def test_repositories_resolve_from_path_bare_mirror_or_reachable_forge(
    mirror: tuple[Path, dict[str, list[str]]], tmp_path: Path
) -> None:
    root, shas = mirror
    src = root / "perfagent-examples__stats"
    bare = tmp_path / "cache" / "perfagent-examples__stats.git"
    bare.parent.mkdir()
    assert git(tmp_path, "clone", "-q", "--bare", str(src), str(bare)).returncode == 0
    cached = RepoConfig(work_dir=tmp_path / "ws", cache_dir=bare.parent, allow_clone=False)
    assert find_source("perfagent-examples/stats", cached) == str(bare)
    assert find_source(str(src), cached) == str(src)
    ws = prepare_workspace(
        "s", "perfagent-examples/stats", shas["perfagent-examples/stats"][0], {}, cached
    )
    assert ws.harness_sha == ws.base_sha  # nothing to add
    forge = RepoConfig(work_dir=tmp_path / "ws2", forge_url=f"file://{root}/{{repo}}")
    with pytest.raises(RepoError) as missing:
        find_source("perfagent-examples/stats", forge)  # "owner/name" is not "owner__name"
    assert missing.value.status == "repo-missing"
    forge = RepoConfig(
        work_dir=tmp_path / "ws2", forge_url=f"file://{root}/perfagent-examples__stats"
    )
    assert find_source("perfagent-examples/stats", forge).startswith("file://")


def test_unknown_repo_and_missing_base_commit_have_their_own_status(
    mirror: tuple[Path, dict[str, list[str]]], tmp_path: Path
) -> None:
    root, _shas = mirror
    config = RepoConfig(work_dir=tmp_path / "ws", cache_dir=root, allow_clone=False)
    with pytest.raises(RepoError) as unknown:
        prepare_workspace("u", "nobody/nothing", "HEAD", {}, config)
    assert unknown.value.status == "repo-missing" and "nobody/nothing" in str(unknown.value)
    with pytest.raises(RepoError) as commit:
        prepare_workspace("c", "perfagent-examples/dedupe", "0" * 40, {}, config)
    assert commit.value.status == "commit-missing"
    assert not (tmp_path / "ws" / "c").exists()


def test_predictions_round_trip_and_match_the_official_schema(tmp_path: Path) -> None:
    """Guards that exported predictions are what the GSO / SWE-Perf harnesses read."""
    rows = [
        prediction("a__b-1234567", "diff --git a/x b/x\n", "perfagent-rules"),
        prediction("c__d-1", "", "m"),
    ]
    out = tmp_path / "preds.jsonl"
    for fmt in ("gso", "sweperf", "swefficiency", "native"):
        assert write_predictions(out, rows, fmt) == 2
        assert read_predictions(out) == rows
        assert validation_errors(read_predictions(out), fmt) == []
    assert set(rows[0]) == {"instance_id", "model_patch", "model_name_or_path"}
    broken: list[dict[str, Any]] = [
        {"instance_id": "a", "model_patch": 3},
        {"instance_id": "a", "model_patch": "", "model_name_or_path": "m"},
    ]
    errors = validation_errors(broken, "gso")
    assert any("model_name_or_path" in e for e in errors)
    assert any("duplicate" in e for e in errors)
    with pytest.raises(TaskError, match="schema"):
        write_predictions(out, broken, "gso")


def test_a_bad_line_is_named_by_file_and_line_and_the_good_ones_load(tmp_path: Path) -> None:
    """Guards `validate` on a file with a garbage line and a line missing fields printing
    nothing: each bad line is its own recorded instance, named `file:line` and the field."""
    from tasks.formats import load_instances

    path = tmp_path / "mixed.jsonl"
    path.write_text(
        "{not json\n"
        + json.dumps({"instance_id": "half", "repo": "a/b"})
        + "\n"
        + (EXAMPLES / "gso.jsonl").read_text().splitlines()[0]
        + "\n"
    )
    loaded = load_instances(path, "gso")
    assert [item.status for item in loaded] == ["malformed", "malformed", "ok"]
    assert loaded[0].error.startswith("mixed.jsonl:1: not valid JSON")
    assert loaded[1].error.startswith("mixed.jsonl:2: field ")
