"""Where a benchmark instance's repository comes from, and the hygienic workspace made of it.

Resolution order for `owner/name` (docs/design.md §8): a local path, then a mirror directory
(`--repo-cache DIR` holding `owner__name` clones or `owner__name.git` bare repos), then a clone
from the forge, only when the forge answers.

Every instance gets its own workspace clone at its base commit, hardened like GSO's images
(`gso-bench/gso` commit b8986ab): no remote, no ref that is not an ancestor of the base, reflogs
expired and unreachable objects pruned, so the expert commit cannot be read with `git log --all`.
The benchmark's visible workload files are committed on top of the base (branch `perfagent/base`)
with a fixed author and date, so the same instance always yields the same harness commit and a
killed batch resumes against identical refs.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tasks.native import TaskError

HARNESS_BRANCH = "perfagent/base"
MARKER = "perfagent-workspace.json"
_FIXED_IDENTITY = {
    "GIT_AUTHOR_NAME": "perfagent",
    "GIT_AUTHOR_EMAIL": "harness@perfagent.invalid",
    "GIT_COMMITTER_NAME": "perfagent",
    "GIT_COMMITTER_EMAIL": "harness@perfagent.invalid",
    "GIT_AUTHOR_DATE": "2000-01-01T00:00:00+0000",
    "GIT_COMMITTER_DATE": "2000-01-01T00:00:00+0000",
}
_REPO_NAME = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


class RepoError(TaskError):
    """An instance's repository or base commit cannot be had; `status` names the case."""

    def __init__(self, status: str, message: str) -> None:
        self.status = status
        super().__init__(message)


@dataclass(frozen=True)
class RepoConfig:
    """How repositories are found and where instance workspaces are made."""

    work_dir: Path
    """Workspaces are created here, one per instance (`<work_dir>/<instance_id>`)."""
    cache_dir: Path | None = None
    """Mirror directory: `owner__name` clones or `owner__name.git` bare repos."""
    base_dir: Path | None = None
    """Relative local paths in instance files are resolved against this (the tasks file's dir)."""
    forge_url: str = "https://github.com/{repo}.git"
    """Clone URL template used when no local copy exists."""
    allow_clone: bool = True
    """Clone from the forge when it answers (off: local path or mirror only)."""
    probe_timeout_s: float = 15.0
    """How long `git ls-remote` may take to say the forge is reachable."""
    clone_timeout_s: float = 1800.0
    env: Mapping[str, str] = field(default_factory=dict)
    """Extra environment for git (tests point HOME/GIT_CONFIG at temp dirs)."""


@dataclass(frozen=True)
class Workspace:
    """A prepared instance repository."""

    path: Path
    base_sha: str
    """The benchmark's base commit, resolved."""
    harness_sha: str
    """`base_sha` plus the benchmark's visible workload files (the task's `base_ref`)."""
    source: str
    """Where it was cloned from (path or URL)."""


