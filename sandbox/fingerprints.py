"""What is at a path of a work tree, as a comparable string, and which paths are protected:
asked before and after every command, so both are remembered.

A file's digest is reused while its inode, size, mode, mtime and ctime are unchanged and its
ctime is older than the digest by more than `SETTLED_NS`. A command cannot write a file
without moving its ctime, and cannot set ctime back (only the clock can), so a reused digest
is as good as a fresh one; the margin covers a write in the same clock tick as the digest.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from sandbox.base import path_matches

SETTLED_NS = 2_000_000_000


def is_protected(path: str, globs: Iterable[str]) -> bool:
    """Whether `path` or one of its parent directories matches a glob (a glob naming a
    directory protects everything under it)."""
    globs = tuple(globs)
    if not globs:
        return False
    parts = PurePosixPath(path).parts
    return any(path_matches("/".join(parts[:i]), globs) for i in range(len(parts), 0, -1))


class Fingerprints:
    """Fingerprints of one tree's files, and which of its paths `protected` covers."""

    def __init__(self, root: Path, protected: tuple[str, ...]) -> None:
        self.root = root
        self.protected = protected
        self._covered: dict[str, bool] = {}
        self._digests: dict[str, tuple[tuple[int, ...], int, str]] = {}
        self.reuse = True
        """False where a command may keep CAP_SYS_TIME (root, no capability drop): it could
        set the clock back to a file's old ctime."""

    def covers(self, rel: str) -> bool:
        if rel not in self._covered:
            self._covered[rel] = is_protected(rel, self.protected)
        return self._covered[rel]

    def of(self, rel: str) -> str:
        parent = self.root
        for part in PurePosixPath(rel).parts[:-1]:
            parent = parent / part
            if parent.is_symlink() or not parent.is_dir():
                return "parent-replaced"
        path = self.root / rel
        try:
            st = path.lstat()
        except FileNotFoundError:
            return "missing"
        if stat.S_ISLNK(st.st_mode):
            return "link:" + os.readlink(path)
        if not stat.S_ISREG(st.st_mode):
            return "other"
        key = (st.st_dev, st.st_ino, st.st_size, st.st_mode, st.st_mtime_ns, st.st_ctime_ns)
        known = self._digests.get(rel)
        settled = known is not None and st.st_ctime_ns < known[1] - SETTLED_NS
        if self.reuse and known is not None and known[0] == key and settled:
            return known[2]
        taken = time.time_ns()
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        found = f"file:{st.st_mode & 0o111:o}:{digest.hexdigest()}"
        self._digests[rel] = (key, taken, found)
        return found
