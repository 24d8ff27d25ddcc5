"""Ray for `perfagent batch`: a local instance or an existing cluster, and `workers` instances
in flight, each sent out again when its worker died.

On a cluster (`--ray-address`) the driver ships perfagent's own packages to every node with a
Ray `runtime_env` (`py_modules`), so nodes need Ray and perfagent's dependencies but not this
copy of perfagent; a SQLite store is refused when the cluster has nodes on other machines
(each would write a file nobody reads: use PostgreSQL). A task whose worker or node died is
sent again: the new worker resumes the instance's run once the dead worker's lease lapsed.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import make_url

from agent.batch.config import BatchConfig, claim_key
from agent.batch.rows import failed_row
from agent.batch.worker import Say, optimize_instance
from agent.exceptions import BadInput
from agent.wiring import store_at
from storage import Store
from storage.engines import masked
from storage.models import utcnow
from storage.vocabulary import RunStatus
from tasks.formats import Loaded

PACKAGES = ("agent", "tasks", "storage", "sandbox", "profilers")
"""perfagent's top-level packages: what a cluster's nodes are sent."""
HELD_MARGIN_S = 2.0
"""Added to a held run's remaining lease before it is tried again (clocks, rounding)."""


@dataclass
class Job:
    loaded: Loaded
    run_id: str | None
    died: int = 0
    """Times its worker died under it (or hung: stopped renewing its run's lease)."""
    held: int = 0
    """Times its run was found held by another live process."""
    not_before: float = 0.0
    sent_at: datetime | None = None
    """When its current task was sent (UTC, as leases are written)."""


def runtime_env() -> dict[str, Any]:
    """perfagent's packages as Ray `py_modules`, without byte code."""
    modules = [importlib.import_module(name) for name in PACKAGES]
    return {"py_modules": modules, "excludes": ["__pycache__", "*.pyc"]}


def connect(config: BatchConfig) -> bool:
    """Start or join Ray; True when this call started it (and must shut it down)."""
    import ray

    if ray.is_initialized():
        return False
    quiet: dict[str, Any] = {"log_to_driver": True, "logging_level": logging.WARNING}
    if not config.ray_address:
        # "local": a new instance even when `ray start` left a cluster address on this machine
        ray.init(address="local", num_cpus=config.workers, include_dashboard=False, **quiet)
        return True
    try:
        ray.init(address=config.ray_address, runtime_env=runtime_env(), **quiet)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise BadInput(f"cannot join the Ray cluster at {config.ray_address}: {first}") from None
    try:
        check_store(config, ray.nodes())
    except BadInput:
        ray.shutdown()
        raise
    return True


def check_store(config: BatchConfig, nodes: Sequence[dict[str, Any]]) -> None:
    """Refuse a SQLite store for a cluster with nodes on other machines than the driver's."""
    if make_url(config.db).get_backend_name() != "sqlite":
        return
    hosts = {str(n.get("NodeManagerHostname")) for n in nodes if n.get("Alive")}
    others = sorted(hosts - {config.driver_host})
    if others:
        raise BadInput(
            f"the store {masked(config.db)} is a SQLite file on {config.driver_host}; the "
            f"cluster's nodes on {', '.join(others)} cannot share it: pass "
            "--db postgresql://USER@HOST/DB (a server every node reaches)"
        )


def results(
    jobs: Sequence[tuple[Loaded, str | None]], config: BatchConfig, say: Say
) -> Iterator[dict[str, Any]]:
    """Each instance's row as it ends, with at most `config.workers` in flight. Meanwhile
    `sys.stdout` is stderr: Ray prints its nodes' logs there, and rows go to a saved stdout."""
    import ray

    with contextlib.redirect_stdout(sys.stderr):
        started_here = connect(config)
        try:
            yield from _dispatch(ray, jobs, config, say)
        finally:
            if started_here:
                ray.shutdown()


