"""Open a pull request for a run's accepted candidate through the Git Data API.

The branch is built server-side (blobs → tree → commit → ref) on the run's base commit,
so no git remote credentials are needed and nothing is pushed from the user's clone.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.exceptions import BadInput
from agent.github.body import commit_message, pr_body, pr_title
from agent.github.client import GitHubClient, GitHubError
from agent.github.evidence import Evidence, NothingToPropose

log = logging.getLogger("perfagent.github")

REPO_NAME = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
REMOTE = re.compile(
    r"(?:^git@[^:]+:|^[a-z+]+://(?:[^@/]+@)?[^/]+/)(?P<full>[^/]+/[^/]+?)(?:\.git)?/?$"
)


@dataclass(frozen=True)
class FileChange:
    """One path of the patched tree that differs from the base: new bytes, or None if deleted."""

    path: str
    mode: str
    data: bytes | None


@dataclass(frozen=True)
class PullRequest:
    """A pull request perfagent opened (or found already open for the same candidate)."""

    number: int
    url: str
    branch: str
    commit: str
    existing: bool = False


def check_repo_name(full: str) -> str:
    if not REPO_NAME.match(full):
        raise BadInput(f"bad repository {full!r}: expected OWNER/NAME")
    return full


def repo_from_remote(repo_path: str, remote: str = "origin") -> str | None:
    """OWNER/NAME from a clone's remote URL (ssh or https); None if it has no such remote."""
    proc = subprocess.run(
        ["git", "remote", "get-url", remote], cwd=repo_path, capture_output=True, text=True
    )
    if proc.returncode:
        return None
    found = REMOTE.search(proc.stdout.strip())
    return found.group("full") if found else None


def branch_name(ev: Evidence) -> str:
    return f"perfagent/{ev.run_id}-{ev.candidate_id}"


def _git(
    repo: str, *args: str, env: dict[str, str] | None = None, data: bytes | None = None
) -> bytes:
    proc = subprocess.run(["git", *args], cwd=repo, capture_output=True, env=env, input=data)
    if proc.returncode:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise BadInput(f"git {args[0]} failed in {repo}: {message[0] if message else 'error'}")
    return proc.stdout


def changed_files(repo_path: str, base_commit: str, diff: str) -> list[FileChange]:
    """The files `diff` changes on `base_commit`, with their new contents, computed in a
    throw-away index so the user's work tree and index are untouched."""
    if not Path(repo_path).is_dir():
        raise BadInput(f"the run's repository {repo_path} is gone; cannot rebuild its patch")
    with tempfile.TemporaryDirectory(prefix="perfagent-pr-") as tmp:
        env = {**os.environ, "GIT_INDEX_FILE": str(Path(tmp) / "index")}
        patch = Path(tmp) / "patch.diff"
        patch.write_text(diff if diff.endswith("\n") else diff + "\n", encoding="utf-8")
        _git(repo_path, "read-tree", base_commit, env=env)
        _git(repo_path, "apply", "--cached", "--whitespace=nowarn", str(patch), env=env)
        raw = _git(repo_path, "diff-index", "--cached", "--no-renames", "-z", base_commit, env=env)
    fields = raw.decode("utf-8", "surrogateescape").split("\0")
    changes: list[FileChange] = []
    for meta, path in zip(fields[0::2], fields[1::2], strict=False):
        if not meta.startswith(":"):
            continue
        _old_mode, new_mode, _old_sha, new_sha, status = meta[1:].split(" ")
        if new_mode == "160000":
            raise BadInput(f"the patch changes submodule {path}; perfagent cannot propose that")
        if status.startswith("D"):
            changes.append(FileChange(path, "100644", None))
        else:
            blob = _git(repo_path, "cat-file", "blob", new_sha)
            changes.append(FileChange(path, new_mode, blob))
    return changes


def push_branch(
    client: GitHubClient,
    full: str,
    base_commit: str,
    changes: list[FileChange],
    branch: str,
    message: str,
) -> str:
    """Create (or move) `branch` on GitHub to one new commit: `base_commit` plus `changes`."""
    try:
        base = client.git_commit(full, base_commit)
    except GitHubError as exc:
        if exc.status in (404, 422):
            raise GitHubError(
                f"base commit {base_commit[:12]} is not in {full} on GitHub: push it first",
                exc.status,
            ) from None
        raise
    entries: list[dict[str, Any]] = []
    for change in changes:
        sha = None if change.data is None else client.create_blob(full, change.data)
        entries.append({"path": change.path, "mode": change.mode, "type": "blob", "sha": sha})
    tree = client.create_tree(full, base["tree"]["sha"], entries)
    commit = client.create_commit(full, message, tree, [base_commit])
    if client.branch_sha(full, branch) is None:
        client.create_branch(full, branch, commit)
    else:
        client.move_branch(full, branch, commit)
    return commit


def open_pull_request(
    client: GitHubClient,
    ev: Evidence,
    full: str,
    base_branch: str,
    *,
    draft: bool = False,
    secrets: Iterable[str] = (),
) -> PullRequest:
    """Push the candidate as a branch of `full` and open a PR into `base_branch`; an open PR
    from the same branch is returned instead of opening a second one."""
    branch = branch_name(ev)
    owner = full.split("/")[0]
    for found in client.pulls(full, head=f"{owner}:{branch}"):
        log.info("github: PR #%s already proposes run %s", found["number"], ev.run_id)
        return PullRequest(
            found["number"], found["html_url"], branch, found["head"]["sha"], existing=True
        )
    changes = changed_files(ev.repo_path, ev.base_commit, ev.diff)
    if not changes:
        raise NothingToPropose(f"candidate {ev.candidate_id} changes no file on the base commit")
    commit = push_branch(client, full, ev.base_commit, changes, branch, commit_message(ev))
    created = client.create_pull(
        full,
        title=pr_title(ev),
        head=branch,
        base=base_branch,
        body=pr_body(ev, branch, secrets),
        draft=draft,
    )
    log.info("github: opened %s for run %s", created["html_url"], ev.run_id)
    return PullRequest(created["number"], created["html_url"], branch, commit)
