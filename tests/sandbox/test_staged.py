"""The checkout's index-only view (`sandbox.staged`): the same sources and diffs as a checked-out
work tree, the same refusals, and nothing written to the repository's work tree or index."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from sandbox.base import ProtectedPathError, SandboxError, WorkspaceSpec
from sandbox.checkout import GitCheckout
from sandbox.staged import StagedTree
from sandbox.worktree import EscapingPathError, WorkTree
from tests.conftest import git
from tests.sandbox.conftest import PROTECTED
from tests.sandbox.test_worktree import PATCH

CASES: list[tuple[str, Mapping[str, str | None]]] = [
    ("", {"pkg/mod.py": "def f(x):\n    return x + 2\n"}),
    (PATCH, {}),
    (PATCH, {"pkg/new.py": "VALUE = 1\n"}),
    ("", {"pkg/mod.py": None}),
    ("", {"pkg/mod.py": "def f(x):\n    return x + 1\n"}),  # no change
    ("", {"sub/task/main.py": "print('ünïcode')\n", "pkg/deep/er/x.py": "x = 1\n"}),
]


def spec(
    repo: Path, patch: str = "", files: Mapping[str, str | None] | None = None
) -> WorkspaceSpec:
    return WorkspaceSpec(
        repo=repo, ref="HEAD", patch=patch, files=dict(files or {}), protected=PROTECTED
    )


def tree_diff(s: WorkspaceSpec, tmp: Path) -> str:
    tree = WorkTree.create(s, tmp)
    try:
        return tree.diff()
    finally:
        tree.remove()


@pytest.mark.parametrize(("patch", "files"), CASES)
def test_the_staged_diff_is_the_work_trees_diff(
    repo: Path, tmp_path: Path, patch: str, files: Mapping[str, str | None]
) -> None:
    with StagedTree.open(spec(repo, patch, files)) as staged:
        got = staged.diff()
    assert got == tree_diff(spec(repo, patch, files), tmp_path)


def test_an_executable_file_keeps_its_mode(repo: Path, tmp_path: Path) -> None:
    git(repo, "update-index", "--chmod=+x", "pkg/mod.py")
    git(repo, "commit", "-q", "-m", "exec")
    files = {"pkg/mod.py": "def f(x):\n    return x\n"}
    with StagedTree.open(spec(repo, "", files)) as staged:
        got = staged.diff()
    assert "new mode" not in got and "old mode" not in got
    assert got == tree_diff(spec(repo, "", files), tmp_path)


def test_sources_match_a_checked_out_tree_and_leave_the_repo_alone(repo: Path) -> None:
    (repo / "pkg" / "big.py").write_text("x = 1\n" * 10)
    (repo / "pkg" / "crlf.py").write_bytes(b"a = 1\r\nb = 2\r\n")
    (repo / "pkg" / "blob.bin").write_bytes(b"\xff\xfe\x00")
    (repo / "pkg" / ".hidden.py").write_text("h = 1\n")
    os.symlink("mod.py", repo / "pkg" / "link.py")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "more")
    before = git(repo, "status", "--porcelain"), (repo / ".git" / "index").read_bytes()
    checkout = GitCheckout(spec(repo), lambda rel: not rel.startswith("tests/"))
    got = checkout.sources(PATCH)
    assert got["pkg/mod.py"] == "def f(x):\n    return 1 + x\n"
    assert got["pkg/crlf.py"] == "a = 1\nb = 2\n"  # as Python's text mode reads it
    assert "pkg/blob.bin" not in got and "pkg/.hidden.py" not in got
    assert "pkg/link.py" not in got and not any(p.startswith("tests/") for p in got)
    assert (git(repo, "status", "--porcelain"), (repo / ".git" / "index").read_bytes()) == before


def test_sources_are_relative_to_the_task_directory(repo: Path) -> None:
    checkout = GitCheckout(
        WorkspaceSpec(repo=repo, ref="HEAD", subdir="sub/task"), lambda rel: True
    )
    assert checkout.sources() == {"main.py": "print('task')\n"}
    diff = checkout.diff("", {"main.py": "print('faster')\n"})
    assert "b/sub/task/main.py" in diff and "+print('faster')" in diff


@pytest.mark.parametrize(
    "files",
    [{"tests/test_mod.py": "x = 1\n"}, {"bench/run.py": "print(1)\n"}, {"bench": None}],
)
def test_protected_paths_are_refused(repo: Path, files: Mapping[str, str | None]) -> None:
    with pytest.raises(ProtectedPathError), StagedTree.open(spec(repo, "", files)):
        pass


def test_a_patch_touching_a_protected_path_is_refused(repo: Path) -> None:
    patch = (
        "diff --git a/tests/test_new.py b/tests/test_new.py\nnew file mode 100644\n"
        "--- /dev/null\n+++ b/tests/test_new.py\n@@ -0,0 +1 @@\n+x = 1\n"
    )
    with pytest.raises(ProtectedPathError), StagedTree.open(spec(repo, patch)):
        pass


@pytest.mark.parametrize("path", ["../outside.py", "/etc/passwd", ".git/config", "a/../../x"])
def test_escaping_paths_are_refused(repo: Path, path: str) -> None:
    with pytest.raises(EscapingPathError), StagedTree.open(spec(repo, "", {path: "x"})):
        pass


@pytest.mark.parametrize("target", ["/etc", "../..", "../../outside"])
def test_no_write_goes_through_a_link_and_no_link_points_outside(
    make_repo: Callable[..., Path], target: str
) -> None:
    repo = make_repo({"pkg/mod.py": "x = 1\n"})
    os.symlink(target, repo / "pkg" / "out")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "link")
    with pytest.raises(EscapingPathError), StagedTree.open(spec(repo, "", {"pkg/out/x.py": "y"})):
        pass
    link_patch = git(repo, "show", "--format=", "HEAD") + "\n"
    git(repo, "reset", "-q", "--hard", "HEAD~1")
    with pytest.raises(EscapingPathError), StagedTree.open(spec(repo, link_patch)):
        pass


def test_a_patch_that_does_not_apply_is_a_sandbox_error(repo: Path) -> None:
    bad = spec(repo, PATCH.replace("x + 1", "x + 9"))
    with pytest.raises(SandboxError, match="patch does not apply"), StagedTree.open(bad):
        pass


def test_a_file_where_a_directory_is_needed_is_a_sandbox_error(repo: Path) -> None:
    under_a_file = spec(repo, "", {"pkg/mod.py/inner.py": "x"})
    with pytest.raises(SandboxError, match="is a file"), StagedTree.open(under_a_file):
        pass
    over_a_directory = spec(repo, "", {"pkg": "x"})
    with pytest.raises(SandboxError, match="is a directory"), StagedTree.open(over_a_directory):
        pass
