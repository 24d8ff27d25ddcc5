"""A commit plus edits in a private git index: read files and take diffs without a work tree.

Checking out a work tree costs time in proportion to the repository (0.4 s for a few hundred
files, seconds for a large one), and the loop reads sources and diffs edits once per plan.
An index holds the same content: `git read-tree` of the commit, `git apply --cached` of a
patch, whole-file writes as blobs. Nothing here runs candidate code, and the sandboxes check
every patch again when they apply it (`sandbox.worktree`); the checks here are the same ones,
stricter on symlinks: no write goes through a linked directory, and no link points outside.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import git

from sandbox.base import ProtectedPathError, SandboxError, WorkspaceSpec
from sandbox.fingerprints import is_protected
from sandbox.listing import GIT_ENV
from sandbox.worktree import (
    DIFF_OPTS,
    EscapingPathError,
    clean_relative,
    git_message,
    resolve_commit,
    toplevel,
)

LINK = "120000"
REGULAR = ("100644", "100755")


class StagedTree:
    """`spec.ref` with `spec.patch` and `spec.files` applied, in an index of its own."""

    def __init__(self, repo: Path, commit: str, protected: tuple[str, ...], scratch: Path) -> None:
        self.repo = repo
        self.commit = commit
        self.protected = protected
        self.scratch = scratch
        self.index = scratch / "index"

    @classmethod
    @contextlib.contextmanager
    def open(cls, spec: WorkspaceSpec) -> Iterator[StagedTree]:
        """The staged spec for the length of a `with` block; SandboxError (ProtectedPathError,
        EscapingPathError) when it cannot be staged."""
        repo = toplevel(Path(spec.repo))
        commit = resolve_commit(repo, spec.ref)
        with tempfile.TemporaryDirectory(prefix="perfagent-staged-") as scratch:
            staged = cls(repo, commit, tuple(spec.protected), Path(scratch))
            staged.git("read-tree", commit)
            staged.apply(spec.patch, spec.files)
            yield staged

    def git(self, *args: str, stdin: Path | None = None) -> str:
        env = {**GIT_ENV, "GIT_INDEX_FILE": str(self.index), "GIT_LITERAL_PATHSPECS": "1"}
        try:
            with open(stdin or os.devnull, "rb") as fh:
                out = git.Git(str(self.repo)).execute(
                    ["git", *args],
                    env=env,
                    istream=fh,
                    stdout_as_string=False,
                    strip_newline_in_stdout=False,
                )
        except git.GitCommandError as exc:
            raise SandboxError(f"git {args[0]} failed: {git_message(exc)}") from None
        return bytes(out).decode("utf-8", "surrogateescape")

    # reading ---------------------------------------------------------------------------------
    def entries(self, under: str = "") -> dict[str, tuple[str, str]]:
        """Repo-relative path -> (mode, blob) for the staged files under `under`."""
        listed = self.git("ls-files", "-s", "-z", "--full-name", "--", under or ".")
        out = {}
        for record in listed.split("\0"):
            if record:
                meta, path = record.split("\t", 1)
                mode, blob, _stage = meta.split(" ")
                out[path] = (mode, blob)
        return out

    def blobs(self, ids: list[str]) -> list[bytes]:
        """The contents of `ids`, in one `git cat-file --batch`."""
        if not ids:
            return []
        request = self.scratch / "blobs"
        request.write_text("".join(f"{i}\n" for i in ids))
        raw = self.git("cat-file", "--batch", stdin=request).encode("utf-8", "surrogateescape")
        out, at = [], 0
        for _ in ids:
            header_end = raw.index(b"\n", at)
            size = int(raw[at:header_end].split(b" ")[2])
            out.append(raw[header_end + 1 : header_end + 1 + size])
            at = header_end + 1 + size + 1
        return out

    def sources(
        self, subdir: str, editable: Callable[[str], bool], max_bytes: int
    ) -> dict[str, str]:
        """UTF-8 text files under `subdir` (relative to it) that `editable` admits: no
        dot-paths, links or files over `max_bytes`; line ends read as Python's text mode
        reads them."""
        prefix = f"{subdir.strip('/')}/" if subdir.strip("/") else ""
        wanted: list[tuple[str, str]] = []
        for path, (mode, blob) in sorted(self.entries(prefix.rstrip("/")).items()):
            rel = path[len(prefix) :]
            if mode in REGULAR and not (rel.startswith(".") or "/." in rel) and editable(rel):
                wanted.append((rel, blob))
        out: dict[str, str] = {}
        for (rel, _), data in zip(wanted, self.blobs([b for _, b in wanted]), strict=True):
            if len(data) > max_bytes:
                continue
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            out[rel] = text.replace("\r\n", "\n").replace("\r", "\n")
        return out

    # edits -----------------------------------------------------------------------------------
    def apply(self, patch: str = "", files: Mapping[str, str | None] | None = None) -> None:
        """Stage a unified diff, then whole-file writes (None deletes); refuse protected or
        escaping paths as `WorkTree.apply` does."""
        cleaned = {clean_relative(p): text for p, text in (files or {}).items()}
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
        outward = sorted(p for p in touched if self._leads_outside(p))
        if outward:
            raise EscapingPathError(outward)

    def _apply_patch(self, patch: str) -> set[str]:
        file = self.scratch / "patch.diff"
        file.write_text(patch if patch.endswith("\n") else patch + "\n", errors="surrogateescape")
        try:
            listed = self.git("apply", "--numstat", "-z", str(file))
            self.git("apply", "--cached", "--whitespace=nowarn", str(file))
        except SandboxError as exc:
            raise SandboxError(f"patch does not apply: {exc}") from None
        return {r.split("\t")[-1] for r in listed.split("\0") if r.split("\t")[-1]}

    def _write(self, rel: str, text: str | None) -> None:
        parts = rel.split("/")
        near = self.entries(parts[0])  # rel, its parents, and what lies under rel
        for i in range(1, len(parts)):
            parent = near.get("/".join(parts[:i]))
            if parent is not None and parent[0] == LINK:
                raise EscapingPathError([rel])
            if parent is not None:
                raise SandboxError(f"cannot write {rel}: {'/'.join(parts[:i])} is a file")
        if any(p.startswith(rel + "/") for p in near):
            raise SandboxError(f"cannot write {rel}: it is a directory")
        entry = near.get(rel)
        if text is None:
            if entry is not None:
                self.git("update-index", "--force-remove", "--", rel)
            return
        mode = entry[0] if entry is not None and entry[0] in REGULAR else "100644"
        body = self.scratch / "blob"
        body.write_text(text, encoding="utf-8")
        blob = self.git("hash-object", "-w", f"--path={rel}", "--", str(body)).strip()
        self.git("update-index", "--add", "--cacheinfo", f"{mode},{blob},{rel}")

    def _leads_outside(self, rel: str) -> bool:
        """Whether a staged link at `rel` points outside the tree (absolute, or up past it)."""
        entry = self.entries(rel).get(rel)
        if entry is None or entry[0] != LINK:
            return False
        (target,) = self.blobs([entry[1]])
        where = posixpath.normpath(posixpath.join(posixpath.dirname(rel), target.decode()))
        return target.startswith(b"/") or where == ".." or where.startswith("../")

    # diff ------------------------------------------------------------------------------------
    def changed_paths(self) -> list[str]:
        out = self.git("diff", "--cached", "--name-only", "-z", "--no-renames", self.commit)
        return [p for p in out.split("\0") if p]

    def diff(self) -> str:
        """`git diff` of the staged files against the commit, as `WorkTree.diff` writes it."""
        return self.git(
            "diff", "--cached", *DIFF_OPTS, "--src-prefix=a/", "--dst-prefix=b/", self.commit
        )
