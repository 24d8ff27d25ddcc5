"""What one `perfagent batch` is: where tasks come from, how each is optimized, where it runs."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from hashlib import sha256
from pathlib import Path

from agent.batch.validate import ValidateConfig
from agent.config import RunConfig
from storage.store import LEASE_S
from storage.vocabulary import RunStatus
from tasks.repos import RepoConfig

DONE = frozenset({RunStatus.FINISHED, RunStatus.NO_IMPROVEMENT, RunStatus.FAILED})
"""Run statuses a rerun does not redo."""


@dataclass
class BatchConfig:
    """One batch: where tasks come from, how each is optimized, how many run at once."""

    fmt: str
    repos: RepoConfig
    db: str
    """SQLAlchemy URL of the store every worker writes to (PostgreSQL on a cluster)."""
    run: RunConfig = field(default_factory=lambda: RunConfig(budget=3, sandbox="local"))
    """Every instance's run settings (model, sandbox, budgets)."""
    workers: int = 1
    """Instances optimized at once (Ray CPUs; one instance per CPU)."""
    ray_address: str | None = None
    """An existing Ray cluster (`auto`, `HOST:PORT` or `ray://HOST:PORT`); None starts a local
    instance."""
    grade: bool = True
    """Grade accepted patches with the benchmark's metric (times base, patch and expert)."""
    grading: ValidateConfig = field(default_factory=lambda: ValidateConfig(iterations=5))
    model_name: str | None = None
    """`model_name_or_path` in predictions (default: the model)."""
    env_spec: Path | None = None
    """The user's environment spec file (`--env-spec`), read by each worker."""
    sys_path: tuple[str, ...] = ()
    """Import paths workers add (so `--model package.module:Class` resolves as in the driver)."""
    lease_s: float = LEASE_S
    """A run's lease: a worker that stops renewing it (a dead node) loses its run after this."""
    retries: int = 3
    """Times an instance is sent out again after its worker died or its run was still held."""
    timing_lock: Path | None = None
    """Each machine's timing lock file (default: in its temporary directory)."""
    driver_host: str = field(default_factory=socket.gethostname)
    """Where the driver runs: a SQLite store is usable only by workers on this machine."""

    @property
    def model(self) -> str:
        return self.run.model or "rules"


def batch_key(fmt: str, instance_id: str) -> dict[str, str]:
    return {"format": fmt, "instance_id": instance_id}


def claim_key(fmt: str, instance_id: str) -> str:
    """The key the one run of an instance carries (`Run.claim_key`, 300 characters)."""
    key = f"batch/{fmt}/{instance_id}"
    return key if len(key) <= 300 else f"batch/{fmt}/sha256:{sha256(key.encode()).hexdigest()}"


def default_sys_path() -> tuple[str, ...]:
    return (os.getcwd(),)
