"""Protected files are fingerprinted before and after every command; a digest is reused only
while the file's stat data, ctime included, is unchanged and settled."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from sandbox import fingerprints
from sandbox.fingerprints import Fingerprints


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many files were hashed; every ctime counts as settled."""
    calls: list[int] = []
    real = hashlib.sha256

    def counting(*args: bytes) -> hashlib._Hash:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(fingerprints.hashlib, "sha256", counting)
    monkeypatch.setattr(fingerprints, "SETTLED_NS", -(10**12))
    return calls


def test_an_unchanged_file_is_not_hashed_again(tmp_path: Path, hashed: list[int]) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_a.py").write_text("assert True\n")
    prints = Fingerprints(tmp_path, ("tests",))
    first = prints.of("tests/test_a.py")
    assert prints.of("tests/test_a.py") == first and len(hashed) == 1


def test_a_rewrite_that_keeps_size_and_mtime_is_still_seen(
    tmp_path: Path, hashed: list[int]
) -> None:
    """Guards the reused digest: a command that rewrites a protected file with bytes of the
    same length and puts its mtime back must not pass for untouched (ctime still moves)."""
    path = tmp_path / "bench.py"
    path.write_text("N = 1000\n")
    prints = Fingerprints(tmp_path, ("bench.py",))
    before = prints.of("bench.py")
    st = path.stat()
    path.write_text("N = 1001\n")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_mtime_ns == st.st_mtime_ns
    assert prints.of("bench.py") != before and len(hashed) == 2


def test_links_missing_files_and_replaced_parents_are_told_apart(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "a.py").write_text("x = 1\n")
    prints = Fingerprints(tmp_path, ("tests",))
    assert prints.of("tests/b.py") == "missing"
    os.symlink("a.py", tmp_path / "tests" / "c.py")
    assert prints.of("tests/c.py") == "link:a.py"
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", tmp_path / "sub")
    assert prints.of("sub/a.py") == "parent-replaced"
    assert prints.covers("tests/a.py") and not prints.covers("lib/a.py")


def test_a_tree_whose_commands_may_set_the_clock_hashes_every_time(
    tmp_path: Path, hashed: list[int]
) -> None:
    """Guards the reused digest where commands keep CAP_SYS_TIME (root, no capability drop):
    such a command could put the clock back and forge an unchanged ctime."""
    (tmp_path / "bench.py").write_text("N = 1\n")
    prints = Fingerprints(tmp_path, ("bench.py",))
    prints.reuse = False
    prints.of("bench.py")
    prints.of("bench.py")
    assert len(hashed) == 2
