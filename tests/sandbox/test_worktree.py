"""Work trees: checkout from the ref, edits, refusals, diffs and cleanup (real git repos)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from sandbox.base import ProtectedPathError, SandboxError, WorkspaceSpec, path_matches
from sandbox.local import LocalSandbox, LocalSandboxConfig, LocalSandboxFactory
from sandbox.worktree import (
    OWNER_TAG,
    EscapingPathError,
    WorkTree,
    clean_relative,
    is_protected,
    prune_stale,
)
from tests.conftest import git

PATCH = """\
diff --git a/pkg/mod.py b/pkg/mod.py
--- a/pkg/mod.py
+++ b/pkg/mod.py
@@ -1,2 +1,2 @@
 def f(x):
-    return x + 1
+    return 1 + x
"""


@pytest.mark.parametrize(
    ("path", "glob", "hit"),
    [
        ("tests/test_a.py", "tests/**", True),
        ("tests/deep/dir/test_a.py", "tests/**", True),
        ("tests", "tests/**", False),
        ("pkg/tests/test_a.py", "tests/**", False),
        ("pkg/tests/test_a.py", "**/tests/**", True),
        ("tests/test_a.py", "**/tests/**", True),
        ("a/b/c/conftest.py", "**/conftest.py", True),
        ("conftest.py", "**/conftest.py", True),
        ("pkg/mod.py", "*.py", False),
        ("mod.py", "*.py", True),
        ("pkg/mod.py", "pkg/*.py", True),
        ("pkg/sub/mod.py", "pkg/*.py", False),
        ("pkg/mod.py", "pkg/mo?.py", True),
        ("pkg/mod.pyc", "pkg/*.py", False),
        ("./tests/x.py", "tests/**", True),
        ("a+b(c).py", "a+b(c).py", True),
        ("axb(c).py", "a.b(c).py", False),
    ],
)
def test_glob_matcher(path: str, glob: str, hit: bool) -> None:
    assert path_matches(path, [glob]) is hit


@pytest.mark.parametrize(
    ("path", "hit"),
    [
        ("bench", True),
        ("bench/run.py", True),
        ("bench/deep/x.py", True),
        ("benchmarks/run.py", False),
        ("tests/test_mod.py", True),
        ("pkg/mod.py", False),
    ],
)
def test_directory_glob_protects_its_contents(path: str, hit: bool) -> None:
    """Guards against a glob naming a directory (`bench`) leaving the files inside editable."""
    assert is_protected(path, ("bench", "tests/**")) is hit


@pytest.mark.parametrize("bad", ["../x.py", "/etc/passwd", "a/../../x", ".git/config", "", "."])
def test_clean_relative_refuses_escapes(bad: str) -> None:
    with pytest.raises(EscapingPathError):
        clean_relative(bad)


def test_clean_relative_normalizes() -> None:
    assert clean_relative("./pkg//mod.py") == "pkg/mod.py"


def test_patch_applies_and_diff_round_trips(open_sb: Callable[..., LocalSandbox]) -> None:
    sb = open_sb(patch=PATCH, files={"pkg/new.py": "y = 2\n"})
    assert "return 1 + x" in (sb.host_root / "pkg/mod.py").read_text()
    diff = sb.diff()
    assert "+    return 1 + x" in diff
    assert "+++ b/pkg/new.py" in diff  # untracked new files are part of the diff
    again = open_sb(patch=diff)
    assert again.diff() == diff
    assert (again.host_root / "pkg/new.py").read_text() == "y = 2\n"


def test_diff_leaves_out_ignored_and_includes_deletions(
    open_sb: Callable[..., LocalSandbox],
) -> None:
    sb = open_sb(files={"sub/task/main.py": None})
    (sb.host_root / "run.log").write_text("noise\n")
    (sb.host_root / "build").mkdir()
    (sb.host_root / "build/out.txt").write_text("noise\n")
    diff = sb.diff()
    assert "deleted file mode" in diff and "sub/task/main.py" in diff
    assert "run.log" not in diff and "build/out.txt" not in diff


def test_patch_that_does_not_apply_says_why(open_sb: Callable[..., LocalSandbox]) -> None:
    with pytest.raises(SandboxError, match=r"patch does not apply: .*pkg/mod\.py"):
        open_sb(patch=PATCH.replace("return x + 1", "return x + 100"))


@pytest.mark.parametrize(
    ("fields", "paths"),
    [
        ({"files": {"tests/test_mod.py": "def test_f(): pass\n"}}, ["tests/test_mod.py"]),
        ({"files": {"tests/conftest.py": "x = 1\n"}}, ["tests/conftest.py"]),
        ({"files": {"bench/run.py": None}}, ["bench/run.py"]),
        (
            {
                "patch": "diff --git a/tests/test_mod.py b/tests/test_mod.py\n"
                "--- a/tests/test_mod.py\n+++ b/tests/test_mod.py\n@@ -5 +5 @@\n"
                "-    assert f(1) == 2\n+    assert True\n"
            },
            ["tests/test_mod.py"],
        ),
        (
            {
                "patch": "diff --git a/bench/run.py b/pkg/run.py\nsimilarity index 100%\n"
                "rename from bench/run.py\nrename to pkg/run.py\n"
            },
            ["bench/run.py"],
        ),
    ],
)
def test_protected_paths_are_refused(
    open_sb: Callable[..., LocalSandbox], fields: dict[str, object], paths: list[str]
) -> None:
    """Guards the rule that tests and benchmark files are read-only to candidates, including a
    rename that moves a protected file away."""
    with pytest.raises(ProtectedPathError) as info:
        open_sb(**fields)
    assert info.value.paths == paths


@pytest.mark.parametrize(
    "fields",
    [
        {"files": {"../outside.py": "x"}},
        {"files": {"/tmp/outside.py": "x"}},
        {"files": {".git/hooks/pre-commit": "x"}},
        {
            "patch": "diff --git a/link b/link\nnew file mode 120000\n--- /dev/null\n+++ b/link\n"
            "@@ -0,0 +1 @@\n+/etc\n\\ No newline at end of file\n"
        },
        {
            "patch": "diff --git a/link b/link\nnew file mode 120000\n--- /dev/null\n+++ b/link\n"
            "@@ -0,0 +1 @@\n+../../..\n\\ No newline at end of file\n",
            "files": {"link/escaped.txt": "x"},
        },
    ],
)
def test_escaping_paths_are_refused(
    open_sb: Callable[..., LocalSandbox], fields: dict[str, object], tmp_path: Path
) -> None:
    """Guards against edits that write outside the work tree through `..`, absolute paths,
    git's own files or symlinks pointing out."""
    with pytest.raises(ProtectedPathError):
        open_sb(**fields)
    assert not (tmp_path / "escaped.txt").exists()
    assert not Path("/tmp/outside.py").exists()


