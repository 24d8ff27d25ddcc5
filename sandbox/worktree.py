"""Git work trees for sandboxes: check out a spec at its ref, apply its edits, diff, guard files.

Shared by the local and Docker sandboxes. A `WorkTree` lives in its own temp dir
(`$TMPDIR/perfagent-<name>-XXXXXXXX/tree`), so tool outputs can sit beside it, never inside it.
Host-side git always names the work tree's admin dir and the resolved commit explicitly, so a
command that rewrites `tree/.git` or moves `HEAD` cannot change what we diff or restore.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

import git

from sandbox.base import ProtectedPathError, SandboxError, WorkspaceSpec
from sandbox.fingerprints import Fingerprints, is_protected
from sandbox.listing import GIT_ENV as _GIT_ENV
from sandbox.listing import listing
from sandbox.procs import owner_alive, owner_token

OWNER_TAG = "perfagent-owner"
"""Lock reason prefix on our work trees: `perfagent-owner <pid>:<start time>`."""
TREE_DIR = "tree"
DIFF_OPTS = ("--binary", "--no-color", "--no-ext-diff", "--no-renames", "--full-index")


class EscapingPathError(ProtectedPathError):
    """An edit names a path outside the work tree (`..`, absolute, through or as an outward symlink)."""

    def __init__(self, paths: list[str]) -> None:
        self.paths = paths
        SandboxError.__init__(self, "edit reaches outside the work tree: " + ", ".join(paths))


def clean_relative(path: str) -> str:
    """`path` as a normalized repo-relative POSIX path; EscapingPathError if it leaves the tree."""
    pure = PurePosixPath(path.replace("\\", "/"))
    parts = [p for p in pure.parts if p not in ("", ".")]
    if pure.is_absolute() or not parts or ".." in parts or parts[0] == ".git":
        raise EscapingPathError([path])
    return "/".join(parts)


def _inside(root: Path, target: str) -> bool:
    real_root = os.path.realpath(root)
    real = os.path.realpath(target)
    return real == real_root or real.startswith(real_root + os.sep)


def git_message(exc: git.GitCommandError) -> str:
    text = str(exc.stderr or exc.stdout or exc).strip()
    text = re.sub(r"^stderr: '", "", text).rstrip("'").strip()
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return "; ".join(lines[:6]) or f"git exited with {exc.status}"


def prune_stale(repo: Path) -> list[Path]:
    """Remove our work trees whose owning process is gone (crashed runs) and prune git's list."""
    with listing(repo):
        return _prune_stale(repo)


def _prune_stale(repo: Path) -> list[Path]:
    g = git.Git(str(repo))
    removed: list[Path] = []
    try:
        listing = g.execute(["git", "worktree", "list", "--porcelain"], env=_GIT_ENV)
    except git.GitCommandError:
        return removed
    for block in str(listing).split("\n\n"):
        lines = block.splitlines()
        path = next((ln[9:] for ln in lines if ln.startswith("worktree ")), None)
        reason = next((ln[7:] for ln in lines if ln.startswith("locked ")), "")
        if path is None or not reason.startswith(OWNER_TAG + " "):
            continue
        if owner_alive(reason[len(OWNER_TAG) + 1 :].strip()):
            continue
        with contextlib.suppress(git.GitCommandError):
            g.execute(["git", "worktree", "remove", "--force", "--force", path], env=_GIT_ENV)
        base = Path(path).parent
        if base.name.startswith("perfagent-"):
            shutil.rmtree(base, ignore_errors=True)
        removed.append(Path(path))
    with contextlib.suppress(git.GitCommandError):
        g.execute(["git", "worktree", "prune"], env=_GIT_ENV)
    return removed


