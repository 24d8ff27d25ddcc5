"""Leases on running runs: the process executing a run holds it, and a heartbeat renews it.

A holder that dies (a killed worker, a dead node) stops renewing; once its lease lapses,
`Store.mark_interrupted` marks the run interrupted and any process may resume it. Expiry is
written and read with each process's own clock, so the clocks of the machines sharing a
store must agree to well within the lease (NTP does).
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlalchemy.exc import SQLAlchemyError

from storage.models import utcnow
from storage.store import LEASE_S, Store, StoreError


class LeaseHeld(StoreError):
    """Another live process holds the run."""

    def __init__(self, message: str, retry_in_s: float) -> None:
        super().__init__(message)
        self.retry_in_s = retry_in_s
        """Seconds until the holder's lease lapses unless it renews it."""


def this_process() -> str:
    """The holder name of this process: the same for every lease it takes."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class Lease:
    store: Store
    run_id: str
    ttl_s: float
    owner: str = field(default_factory=this_process)
    lost: bool = False
    """Set when a renewal found the run held by someone else (the lease lapsed meanwhile)."""


def held_message(store: Store, run_id: str) -> LeaseHeld:
    """Why `run_id` cannot be taken now, and when to try again."""
    run = store.run(run_id)
    if run is None or run.lease_expires is None:
        return LeaseHeld(f"run {run_id} is held by another process", 1.0)
    left = max((run.lease_expires - utcnow()).total_seconds(), 0.0)
    return LeaseHeld(
        f"run {run_id} is held by {run.lease_owner or run.host} (lease lapses in {left:.0f}s)",
        left,
    )


@contextlib.contextmanager
def leased(
    store: Store,
    run_id: str,
    ttl_s: float = LEASE_S,
    warn: Callable[[str], None] = lambda _m: None,
) -> Iterator[Lease]:
    """Hold `run_id` for the block, renewed every quarter of `ttl_s` by a daemon thread, and
    released at the end; LeaseHeld when another process holds it."""
    lease = Lease(store, run_id, ttl_s)
    if not store.take_lease(run_id, lease.owner, ttl_s):
        raise held_message(store, run_id)
    stop = threading.Event()
    beat = threading.Thread(
        target=_renew, args=(lease, stop, warn), name=f"lease-{run_id}", daemon=True
    )
    beat.start()
    try:
        yield lease
    finally:
        stop.set()
        beat.join()
        if not lease.lost:
            store.release_lease(run_id, lease.owner)


def _renew(lease: Lease, stop: threading.Event, warn: Callable[[str], None]) -> None:
    while not stop.wait(lease.ttl_s / 4):
        try:
            renewed = lease.store.renew_lease(lease.run_id, lease.owner, lease.ttl_s)
        except (SQLAlchemyError, OSError):
            continue  # the store is unreachable for now; the lease lapses only after ttl_s
        if not renewed:
            lease.lost = True
            message = f"lost the lease on run {lease.run_id}: another process took it over"
            warn(f"perfagent: {message}")
            with contextlib.suppress(SQLAlchemyError, OSError):
                lease.store.log(lease.run_id, "lease-lost", message, owner=lease.owner)
            return
