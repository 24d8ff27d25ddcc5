"""Changes to a repository's list of git work trees (add, remove, prune), one at a time.

Sandboxes open on several threads (prewarming, counts side by side) and in several processes
(batch workers, two runs on one repository); a prune beside an add deletes the entry the add
is still writing ("failed to read .git/worktrees/.../commondir").
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import git

from sandbox.flocks import hold

GIT_ENV = {"GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}
"""What every git command of a sandbox runs with: no prompt, no optional locks."""
_LISTING = threading.Lock()
"""Held while git's list of work trees changes (add, remove, prune): sandboxes open on
several threads (prewarming, counts side by side), and a prune beside an add deletes the
entry the add is still writing ("could not open .git/worktrees/...")."""
LOCK_NAME = "perfagent-worktrees.lock"
"""In the repository's common git dir: the same race between processes (batch workers,
two runs on one repository), serialized with `flock` (never behind a stopped holder:
`sandbox.flocks`)."""
_COMMON: dict[Path, Path] = {}
log = logging.getLogger("perfagent.sandbox")


@contextlib.contextmanager
def listing(repo: Path) -> Iterator[None]:
    """Changes to `repo`'s list of work trees, one at a time across threads and processes (a
    repository whose git dir refuses the lock file is serialized within this process only)."""
    with _LISTING:
        try:
            fd = os.open(_common_dir(repo) / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC)
        except (OSError, git.GitCommandError):
            yield
            return
        try:
            frozen = hold(fd)
            if frozen:
                log.warning(
                    "the work-tree list of %s is locked by stopped process(es) %s; going on "
                    "without the lock", repo, ", ".join(map(str, frozen)),
                )  # fmt: skip
            yield
        finally:
            os.close(fd)  # releases the lock


def _common_dir(repo: Path) -> Path:
    if repo not in _COMMON:
        out = git.Git(str(repo)).execute(
            ["git", "rev-parse", "--path-format=absolute", "--git-common-dir"], env=GIT_ENV
        )
        _COMMON[repo] = Path(str(out).strip())
    return _COMMON[repo]
