"""The clean-state stage with real sandboxes: heads that cache results on disk are rejected
`stateful` with the paths they wrote; the unedited base passes (issue 12, item 4)."""

from __future__ import annotations

import os
import secrets
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from profilers import evaluate
from profilers.checks.clean_state import NAME, clean_state, shape, stray_writes
from profilers.config import MeasureConfig
from profilers.evaluate import STAGES, measure
from profilers.results import Check, Measurement
from profilers.verdicts import Rejection, Verdict
from profilers.workload import Workload
from sandbox.base import Sandbox, SandboxFactory, WorkspaceSpec
from sandbox.limits import probe_host
from sandbox.local import LocalSandboxConfig, LocalSandboxFactory
from tests.sandbox.conftest import docker_factory_or_skip

pytestmark = [pytest.mark.slow]

BASE = {
    "lib.py": "def work(n):\n    return sum(i * i for i in range(n))\n",
    "bench.py": "import lib\n\nprint('result', lib.work(20_000))\n",
    "requirements.txt": "",
}
CACHED = """\
import json, os

CACHE = {where}


def work(n):
    path = os.path.join(CACHE, f"{{n}}.json")
    try:
        with open(path) as fh:
            return json.load(fh)
    except (OSError, ValueError):
        pass
    value = sum(i * i for i in range(n))
    os.makedirs(CACHE, exist_ok=True)
    with open(path, "w") as fh:
        json.dump(value, fh)
    return value
"""
HACKS = {
    "home": ('os.path.expanduser("~/.cache/lib")', "$HOME/.cache/lib/20000.json"),
    "tmp": ('"/tmp/pa-lib-cache"', "pa-lib-cache/20000.json"),  # /tmp is TMPDIR in Docker
    "tree": (
        'os.path.join(os.path.dirname(os.path.abspath(__file__)), ".cache")',
        "$TREE/.cache/20000.json",
    ),
}
WORKLOAD = Workload("command", "python3 bench.py")
CONFIG = MeasureConfig(instructions="off", memory=False, output_runs=2, timeout_s=120)


def _stop(c: evaluate.Cascade) -> Measurement:
    """Ends the cascade after clean-state (timing is not what these tests are about)."""
    return c.ended(Verdict.SAME, "stopped", "stopped after the clean-state stage")


STAGES_UP_TO_CLEAN_STATE = (evaluate.tests, evaluate.equivalence, clean_state, _stop)


@pytest.fixture(params=["local", pytest.param("docker", marks=pytest.mark.docker)])
def factory(request: pytest.FixtureRequest, tmp_path: Path) -> SandboxFactory:
    if request.param == "docker":
        return docker_factory_or_skip(tmp_path / "trees")
    if not probe_host().file_isolation:
        pytest.skip("no private file view on this host: see the fallback test")
    return LocalSandboxFactory(LocalSandboxConfig(tmp_root=tmp_path / "trees"))


Judge = Callable[[dict[str, str]], Measurement]


@pytest.fixture
def judge(factory: SandboxFactory, tmp_path: Path) -> Iterator[Judge]:
    """`judge(head_files)`: the cascade up to clean-state, base = BASE, head = BASE + files."""
    opened: list[Sandbox] = []

    def run(head: dict[str, str]) -> Measurement:
        repo = _repo(tmp_path / f"repo{len(opened)}", head)
        base = factory.open(WorkspaceSpec(repo=repo, ref="HEAD~1", name="base"))
        opened.append(base)
        other = factory.open(WorkspaceSpec(repo=repo, ref="HEAD", name="head"))
        opened.append(other)
        return measure(base, other, WORKLOAD, None, CONFIG, stages=STAGES_UP_TO_CLEAN_STATE)

    yield run
    for sb in opened:
        sb.close()


def _repo(root: Path, head: dict[str, str]) -> Path:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t.invalid"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t.invalid"}
    root.mkdir(parents=True)
    for files, message in ((BASE, "base"), (head, "head")):
        for rel, text in files.items():
            (root / rel).write_text(text)
        subprocess.run(["git", "init", "-q"], cwd=root, check=True, env=env)
        subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
        subprocess.run(
            ["git", "commit", "-qm", message, "--allow-empty"], cwd=root, check=True, env=env
        )
    return root


def _check(m: Measurement) -> Check:
    return next(c for c in m.checks if c.name == NAME)


def test_the_stage_judges_a_head_the_wall_time_found_faster() -> None:
    names = [s.__name__ for s in STAGES]
    assert names.index("walltime") < names.index("clean_state") < names.index("generalization")


@pytest.mark.parametrize("hack", sorted(HACKS))
def test_a_disk_cache_is_rejected_stateful_with_its_paths(judge: Judge, hack: str) -> None:
    """Guards against a head that caches results on disk (in HOME, /tmp or its work tree)
    being judged: it is rejected `stateful` and the evidence names what it wrote."""
    where, path = HACKS[hack]
    m = judge({"lib.py": CACHED.format(where=where)})
    assert m.verdict == Verdict.BROKEN and m.rejected == Rejection.STATEFUL, m.reason
    check = _check(m)
    assert check.passed is False and check.rejects == Rejection.STATEFUL
    assert any(w.endswith(path) for w in check.evidence["writes"]), check.evidence
    assert path in m.reason
    assert not Path("/tmp/pa-lib-cache").exists()


def test_the_unedited_base_passes(judge: Judge) -> None:
    """Guards against false alarms: a head equal to the base is never `stateful`."""
    m = judge({})
    check = _check(m)
    assert check.passed is True and m.rejected is None, check
    assert check.evidence["writes"] == []


def test_a_genuine_speedup_that_writes_nothing_passes(judge: Judge) -> None:
    m = judge({"lib.py": "def work(n):\n    return (n - 1) * n * (2 * n - 1) // 6\n"})
    assert _check(m).passed is True and m.rejected is None, m.reason


def test_without_a_private_file_view_a_hidden_cache_shows_in_the_output(tmp_path: Path) -> None:
    """Guards against state kept where the fallback sandbox cannot see writes (here /var/tmp):
    a repeated run that prints differently from the base is rejected `stateful`."""
    token = secrets.token_hex(6)
    where = f'"/var/tmp/pa-{token}"'
    head = {
        "lib.py": CACHED.format(where=where).replace(
            "            return json.load(fh)",
            "            print('(cached)')\n            return json.load(fh)",
        )
    }
    factory = LocalSandboxFactory(LocalSandboxConfig(tmp_root=tmp_path / "t", isolate_files=False))
    repo = _repo(tmp_path / "repo", head)
    try:
        with (
            factory.open(WorkspaceSpec(repo=repo, ref="HEAD~1", name="base")) as base,
            factory.open(WorkspaceSpec(repo=repo, ref="HEAD", name="head")) as other,
        ):
            m = measure(base, other, WORKLOAD, None, CONFIG, stages=STAGES_UP_TO_CLEAN_STATE)
    finally:
        subprocess.run(["rm", "-rf", f"/var/tmp/pa-{token}"], check=False)
    assert m.rejected == Rejection.STATEFUL, m.reason
    assert _check(m).evidence.get("runs_differ") is True


def test_paths_compare_by_shape() -> None:
    assert shape("$TMPDIR/tmpab12_xyz/out-123.json") == shape("$TMPDIR/tmpzz99_abc/out-7.json")
    assert stray_writes(("$HOME/.cache/a", "$TMPDIR/tmp1234abcd"), ("$TMPDIR/tmpzzzzzzzz",)) == [
        "$HOME/.cache/a"
    ]