def test_symlink_inside_the_tree_is_allowed(open_sb: Callable[..., LocalSandbox]) -> None:
    patch = (
        "diff --git a/pkg/alias.py b/pkg/alias.py\nnew file mode 120000\n--- /dev/null\n"
        "+++ b/pkg/alias.py\n@@ -0,0 +1 @@\n+mod.py\n\\ No newline at end of file\n"
    )
    sb = open_sb(patch=patch)
    assert os.readlink(sb.host_root / "pkg/alias.py") == "mod.py"


def test_work_tree_comes_from_the_ref_not_the_dirty_checkout(
    repo: Path, open_sb: Callable[..., LocalSandbox]
) -> None:
    first = git(repo, "rev-parse", "HEAD")
    (repo / "pkg/mod.py").write_text("def f(x):\n    return 2\n")
    git(repo, "commit", "-qam", "second")
    (repo / "pkg/mod.py").write_text("uncommitted\n")
    (repo / "pkg/untracked.py").write_text("untracked\n")
    old = open_sb(ref=first)
    assert "return x + 1" in (old.host_root / "pkg/mod.py").read_text()
    head = open_sb()
    assert "return 2" in (head.host_root / "pkg/mod.py").read_text()
    assert not (head.host_root / "pkg/untracked.py").exists()
    assert head.diff() == ""
    assert (repo / "pkg/mod.py").read_text() == "uncommitted\n"


def test_subdir_task_runs_in_its_directory(open_sb: Callable[..., LocalSandbox]) -> None:
    sb = open_sb(subdir="sub/task")
    assert sb.workdir == str(sb.host_root / "sub/task")
    res = sb.execute("python3 main.py")
    assert res.stdout == "task\n"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"ref": "no-such-ref"}, "unknown ref"),
        ({"subdir": "nope"}, "subdir"),
        ({"subdir": "../x"}, "outside"),
    ],
)
def test_bad_specs_fail_with_one_line(
    open_sb: Callable[..., LocalSandbox], fields: dict[str, object], message: str
) -> None:
    with pytest.raises(SandboxError, match=message) as info:
        open_sb(**fields)
    assert "\n" not in str(info.value)


def test_not_a_repository(tmp_path: Path, factory: LocalSandboxFactory) -> None:
    with pytest.raises(SandboxError, match="not a git repository"):
        factory.open(WorkspaceSpec(repo=tmp_path, ref="HEAD"))


def test_close_removes_work_tree_and_registration(repo: Path, factory: LocalSandboxFactory) -> None:
    with factory.open(WorkspaceSpec(repo=repo, ref="HEAD")) as sb:
        base = sb.tree.base
        assert sb.host_root.is_dir() and sb.host_scratch.is_dir()
        assert not sb.host_scratch.is_relative_to(sb.host_root)
        assert str(sb.host_root) in git(repo, "worktree", "list")
    assert not base.exists()
    assert str(base) not in git(repo, "worktree", "list")
    sb.close()  # idempotent
    with pytest.raises(SandboxError, match="closed"):
        sb.execute("true")


