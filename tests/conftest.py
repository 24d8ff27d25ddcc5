"""Fixtures shared by every test folder: real git repositories in temporary directories."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

GIT_ENV = {
    "GIT_AUTHOR_NAME": "perfagent-tests",
    "GIT_AUTHOR_EMAIL": "tests@perfagent.invalid",
    "GIT_COMMITTER_NAME": "perfagent-tests",
    "GIT_COMMITTER_EMAIL": "tests@perfagent.invalid",
}


def git(cwd: Path, *args: str) -> str:
    import os

    proc = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **GIT_ENV}
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def write_tree(root: Path, files: Mapping[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[..., Path]:
    """`make_repo({"pkg/mod.py": "..."})` -> path of a fresh repo with one commit of them."""
    counter = iter(range(1000))

    def make(files: Mapping[str, str], name: str | None = None) -> Path:
        root = tmp_path / (name or f"repo{next(counter)}")
        root.mkdir(parents=True)
        git(root, "init", "-q", "-b", "main")
        write_tree(root, files)
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "initial")
        return root

    return make
