"""Put a work tree back after a command that must not keep its writes, and say what it wrote.

Used where the sandbox cannot give a command a copy-on-write view of the tree (Docker, where
the tree is a bind mount of a warm container, and the local sandbox without mount namespaces).
`baseline()` records the tree as it is into a private git index (every file, ignored ones
included, hashed into a private object directory borrowing the repo's objects); `settle()` asks
git which paths differ from it (stat data including ctime, then content) and restores them:
changed or deleted files are checked out from the index, new files and directories removed.
Both run on the host, outside the timed region.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from pathlib import Path, PurePosixPath

from sandbox.base import SandboxError
from sandbox.worktree import WorkTree

_GIT_CONFIG = (
    *("-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false"),
    *("-c", "core.filemode=true", "-c", "core.trustctime=true", "-c", "core.symlinks=true"),
    *("-c", "core.hooksPath=/dev/null", "-c", "status.relativePaths=false"),
)


class TreeGuard:
    """The reference state of one work tree and the means to return to it."""

    def __init__(self, tree: WorkTree, owner: tuple[int, int] | None = None) -> None:
        self.tree = tree
        self.owner = owner
        """uid:gid restored files must belong to (the Docker sandbox user), or None."""
        self.index = tree.base / "guard.index"
        self.objects = tree.base / "guard-objects"

    def _git(self, *args: str, stdin: bytes | None = None) -> bytes:
        if self.tree.admin is None:
            raise SandboxError("work tree is not checked out")
        common = _common_dir(self.tree.admin)
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
            "GIT_INDEX_FILE": str(self.index),
            "GIT_OBJECT_DIRECTORY": str(self.objects),
            "GIT_ALTERNATE_OBJECT_DIRECTORIES": str(common / "objects"),
            "GIT_TERMINAL_PROMPT": "0",
        }
        cmd = ["git", *_GIT_CONFIG, f"--git-dir={self.tree.admin}", f"--work-tree={self.tree.root}"]
        proc = subprocess.run(
            [*cmd, *args], input=stdin, capture_output=True, env=env, cwd=self.tree.root
        )
        if proc.returncode != 0:
            why = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            raise SandboxError(f"git {args[0]} failed in the work tree: {why[-1] if why else ''}")
        return proc.stdout

    def baseline(self) -> None:
        """Record the tree as it is now as the state every later command starts from."""
        self.objects.mkdir(exist_ok=True)
        if not self.index.exists() and self.tree.admin is not None:
            with contextlib.suppress(OSError):  # start from the checkout's stat data: fewer hashes
                shutil.copyfile(self.tree.admin / "index", self.index)
        self._git("add", "-A", "-f", "--", ".")

    def settle(self) -> tuple[str, ...]:
        """Repo-relative paths that differ from the baseline, put back; sorted."""
        out = self._git(
            "status", "--porcelain=v1", "-z", "--untracked-files=normal", "--ignored=matching",
            "--no-renames",
        )  # fmt: skip
        restore: list[str] = []
        remove: list[str] = []
        for record in out.split(b"\0"):
            if len(record) < 4:
                continue
            code, path = record[:2].decode(), os.fsdecode(record[3:])
            if code in ("??", "!!"):
                remove.append(path)
            elif code[1] in "MDT":
                restore.append(path)
        removed = [found for rel in remove for found in _remove(self.tree.root, rel)]
        if restore:
            for rel in restore:
                _clear_obstacles(self.tree.root, rel)
            self._git("checkout-index", "-f", "-u", "-z", "--stdin", stdin=_z(restore))
            if self.owner is not None and self.owner[0] != os.geteuid():
                for rel in restore:
                    with contextlib.suppress(FileNotFoundError):
                        os.chown(self.tree.root / rel, *self.owner, follow_symlinks=False)
        return tuple(sorted(set(restore + removed)))


def _common_dir(admin: Path) -> Path:
    """The repository's own git dir, from a work tree's admin dir (its `commondir` file)."""
    pointer = admin / "commondir"
    if pointer.is_file():
        return (admin / pointer.read_text().strip()).resolve()
    return admin


def _z(paths: list[str]) -> bytes:
    return b"".join(os.fsencode(p) + b"\0" for p in paths)


def _remove(root: Path, rel: str) -> list[str]:
    """Delete what a command created at `rel` (a file, or a new directory git shows as
    `dir/`), never following a link out of the tree; returns the paths removed."""
    rel = rel.rstrip("/")
    path = root / rel
    parent = root
    for part in PurePosixPath(rel).parts[:-1]:
        parent = parent / part
        if parent.is_symlink() or not parent.is_dir():
            return []  # gone with, or reached through, something removed or restored already
    if not path.is_dir() or path.is_symlink():
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        return [rel]
    found: list[str] = []
    os.chmod(path, 0o700)
    for dirpath, dirnames, filenames in os.walk(path):
        for name in dirnames:
            if not os.path.islink(os.path.join(dirpath, name)):
                os.chmod(os.path.join(dirpath, name), 0o700)
        here = os.path.relpath(dirpath, root)
        links = [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]
        found += [f"{here}/{name}" for name in (*filenames, *links)]
        if not dirnames and not filenames:
            found.append(here)
    shutil.rmtree(path, ignore_errors=True)
    return found


def _clear_obstacles(root: Path, rel: str) -> None:
    """Remove what stands where a file must be restored: a linked or replaced parent, a
    directory in place of the file."""
    parent = root
    for part in PurePosixPath(rel).parts[:-1]:
        parent = parent / part
        if parent.is_symlink() or (parent.exists() and not parent.is_dir()):
            parent.unlink()
            break
    path = root / rel
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
