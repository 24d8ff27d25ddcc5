"""The functions a diff changes (for picking the suite benchmarks that run them), on real
git diffs of real files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from profilers.suite_changes import changed_functions, changed_lines
from profilers.suite_select import touches
from tests.conftest import git, write_tree

BASE = '''"""Numbers."""
LIMIT = 10


def helper(x):
    return x + 1


class Box:
    size = 3

    @staticmethod
    def make(n):
        return [0] * n

    def total(self, xs):
        def inner(v):
            return v * 2

        return sum(inner(x) for x in xs)
'''


def diff_of(make_repo: Callable[..., Path], files: dict[str, str]) -> tuple[Path, str]:
    """A repo at BASE with `files` written over it (uncommitted): (root, `git diff`)."""
    root = make_repo({"pkg/nums.py": BASE, "pkg/data.txt": "a\n"})
    write_tree(root, files)
    git(root, "add", "-N", ".")
    return root, git(root, "diff") + "\n"


def test_a_change_inside_a_method_names_the_innermost_function(
    make_repo: Callable[..., Path],
) -> None:
    root, diff = diff_of(make_repo, {"pkg/nums.py": BASE.replace("v * 2", "v + v")})
    assert changed_functions(diff, root, root) == [("pkg/nums.py", "Box.total.inner")]
    root, diff = diff_of(make_repo, {"pkg/nums.py": BASE.replace("[0] * n", "[0] * (n + 0)")})
    assert changed_functions(diff, root, root) == [("pkg/nums.py", "Box.make")]


def test_a_change_outside_every_function_names_the_whole_file(
    make_repo: Callable[..., Path],
) -> None:
    root, diff = diff_of(make_repo, {"pkg/nums.py": BASE.replace("LIMIT = 10", "LIMIT = 11")})
    changed = changed_functions(diff, root, root)
    assert changed == [("pkg/nums.py", "*")]
    profile = "main (bench.py:1);helper (/w/pkg/nums.py:5) 7\n"
    assert touches(profile, changed) and not touches(profile, [("pkg/other.py", "*")])


def test_removed_lines_are_found_in_the_base_and_added_ones_in_the_head(
    make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    head_text = (
        BASE.replace("def helper(x):\n    return x + 1\n", "") + "\n\ndef extra():\n    pass\n"
    )
    base, diff = diff_of(make_repo, {"pkg/nums.py": head_text})
    head = tmp_path / "head"
    write_tree(head, {"pkg/nums.py": head_text})
    git(base, "checkout", "--", "pkg/nums.py")
    assert changed_functions(diff, base, head) == [
        ("pkg/nums.py", "*"),
        ("pkg/nums.py", "extra"),
        ("pkg/nums.py", "helper"),
    ]


def test_paths_are_task_relative_and_other_files_mean_anything(
    make_repo: Callable[..., Path],
) -> None:
    root, diff = diff_of(make_repo, {"pkg/nums.py": BASE.replace("x + 1", "1 + x")})
    assert changed_functions(diff, root, root, subdir="pkg") == [("nums.py", "helper")]
    root, diff = diff_of(make_repo, {"pkg/data.txt": "b\n"})
    assert changed_functions(diff, root, root) is None


def test_diff_lines_that_look_like_headers_are_changes() -> None:
    """Guards the parser: a removed line "-- x" shows as "--- x" inside a hunk."""
    diff = (
        "diff --git a/m.py b/m.py\n--- a/m.py\n+++ b/m.py\n@@ -2,2 +2,2 @@\n"
        " def f():\n--- x\n+++ y\n"
    )
    assert list(changed_lines(diff)) == [("m.py", "m.py", {3}, {3})]
