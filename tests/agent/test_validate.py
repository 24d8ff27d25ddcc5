"""`perfagent validate`: expert patches measured against their bases, with the benchmark's metric."""

from __future__ import annotations

import json
import runpy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "tasks"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def mirror(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mirror")
    runpy.run_path(str(EXAMPLES / "make_repos.py"))["build_all"](root)
    return root


def validate(
    tasks: Path, fmt: str, mirror: Path, work: Path, *extra: str
) -> tuple[int, list[dict[str, Any]], str]:
    proc = subprocess.run(
        [sys.executable, "-m", "agent", "validate", str(tasks), "--format", fmt,
         "--repo-cache", str(mirror), "--work-dir", str(work), "--no-clone",
         "--sandbox", "local", "--json", *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    lines = [json.loads(line) for line in proc.stdout.splitlines()]  # stdout is JSON only
    return proc.returncode, lines, proc.stderr


def test_gso_examples_reproduce_their_expert_speedup(mirror: Path, tmp_path: Path) -> None:
    """Guards the harness itself: a real expert optimization must come out faster, equivalent,
    above GSO's 1.2x bar, and near its recorded speedup."""
    # The expert's run lasts ~1.5 ms, so its speedup moves with the machine: 7.7-9.5 measured
    # here against the 6.5 on record, outside the default +-15 % band. The band is the test's
    # subject, not the machine: +-50 % still says "near", and a 2x miss still fails.
    code, lines, err = validate(
        EXAMPLES / "gso.jsonl", "gso", mirror, tmp_path, "--tolerance", "0.5"
    )
    *rows, last = lines
    assert code == 0, err
    [row] = rows
    assert row["status"] == "ok"
    assert row["verdict"] == "faster"
    assert row["equivalent"] is True
    assert row["reproduced"] is True
    assert row["metric"]["opt_base"] is True
    lo, hi = row["speedup_ci"]
    # Not `lo <= speedup <= hi`: speedup is a ratio of means, its CI one of medians, so one
    # stalled run of the ~1.5 ms patch could push the speedup out of that CI on a loaded machine.
    assert 1 < lo <= hi and row["speedup"] > 1
    assert row["base_s"] > row["patch_s"] > 0
    assert last == {"summary": last["summary"]}
    assert last["summary"]["score"]["opt@1"] == 100.0
    assert last["summary"]["reproduced"] == 1


def test_a_broken_expert_patch_is_rejected(mirror: Path, tmp_path: Path) -> None:
    """Guards against a fast but wrong "expert" counting: outputs differ => broken."""
    code, lines, _err = validate(EXAMPLES / "gso_broken_expert.json", "gso", mirror, tmp_path)
    *rows, last = lines
    assert code == 1
    [row] = rows
    assert row["verdict"] == "broken"
    assert row["equivalent"] is False
    assert row["reproduced"] is False
    assert last["summary"]["score"]["opt@1"] == 0.0


def test_bad_instances_get_a_status_each_and_the_rest_goes_on(mirror: Path, tmp_path: Path) -> None:
    """Malformed record, unknown repo, missing base commit, failing install: one status each."""
    code, lines, err = validate(EXAMPLES / "gso_bad.jsonl", "gso", mirror, tmp_path)
    *rows, last = lines
    assert code == 1
    assert "Traceback" not in err
    status = {r["instance_id"]: r["status"] for r in rows}
    assert status == {
        "perfagent-examples__dedupe-malformed": "malformed",
        "nobody__nothing-0000000": "repo-missing",
        "perfagent-examples__dedupe-nocommit": "commit-missing",
        "perfagent-examples__dedupe-badinstall": "install-failed",
        "#5": "malformed",
    }
    assert all(r["reproduced"] is False and r["reason"] for r in rows)
    assert "no compiler here" in next(r for r in rows if r["status"] == "install-failed")["reason"]
    assert last["summary"]["errors"]["malformed"] == 2


def test_sweperf_and_swefficiency_examples_are_graded_with_their_metric(
    mirror: Path, tmp_path: Path
) -> None:
    _code, lines, err = validate(
        EXAMPLES / "sweperf.json", "sweperf", mirror, tmp_path, "--iterations", "5"
    )
    [row, last] = lines
    assert row["status"] == "ok", err
    assert row["verdict"] == "faster" and row["metric"]["delta"] > 0
    assert last["summary"]["score"]["performance"] == pytest.approx(row["metric"]["delta"])
    _code, lines, err = validate(EXAMPLES / "swefficiency.jsonl", "swefficiency", mirror, tmp_path)
    [row, last] = lines
    assert row["status"] == "ok", err
    assert row["verdict"] == "faster" and row["tests_passed"] is True
    assert last["summary"]["score"]["hm_speedup_ratio"] == pytest.approx(row["speedup"] / 3.4)


def test_unreadable_tasks_file_is_bad_input(tmp_path: Path, mirror: Path) -> None:
    code, lines, err = validate(tmp_path / "nope.jsonl", "gso", mirror, tmp_path)
    assert code == 2 and lines == []
    assert err.strip().startswith("perfagent: cannot read") and "Traceback" not in err
    code, _lines, err = validate(EXAMPLES / "gso.jsonl", "gsoo", mirror, tmp_path)
    assert code == 2 and "unknown format" in err


@pytest.mark.docker
def test_gso_example_validates_in_docker_with_the_install_in_the_image(
    mirror: Path, tmp_path: Path
) -> None:
    """Guards the Docker path: the install command builds the instance image (a failing one is
    `install-failed`), and the expert still reproduces inside containers."""
    import os

    from sandbox.docker import DockerSandboxFactory

    try:
        DockerSandboxFactory.from_environment()
    except Exception as exc:
        if os.environ.get("PERFAGENT_REQUIRE_DOCKER") == "1":
            pytest.fail(f"PERFAGENT_REQUIRE_DOCKER=1 but Docker is unusable: {exc}")
        pytest.skip(f"SKIPPED LOUDLY: no Docker engine ({exc})")
    extra = ("--iterations", "9")  # 5 came out "same" once, beside a corpus run on 2 cores
    docker = ("--sandbox", "docker")
    proc = subprocess.run(
        [sys.executable, "-m", "agent", "validate", str(EXAMPLES / "gso.jsonl"),
         "--format", "gso", "--repo-cache", str(mirror), "--work-dir", str(tmp_path),
         "--no-clone", "--json", *extra, *docker],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    row = json.loads(proc.stdout.splitlines()[0])
    assert row["status"] == "ok", proc.stderr
    assert row["verdict"] == "faster" and row["equivalent"] is True
    proc = subprocess.run(
        [sys.executable, "-m", "agent", "validate", str(EXAMPLES / "gso_bad.jsonl"),
         "--format", "gso", "--repo-cache", str(mirror), "--work-dir", str(tmp_path),
         "--no-clone", "--json", "--only", "perfagent-examples__dedupe-badinstall", *docker],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    row = json.loads(proc.stdout.splitlines()[0])
    assert row["status"] == "install-failed" and "no compiler here" in row["reason"]


def test_a_formulacode_expert_is_reproduced_on_its_asv_suite(mirror: Path, tmp_path: Path) -> None:
    """Guards issue 15: a FormulaCode instance (no bench command, the repository's asv
    suite) reproduces its expert speedup, scored with FormulaCode's levels."""
    # Guards a false "slower" on the untouched time_tokenize: at the record's 10 % tolerance
    # noise can flag it (an untouched fixture benchmark has come out x1.25 on this machine);
    # 20 % as in test_suites_run, test_suite_loop and test_measure_suite.
    [record] = [json.loads(line) for line in (EXAMPLES / "formulacode.jsonl").open()]
    tasks = tmp_path / "tasks" / "formulacode.jsonl"
    tasks.parent.mkdir()
    tasks.write_text(json.dumps({**record, "regress_tolerance": 0.2}) + "\n")
    code, lines, err = validate(tasks, "formulacode", mirror, tmp_path)
    *rows, last = lines
    assert code == 0, err
    [row] = rows
    assert row["status"] == "ok" and row["verdict"] == "faster", row["reason"]
    assert row["reproduced"] is True and row["tests_passed"] is True
    assert {w["name"] for w in row["workloads"]} == {
        "bench_text.TimeWordCounts.time_word_counts(2000)",
        "bench_text.TimeWordCounts.time_word_counts(6000)",
        "bench_text.time_tokenize",
    }
    assert row["metric"]["level1"]["bench_text.TimeWordCounts.time_word_counts(6000)"] > 1.2
    assert row["speedup"] == row["metric"]["level4"] and row["base_s"] > row["patch_s"]
    assert last["summary"]["reproduced"] == 1 and last["summary"]["score"]["gm_speedup"] > 1