def test_crashed_runs_are_pruned_on_next_open(repo: Path, tmp_path: Path) -> None:
    """Guards against work trees of killed perfagent processes piling up in the repo."""
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = tmp_path / "perfagent-old-x" / "tree"
    git(repo, "worktree", "add", "--detach", "--lock", "--reason",
        f"{OWNER_TAG} {dead.pid}:1", str(stale), "HEAD")  # fmt: skip
    mine = WorkTree.create(WorkspaceSpec(repo=repo, ref="HEAD"), tmp_path / "trees")
    try:
        assert not stale.parent.exists()
        listing = git(repo, "worktree", "list")
        assert str(stale) not in listing and str(mine.root) in listing
        assert prune_stale(repo) == []  # a live owner's tree is kept
        assert mine.root.is_dir()
    finally:
        mine.remove()


FROZEN_LISTER = """
import sys, time
from pathlib import Path
from sandbox.listing import listing

with listing(Path(sys.argv[1])):
    Path(sys.argv[2]).write_text("held")
    time.sleep(3600)
"""


@pytest.mark.slow
def test_a_process_frozen_while_changing_the_work_tree_list_does_not_block_the_repo(
    repo: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Guards a batch that hung for good when a node froze: a worker stopped (SIGSTOP) while
    it held the repository's work-tree lock kept it, and every other process on the
    machine that opened a sandbox on that repository waited on it forever."""
    flag = tmp_path / "held"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    frozen = subprocess.Popen([sys.executable, "-c", FROZEN_LISTER, str(repo), str(flag)], env=env)
    try:
        deadline = time.monotonic() + 60
        while not flag.exists():
            assert frozen.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        frozen.send_signal(signal.SIGSTOP)
        tree = WorkTree.create(WorkspaceSpec(repo=repo, ref="HEAD"), tmp_path / "trees")
        tree.remove()
    finally:
        frozen.kill()
        frozen.wait(timeout=30)
    assert not tree.root.exists()
    assert f"locked by stopped process(es) {frozen.pid}" in caplog.text


def test_failed_open_leaves_nothing_behind(repo: Path, tmp_path: Path) -> None:
    fac = LocalSandboxFactory(LocalSandboxConfig(tmp_root=tmp_path / "t"))
    with pytest.raises(ProtectedPathError):
        fac.open(WorkspaceSpec(repo=repo, ref="HEAD", protected=("tests/**",),
                               files={"tests/x.py": ""}))  # fmt: skip
    assert list((tmp_path / "t").iterdir()) == []
    assert git(repo, "worktree", "list").count("\n") == 0


@pytest.mark.slow
def test_work_trees_made_and_removed_on_several_threads_at_once_all_succeed(
    make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    """Guards the race the prewarm thread and side-by-side counts exposed: a `git worktree
    prune` or `remove` beside an `add` deleted the entry the add was still writing, and the
    candidate ended as an error ("could not open .git/worktrees/tree/locked")."""
    repo = make_repo({f"f{n}.txt": f"{n}\n" for n in range(200)})
    trees = tmp_path / "trees"
    failures: list[str] = []

    def churn(n: int) -> None:
        for _ in range(30):
            try:
                WorkTree.create(WorkspaceSpec(repo=repo, ref="HEAD", name=f"w{n}"), trees).remove()
            except SandboxError as exc:
                failures.append(str(exc))

    threads = [threading.Thread(target=churn, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert not list(trees.iterdir())


CHURN = """
import sys
from pathlib import Path
from sandbox.base import SandboxError, WorkspaceSpec
from sandbox.worktree import WorkTree

repo, trees, name = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
failed = 0
for _ in range(20):
    try:
        WorkTree.create(WorkspaceSpec(repo=repo, ref="HEAD", name=name), trees).remove()
    except SandboxError as exc:
        failed += 1
        print(exc)
sys.exit(1 if failed else 0)
"""


@pytest.mark.slow
def test_work_trees_made_and_removed_by_several_processes_at_once_all_succeed(
    make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    """Guards the same race between processes: batch workers, or two runs on one
    repository, each add, remove and prune work trees of its own; one's prune deleted the
    entry the other's add was still writing."""
    repo = make_repo({f"f{n}.txt": f"{n}\n" for n in range(200)})
    trees = tmp_path / "trees"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    procs = [
        subprocess.Popen(
            ["python3", "-c", CHURN, str(repo), str(trees), f"p{n}"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for n in range(4)
    ]
    said = [p.communicate(timeout=600)[0] for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, said
    assert not list(trees.iterdir())
