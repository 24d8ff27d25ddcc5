"""Scratch per command: what the host put in scratch goes in, what the command writes comes out,
and nothing one command wrote is seen by the next (shared by the local and Docker sandboxes).

The host reads and writes `host_scratch`. Before each command, its regular files, except the
ones earlier commands produced, are copied into a fresh directory the command sees as scratch;
after it, the regular files the command created there are moved into `host_scratch` (a link,
device or fifo made by a command never reaches the host's readers, and the command's changes
to the host's own files are dropped). All of it happens outside the timed region.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Mapping
from pathlib import Path

Seeded = dict[str, tuple[int, int]]
"""Relative path -> (size, mtime_ns) of each file copied in for one command."""


class Scratch:
    """The host side of one sandbox's scratch."""

    def __init__(self, host: Path, owner: tuple[int, int] | None = None) -> None:
        self.host = host
        self.owner = owner
        """uid:gid that must own the command's copy of the directories (Docker), or None."""
        self._made_by_commands: dict[str, tuple[int, int]] = {}

    def seed(self, target: Path) -> Seeded:
        """Copy the host's inputs into the empty or missing directory `target`."""
        target.mkdir(exist_ok=True)
        seeded: Seeded = {}
        for dirpath, dirnames, filenames in os.walk(self.host):
            rel_dir = os.path.relpath(dirpath, self.host)
            dest_dir = target if rel_dir == "." else target / rel_dir
            dest_dir.mkdir(exist_ok=True)
            dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]
            for name in filenames:
                src = os.path.join(dirpath, name)
                rel = os.path.normpath(os.path.join(rel_dir, name))
                st = os.lstat(src)
                if not stat.S_ISREG(st.st_mode):
                    continue
                if self._made_by_commands.get(rel) == (st.st_size, st.st_mtime_ns):
                    continue  # an earlier command's output: the host's, not the next command's
                dest = dest_dir / name
                shutil.copy2(src, dest)
                os.chmod(dest, (st.st_mode & 0o777) | 0o444)
                dst = os.lstat(dest)
                seeded[rel] = (dst.st_size, dst.st_mtime_ns)
        if self.owner is not None and self.owner[0] != os.geteuid():
            for dirpath, _, _ in os.walk(target):
                os.chown(dirpath, *self.owner)
        return seeded

    def collect(self, source: Path, seeded: Mapping[str, tuple[int, int]]) -> None:
        """Move the regular files the command created in `source` into the host's scratch."""
        for dirpath, dirnames, filenames in os.walk(source):
            dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]
            rel_dir = os.path.relpath(dirpath, source)
            for name in filenames:
                src = os.path.join(dirpath, name)
                rel = os.path.normpath(os.path.join(rel_dir, name))
                st = os.lstat(src)
                if not stat.S_ISREG(st.st_mode) or rel in seeded:
                    continue  # the host's own inputs are read-only to commands
                dest = self.host / rel
                if not _inside_plain(self.host, dest.parent):
                    continue
                dest.parent.mkdir(parents=True, exist_ok=True)
                if dest.is_dir() and not dest.is_symlink():
                    continue
                os.replace(src, dest)
                self._made_by_commands[rel] = (st.st_size, st.st_mtime_ns)


def clear(path: Path) -> None:
    """Remove everything inside `path` (never following links), keeping `path` itself."""
    if not path.is_dir() or path.is_symlink():
        return
    for entry in os.scandir(path):
        if entry.is_dir(follow_symlinks=False):
            _make_removable(Path(entry.path))
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            Path(entry.path).unlink(missing_ok=True)


def _make_removable(root: Path) -> None:
    """Give the owner rwx on every directory below `root` (a command may chmod 000 its own)."""
    os.chmod(root, 0o700)
    for dirpath, dirnames, _ in os.walk(root):
        for name in dirnames:
            full = os.path.join(dirpath, name)
            if not os.path.islink(full):
                os.chmod(full, 0o700)


def _inside_plain(root: Path, path: Path) -> bool:
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root + os.sep)