def _git(
    cwd: Path | None, *args: str, env: Mapping[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", **(env or {})}
    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        check=False,
    )


def _must(proc: subprocess.CompletedProcess[str], what: str) -> str:
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        raise RepoError("repo-error", f"{what}: {detail[-1] if detail else 'git failed'}")
    return proc.stdout.strip()


def find_source(repo: str, config: RepoConfig) -> str:
    """A local path or URL to clone `repo` from; RepoError("repo-missing") if there is none."""
    if not repo or not isinstance(repo, str):
        raise RepoError("repo-missing", "the instance names no repository")
    as_path = Path(repo).expanduser()
    if not as_path.is_absolute() and config.base_dir is not None:
        as_path = config.base_dir / as_path
    if (as_path.is_dir() and (as_path / ".git").exists()) or (as_path / "HEAD").is_file():
        return str(as_path.resolve())
    if _REPO_NAME.match(repo) is None:
        raise RepoError(
            "repo-missing", f"repository {repo!r} is neither a local path nor OWNER/NAME"
        )
    mirror_name = repo.replace("/", "__")
    if config.cache_dir is not None:
        for name in (mirror_name, f"{mirror_name}.git"):
            candidate = config.cache_dir / name
            if candidate.is_dir():
                return str(candidate.resolve())
    where = f"not in --repo-cache {config.cache_dir}" if config.cache_dir else "no --repo-cache"
    if not config.allow_clone:
        raise RepoError("repo-missing", f"repository {repo} not found ({where}; cloning is off)")
    url = config.forge_url.format(repo=repo)
    try:
        probe = _git(
            None, "ls-remote", "--heads", url, env=config.env, timeout=config.probe_timeout_s
        )
    except subprocess.TimeoutExpired:
        probe = None
    if probe is None or probe.returncode != 0:
        raise RepoError("repo-missing", f"repository {repo} not found ({where}; {url} unreachable)")
    return url


def _marker(path: Path) -> dict[str, object]:
    try:
        data = json.loads((path / ".git" / MARKER).read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def files_digest(files: Mapping[str, str]) -> str:
    return hashlib.sha256(json.dumps(sorted(files.items())).encode()).hexdigest()


def strip_future_refs(path: Path, base_sha: str, env: Mapping[str, str] | None = None) -> list[str]:
    """Delete every ref that is not an ancestor of `base_sha`, expire reflogs, prune objects.

    Returns the deleted ref names. Guards against reading the expert commit through git.
    """
    _git(path, "remote", "remove", "origin", env=env)
    listing = _must(_git(path, "for-each-ref", "--format=%(refname)", env=env), "list refs")
    deleted = []
    for ref in listing.splitlines():
        ancestor = _git(path, "merge-base", "--is-ancestor", ref, base_sha, env=env)
        if ancestor.returncode != 0:
            _must(_git(path, "update-ref", "-d", ref, env=env), f"delete ref {ref}")
            deleted.append(ref)
    _must(_git(path, "reflog", "expire", "--expire=now", "--all", env=env), "expire reflog")
    _must(_git(path, "gc", "--prune=now", "--quiet", env=env), "prune objects")
    return deleted


def prepare_workspace(
    instance_id: str,
    repo: str,
    base_commit: str,
    files: Mapping[str, str],
    config: RepoConfig,
) -> Workspace:
    """A hygienic clone of `repo` at `base_commit` with `files` committed on top (reused if ready)."""
    safe_id = re.sub(r"[^A-Za-z0-9_.-]+", "_", instance_id) or "instance"
    path = config.work_dir / safe_id
    digest = files_digest(files)
    source = find_source(repo, config)
    ready = _reusable(path, source, base_commit, digest, config)
    if ready is not None:
        return ready
    if path.exists():
        shutil.rmtree(path)
    config.work_dir.mkdir(parents=True, exist_ok=True)
    _clone(repo, source, path, config)
    env = {**config.env, **_FIXED_IDENTITY}
    resolved = _git(path, "rev-parse", "--verify", "--quiet", f"{base_commit}^{{commit}}", env=env)
    if resolved.returncode != 0:
        shutil.rmtree(path, ignore_errors=True)
        raise RepoError("commit-missing", f"base commit {base_commit} is not in {source}")
    base_sha = resolved.stdout.strip()
    _must(_git(path, "checkout", "--quiet", "--detach", base_sha, env=env), "check out base")
    strip_future_refs(path, base_sha, env)
    _must(_git(path, "checkout", "--quiet", "-B", HARNESS_BRANCH, env=env), "create branch")
    _commit_files(path, files, env)
    harness = _must(_git(path, "rev-parse", "HEAD", env=env), "read harness commit")
    mark = {"source": source, "base": base_commit, "base_sha": base_sha, "files": digest}
    (path / ".git" / MARKER).write_text(json.dumps({**mark, "harness": harness}))
    return Workspace(path, base_sha, harness, source)


def _reusable(
    path: Path, source: str, base_commit: str, digest: str, config: RepoConfig
) -> Workspace | None:
    """The workspace already prepared at `path` for exactly this instance, if any."""
    mark = _marker(path)
    if (mark.get("source"), mark.get("base"), mark.get("files")) != (source, base_commit, digest):
        return None
    head = _git(path, "rev-parse", "--verify", f"{HARNESS_BRANCH}^{{commit}}", env=config.env)
    if head.returncode == 0 and head.stdout.strip() == mark.get("harness"):
        return Workspace(path, str(mark["base_sha"]), str(mark["harness"]), source)
    return None


def _clone(repo: str, source: str, path: Path, config: RepoConfig) -> None:
    try:
        cloned = _git(
            None, "clone", "--quiet", "--no-checkout", source, str(path),
            env=config.env, timeout=config.clone_timeout_s,
        )  # fmt: skip
    except subprocess.TimeoutExpired as exc:
        raise RepoError("repo-error", f"cloning {repo} took over {exc.timeout:.0f} s") from None
    _must(cloned, f"clone {repo}")


def _commit_files(path: Path, files: Mapping[str, str], env: Mapping[str, str]) -> None:
    """The benchmark's workload files, committed on the harness branch."""
    for rel, text in files.items():
        target = path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    if not files:
        return
    _must(_git(path, "add", "--force", "--", *files, env=env), "add workload files")
    message = "perfagent: benchmark workload"
    _must(
        _git(path, "commit", "--quiet", "--no-verify", "-m", message, env=env),
        "commit workload files",
    )