class WorkTree:
    """A detached work tree of `spec.repo` at `spec.ref` with the spec's edits applied.

    Create with `WorkTree.create(spec)`; `base` is a private temp dir holding `root` (the tree)
    and whatever else the caller puts beside it (scratch); `remove()` deletes all of it.
    """

    def __init__(
        self, repo: Path, base: Path, commit: str, protected: tuple[str, ...] = ()
    ) -> None:
        self.repo = repo
        self.base = base
        self.root = base / TREE_DIR
        self.commit = commit
        self.protected = protected
        self.admin: Path | None = None
        self._baseline: dict[str, str] = {}
        self._tracked = ""  # `ls-tree` of the commit, which never changes
        self._prints = Fingerprints(self.root, protected)
        self._removed = False

    # creation ------------------------------------------------------------------------------
    @classmethod
    def create(cls, spec: WorkspaceSpec, tmp_root: Path | None = None) -> WorkTree:
        """Check out `spec` in a fresh temp dir; SandboxError (or ProtectedPathError) if it cannot."""
        repo = toplevel(Path(spec.repo))
        prune_stale(repo)
        commit = resolve_commit(repo, spec.ref)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "-", spec.name)[:40] or "ws"
        if tmp_root is not None:
            tmp_root.mkdir(parents=True, exist_ok=True)
        base = Path(tempfile.mkdtemp(prefix=f"perfagent-{name}-", dir=tmp_root))
        tree = cls(repo, base, commit, tuple(spec.protected))
        try:
            tree._add()
            if spec.subdir:
                sub = clean_relative(spec.subdir)
                if not (tree.root / sub).is_dir() or not _inside(tree.root, str(tree.root / sub)):
                    raise SandboxError(f"subdir {spec.subdir!r} is not a directory at {spec.ref}")
            tree._baseline = tree._protected_state()
            tree.apply(spec.patch, spec.files)
        except BaseException:
            tree.remove()
            raise
        return tree

    def _add(self) -> None:
        reason = f"{OWNER_TAG} {owner_token(os.getpid())}"
        try:
            with listing(self.repo):
                git.Git(str(self.repo)).execute(
                    ["git", "worktree", "add", "--detach", "--lock", "--reason", reason,
                     str(self.root), self.commit],
                    env=_GIT_ENV,
                )  # fmt: skip
        except git.GitCommandError as exc:
            msg = f"cannot create work tree at {self.commit}: {git_message(exc)}"
            raise SandboxError(msg) from None
        pointer = (self.root / ".git").read_text().strip()
        self.admin = Path(pointer.removeprefix("gitdir:").strip())

    def _git(self, *args: str, env: Mapping[str, str] | None = None) -> str:
        if self.admin is None:
            raise SandboxError("work tree is not checked out")
        cmd = ["git", f"--git-dir={self.admin}", f"--work-tree={self.root}", *args]
        out = git.Git(str(self.root)).execute(
            cmd,
            env={**_GIT_ENV, **(env or {})},
            stdout_as_string=False,
            strip_newline_in_stdout=False,
        )
        return bytes(out).decode("utf-8", "replace")

    # edits ---------------------------------------------------------------------------------
    def apply(self, patch: str = "", files: Mapping[str, str | None] | None = None) -> None:
        """Apply a unified diff, then whole-file writes (None deletes); refuse protected or
        escaping paths with ProtectedPathError / EscapingPathError."""
        files = dict(files or {})
        cleaned = {clean_relative(p): text for p, text in files.items()}
        refused = sorted(p for p in cleaned if is_protected(p, self.protected))
        if refused:
            raise ProtectedPathError(refused)
        touched: set[str] = set()
        if patch.strip():
            touched |= self._apply_patch(patch)
        for rel, text in cleaned.items():
            self._write(rel, text)
            touched.add(rel)
        touched |= set(self.changed_paths())
        refused = sorted(p for p in touched if is_protected(p, self.protected))
        if refused:
            raise ProtectedPathError(refused)
        outward = sorted(p for p in touched if not self._stays_inside(p))
        if outward:
            raise EscapingPathError(outward)

    def _apply_patch(self, patch: str) -> set[str]:
        if not patch.endswith("\n"):
            patch += "\n"
        fd, name = tempfile.mkstemp(prefix="patch-", suffix=".diff", dir=self.base)
        with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape") as fh:
            fh.write(patch)
        try:
            listed = self._git("apply", "--numstat", "-z", name)
            self._git("apply", "--whitespace=nowarn", name)
        except git.GitCommandError as exc:
            raise SandboxError(f"patch does not apply: {git_message(exc)}") from None
        finally:
            os.unlink(name)
        paths: set[str] = set()
        for record in listed.split("\0"):
            fields = record.split("\t")
            if fields[-1]:
                paths.add(fields[-1])
        return paths

    def _write(self, rel: str, text: str | None) -> None:
        path = self.root / rel
        if not _inside(self.root, str(path.parent)):
            raise EscapingPathError([rel])
        if text is None:
            if path.is_symlink() or path.is_file():
                path.unlink()
            elif path.exists():
                raise SandboxError(f"cannot delete {rel}: not a file")
            return
        if path.is_symlink():
            path.unlink()  # write a real file, never through a link
        path.parent.mkdir(parents=True, exist_ok=True)
        if not _inside(self.root, str(path.parent)):
            raise EscapingPathError([rel])
        path.write_text(text, encoding="utf-8")

    def _stays_inside(self, rel: str) -> bool:
        path = self.root / rel
        if not _inside(self.root, str(path.parent)):
            return False
        if path.is_symlink():
            return _inside(self.root, str(path.parent / os.readlink(path)))
        return True

    # diff ----------------------------------------------------------------------------------
    def _with_full_index(self, *args: str) -> str:
        fd, index = tempfile.mkstemp(prefix="index-", dir=self.base)
        os.close(fd)
        os.unlink(index)
        env = {"GIT_INDEX_FILE": index}
        try:
            self._git("read-tree", self.commit, env=env)
            self._git("add", "-A", "--", ".", env=env)
            return self._git(*args, env=env)
        except git.GitCommandError as exc:
            raise SandboxError(f"git failed in work tree: {git_message(exc)}") from None
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(index)

    def diff(self) -> str:
        """`git diff` against the commit, new files included, ignored files left out."""
        return self._with_full_index(
            "diff", "--cached", *DIFF_OPTS, "--src-prefix=a/", "--dst-prefix=b/", self.commit
        )

    def changed_paths(self) -> list[str]:
        """Repo-relative paths that differ from the commit (added, changed or deleted)."""
        out = self._with_full_index(
            "diff", "--cached", "--name-only", "-z", "--no-renames", self.commit
        )
        return [p for p in out.split("\0") if p]

    # protected files -----------------------------------------------------------------------
    def _protected_state(self) -> dict[str, str]:
        if not self.protected or self.admin is None:
            return {}
        tracked = self._tracked = self._tracked or self._git(
            "ls-tree", "-r", "-z", "--name-only", "--full-tree", self.commit
        )
        others = self._git("ls-files", "--others", "--exclude-standard", "-z", "--full-name")
        names = {p for p in tracked.split("\0") + others.split("\0") if p}
        if self._baseline:
            names |= set(self._baseline)
        return {rel: self._prints.of(rel) for rel in names if self._prints.covers(rel)}

    def distrust_stat(self) -> None:
        """Hash protected files on every check: commands here may set the clock."""
        self._prints.reuse = False

    @property
    def commands_unprivileged(self) -> bool:
        """No command here keeps capabilities (`distrust_stat` was never called)."""
        return self._prints.reuse

    def restore_protected(self) -> tuple[str, ...]:
        """Put protected files back as checked out; returns the paths that had changed."""
        if not self.protected or self._removed:
            return ()
        now = self._protected_state()
        changed = sorted(rel for rel in now if now[rel] != self._baseline.get(rel, "missing"))
        if not changed:
            return ()
        restore = []
        for rel in changed:
            self._clear_obstacles(rel)
            if rel in self._baseline and self._baseline[rel] != "missing":
                restore.append(rel)
        if restore:
            try:
                self._git("checkout", self.commit, "--", *restore)
            except git.GitCommandError as exc:
                raise SandboxError(f"cannot restore protected files: {git_message(exc)}") from None
        still = self._protected_state()
        bad = [
            rel
            for rel in changed
            if still.get(rel, "missing") != self._baseline.get(rel, "missing")
        ]
        if bad:
            raise SandboxError("cannot restore protected files: " + ", ".join(bad))
        return tuple(changed)

    def _clear_obstacles(self, rel: str) -> None:
        """Remove what stands where a protected file belongs: a symlinked parent, a directory,
        a link, or a file that must not exist."""
        parent = self.root
        for part in PurePosixPath(rel).parts[:-1]:
            parent = parent / part
            if parent.is_symlink() or (parent.exists() and not parent.is_dir()):
                parent.unlink()
                break
        path = self.root / rel
        if path.is_symlink() or path.is_file():
            path.unlink()
        elif path.is_dir():
            shutil.rmtree(path)

    # removal -------------------------------------------------------------------------------
    def remove(self) -> None:
        """Delete the work tree, its git registration and everything beside it; idempotent."""
        if self._removed:
            return
        self._removed = True
        g = git.Git(str(self.repo))
        with listing(self.repo):
            with contextlib.suppress(git.GitCommandError):
                g.execute(
                    ["git", "worktree", "remove", "--force", "--force", str(self.root)],
                    env=_GIT_ENV,
                )
            shutil.rmtree(self.base, ignore_errors=True)
            with contextlib.suppress(git.GitCommandError):
                g.execute(["git", "worktree", "prune"], env=_GIT_ENV)


def toplevel(repo: Path) -> Path:
    if not repo.is_dir():
        raise SandboxError(f"repository {repo} does not exist")
    try:
        top = git.Git(str(repo)).execute(["git", "rev-parse", "--show-toplevel"], env=_GIT_ENV)
    except git.GitCommandError as exc:
        raise SandboxError(f"{repo} is not a git repository: {git_message(exc)}") from None
    return Path(str(top).strip())


def resolve_commit(repo: Path, ref: str) -> str:
    try:
        out = git.Git(str(repo)).execute(
            ["git", "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"],
            env=_GIT_ENV,
        )
    except git.GitCommandError:
        raise SandboxError(f"unknown ref {ref!r} in {repo}") from None
    return str(out).strip()
