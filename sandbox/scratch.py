"""Scratch per command: what the host put in scratch goes in, what the command writes comes out,
and nothing one command wrote is seen by the next (shared by the local and Docker sandboxes).

The host reads and writes `host` (the sandbox's `host_scratch`); commands see `view`. Before
each command, `prepare` makes `view` hold exactly the host's regular files, except the ones
earlier commands produced (copies, kept from one command to the next while neither side changed
them). After it, `collect` moves the regular files the command created into `host` and removes
everything else it did in `view`: a link, device or fifo never reaches the host's readers, and
a changed or deleted input is copied afresh next time. Inputs are compared by size, mtime,
ctime and inode, which a command without CAP_SYS_TIME cannot forge. All of it happens outside
the timed region, and costs little when the command wrote nothing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
from pathlib import Path

Print = tuple[int, int, int, int]
"""(size, mtime_ns, ctime_ns, inode) of a copy in the view."""


def _print(st: os.stat_result) -> Print:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


class Scratch:
    """The host side of one sandbox's scratch, and the view its commands see."""

    def __init__(self, host: Path, view: Path, owner: tuple[int, int] | None = None) -> None:
        self.host = host
        self.view = view
        self.owner = owner if owner is not None and owner[0] != os.geteuid() else None
        """uid:gid that must own the view's directories (the Docker sandbox user), or None."""
        self._made_by_commands: dict[str, tuple[int, int]] = {}
        self._inputs: dict[str, tuple[int, int]] = {}
        self._copies: dict[str, Print] = {}
        view.mkdir(parents=True, exist_ok=True)
        self._own(view)

    def _own(self, path: Path) -> None:
        if self.owner is not None:
            os.chown(path, *self.owner)

    def _wanted(self) -> dict[str, tuple[int, int]]:
        found: dict[str, tuple[int, int]] = {}
        for dirpath, dirnames, filenames in os.walk(self.host):
            dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]
            rel_dir = os.path.relpath(dirpath, self.host)
            for name in filenames:
                st = os.lstat(os.path.join(dirpath, name))
                rel = os.path.normpath(os.path.join(rel_dir, name))
                if stat.S_ISREG(st.st_mode) and self._made_by_commands.get(rel) != (
                    st.st_size,
                    st.st_mtime_ns,
                ):
                    found[rel] = (st.st_size, st.st_mtime_ns)
        return found

    def prepare(self) -> None:
        """Make the view hold the host's current inputs and nothing else."""
        wanted = self._wanted()
        for rel in list(self._copies):
            if wanted.get(rel) != self._inputs.get(rel):
                (self.view / rel).unlink(missing_ok=True)
                del self._copies[rel]
        for rel, state in wanted.items():
            if rel in self._copies:
                continue
            dest = self.view / rel
            for parent in reversed(Path(rel).parents[:-1]):
                if not (self.view / parent).is_dir():
                    (self.view / parent).mkdir()
                    self._own(self.view / parent)
            shutil.copy2(self.host / rel, dest)
            os.chmod(dest, (os.lstat(dest).st_mode & 0o777) | 0o444)
            self._copies[rel], self._inputs[rel] = _print(os.lstat(dest)), state

    def collect(self) -> None:
        """Hand the command's new files to the host; undo everything else it did in the view."""
        keep_dirs = {str(p) for rel in self._copies for p in Path(rel).parents}
        for dirpath, dirnames, filenames in os.walk(self.view, topdown=False):
            rel_dir = os.path.relpath(dirpath, self.view)
            for name in [*filenames, *dirnames]:
                path = os.path.join(dirpath, name)
                rel = os.path.normpath(os.path.join(rel_dir, name))
                st = os.lstat(path)
                if stat.S_ISDIR(st.st_mode):
                    if rel not in keep_dirs:
                        _remove_tree(path)
                    continue
                if self._copies.get(rel) == _print(st):
                    continue  # an untouched input
                if rel not in self._copies and stat.S_ISREG(st.st_mode) and self._hand_over(rel):
                    continue
                os.unlink(path)
                self._copies.pop(rel, None)
        for rel in [r for r in self._copies if not (self.view / r).is_file()]:
            del self._copies[rel]  # deleted (or moved under a link) by the command: copy again

    def _hand_over(self, rel: str) -> bool:
        dest = self.host / rel
        if not _inside_plain(self.host, dest.parent):
            return False
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.is_dir() and not dest.is_symlink():
            return False
        st = os.lstat(self.view / rel)
        os.replace(self.view / rel, dest)
        self._made_by_commands[rel] = (st.st_size, st.st_mtime_ns)
        return True


def clear(path: Path) -> list[tuple[str, bool]]:
    """Remove everything inside `path` (never following links), keeping `path` itself; returns
    what was there (files, links, empty directories) relative to `path`, with whether each is
    a directory."""
    found: list[tuple[str, bool]] = []
    if not path.is_dir() or path.is_symlink():
        return found
    parents: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(path, topdown=False):
        rel_dir = os.path.relpath(dirpath, path)
        for name in [*filenames, *dirnames]:
            full = os.path.join(dirpath, name)
            rel = os.path.normpath(os.path.join(rel_dir, name))
            parents.add(rel_dir)
            if os.path.isdir(full) and not os.path.islink(full):
                if rel not in parents:
                    found.append((rel, True))
                with contextlib.suppress(OSError):
                    os.rmdir(full)
            else:
                found.append((rel, False))
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(full)
    return found


def _remove_tree(path: str) -> None:
    with contextlib.suppress(OSError):
        os.chmod(path, 0o700)
    for dirpath, dirnames, _ in os.walk(path):
        for name in dirnames:
            with contextlib.suppress(OSError):
                os.chmod(os.path.join(dirpath, name), 0o700)
    shutil.rmtree(path, ignore_errors=True)


def _inside_plain(root: Path, path: Path) -> bool:
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root + os.sep)