def _dispatch(
    ray: Any, jobs: Sequence[tuple[Loaded, str | None]], config: BatchConfig, say: Say
) -> Iterator[dict[str, Any]]:
    remote = ray.remote(num_cpus=1, max_retries=0)(optimize_instance)
    queue = [Job(loaded, run_id) for loaded, run_id in jobs]
    pending: dict[Any, Job] = {}
    store = store_at(config.db)
    try:
        while queue or pending:
            now = time.monotonic()
            for job in [j for j in queue if j.not_before <= now]:
                if len(pending) >= config.workers:
                    break
                queue.remove(job)
                job.sent_at = utcnow()
                pending[remote.remote(job.loaded, job.run_id, config)] = job
            for ref in _wait(ray, pending, queue, config):
                job = pending.pop(ref)
                row = _outcome(ray, ref, job, config, say)
                if row is None:
                    queue.append(job)
                else:
                    yield row
            for row in _abandon_hung(ray, store, pending, queue, config, say):
                yield row
    finally:
        store.close()


def _wait(ray: Any, pending: dict[Any, Job], queue: list[Job], config: BatchConfig) -> list[Any]:
    """Refs that are done, waiting at most until a deferred job may be sent, and never
    longer than half a lease (hung workers are looked for in between)."""
    later = [j.not_before - time.monotonic() for j in queue]
    timeout = config.lease_s / 2
    if later and len(pending) < config.workers:
        timeout = min(timeout, max(min(later), 0.05))
    if not pending:
        time.sleep(timeout)
        return []
    ready, _ = ray.wait(list(pending), num_returns=1, timeout=timeout)
    return list(ready)


def _abandon_hung(
    ray: Any, store: Store, pending: dict[Any, Job], queue: list[Job], config: BatchConfig, say: Say
) -> Iterator[dict[str, Any]]:
    """Jobs whose worker took its run's lease after the job was sent and stopped renewing
    it: the worker hung or its node died unnoticed by Ray. The run is interrupted, the task
    cancelled (its worker killed where Ray still reaches it), and the job sent again."""
    now = utcnow()
    for ref, job in list(pending.items()):
        key = claim_key(config.fmt, job.loaded.instance_id)
        run = store.run(job.run_id) if job.run_id else store.run_by_key(key)
        if run is None or run.status != RunStatus.RUNNING or run.lease_expires is None:
            continue
        renewed = run.lease_expires - timedelta(seconds=config.lease_s)
        if run.lease_expires >= now or job.sent_at is None or renewed <= job.sent_at:
            continue
        store.mark_interrupted()
        with contextlib.suppress(Exception):  # its node may be gone: nothing left to cancel
            ray.cancel(ref, force=True)
        del pending[ref]
        job.died += 1
        name = job.loaded.instance_id
        if job.died > config.retries:
            yield failed_row(name, "error", f"worker died {job.died} times (last: lease lapsed)")
            continue
        say(f"perfagent: {name}: its worker stopped renewing run {run.id}; sending it out again")
        job.not_before = time.monotonic()
        queue.append(job)


def _outcome(ray: Any, ref: Any, job: Job, config: BatchConfig, say: Say) -> dict[str, Any] | None:
    """The job's row, or None when it goes out again (deferred by `job.not_before`)."""
    name = job.loaded.instance_id
    try:
        row: dict[str, Any] = ray.get(ref)
    except ray.exceptions.RayTaskError as exc:  # the task itself raised
        cause = exc.cause if exc.cause is not None else exc
        return failed_row(name, "error", f"worker failed: {cause.__class__.__name__}: {cause}")
    except ray.exceptions.RayError as exc:  # its worker or node died (killed, OOM, lost)
        job.died += 1
        what = exc.__class__.__name__
        if job.died > config.retries:
            return failed_row(name, "error", f"worker died {job.died} times (last: {what})")
        say(f"perfagent: {name}: its worker died ({what}); sending it out again")
        job.not_before = time.monotonic()
        return None
    retry_in = row.pop("retry_in_s", None)
    if retry_in is None:
        return row
    job.held += 1
    if job.held > config.retries:
        return row
    say(f"perfagent: {name}: {row['reason']}; trying again then")
    job.not_before = time.monotonic() + float(retry_in) + HELD_MARGIN_S
    return None
