"""Leases on running runs (m007): held while a process executes a run, renewed by a heartbeat,
lapsed when the holder dies, and taken over by whoever resumes the run then."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from storage import Store, sqlite_url
from storage.leases import LeaseHeld, leased, this_process
from storage.migrations import MIGRATIONS
from storage.models import utcnow

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.slow)]


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    if request.param == "sqlite":
        return Store(sqlite_url(tmp_path / "p.db"))
    return Store(str(request.getfixturevalue("postgres_url")))


def new_run(store: Store, **fields: object) -> str:
    base = {"repo": "/r", "base_commit": "a", "task": {}, "model": "m", "sandbox": "local"}
    return store.create_run(**{**base, **fields}).id


def test_a_live_lease_keeps_others_out_until_it_lapses(store: Store) -> None:
    """Guards exactly-once execution: a second process cannot take a run another one holds,
    and takes it (as running, in its own process) once the holder stopped renewing."""
    run_id = new_run(store)
    assert store.take_lease(run_id, "node-a:1", 60)
    assert not store.take_lease(run_id, "node-b:2", 60)
    assert not store.renew_lease(run_id, "node-b:2", 60)
    assert store.take_lease(run_id, "node-a:1", 60)  # the holder may take it again
    store.take_lease(run_id, "node-a:1", -1)  # as if node-a stopped renewing a while ago
    assert store.take_lease(run_id, "node-b:2", 60)
    run = store.run(run_id)
    assert run is not None and run.lease_owner == "node-b:2" and run.status == "running"
    store.release_lease(run_id, "node-a:1")  # not the holder: nothing changes
    assert store.run(run_id).lease_owner == "node-b:2"  # type: ignore[union-attr]
    store.release_lease(run_id, "node-b:2")
    released = store.run(run_id)
    assert released is not None and released.lease_owner == "" and released.lease_expires is None


def test_a_run_whose_lease_lapsed_on_another_machine_is_interrupted(store: Store) -> None:
    """Guards the dead-node case: a running run of a host perfagent cannot probe stays
    running only while its lease is renewed; a lapsed one is interrupted, lease cleared, so
    resume can take it. A run of another host with a live lease is left alone."""
    dead = new_run(store, host="gone-node", pid=4242)
    alive = new_run(store, host="other-node", pid=4243)
    store.update_run(
        dead, lease_owner="gone-node:4242", lease_expires=utcnow() - timedelta(seconds=5)
    )
    store.update_run(
        alive, lease_owner="other-node:4243", lease_expires=utcnow() + timedelta(minutes=5)
    )
    assert store.mark_interrupted() == [dead]
    run = store.run(dead)
    assert run is not None and run.status == "interrupted"
    assert "lease lapsed (gone-node:4242" in run.reason and run.lease_owner == ""
    assert store.run(alive).status == "running"  # type: ignore[union-attr]
    assert store.take_lease(dead, this_process(), 60)


def test_a_run_created_and_never_leased_lapses_too(store: Store) -> None:
    """Guards the window between creating a run and executing it: a creator that dies there
    (on a machine perfagent cannot probe) leaves a run that lapses, not one running forever."""
    run_id = new_run(store, host="gone-node", pid=4242)
    assert store.mark_interrupted() == []
    store.update_run(run_id, lease_expires=utcnow() - timedelta(seconds=1))
    assert store.mark_interrupted() == [run_id]


def test_a_run_held_elsewhere_is_refused_with_the_time_left(store: Store) -> None:
    run_id = new_run(store)
    store.take_lease(run_id, "other-node:1", 30)
    with pytest.raises(LeaseHeld) as held, leased(store, run_id):
        pass
    assert "held by other-node:1" in str(held.value) and 0 < held.value.retry_in_s <= 30


def test_the_heartbeat_keeps_a_run_held_past_its_ttl_and_releases_it(store: Store) -> None:
    run_id = new_run(store)
    with leased(store, run_id, ttl_s=0.4) as lease:
        time.sleep(1.2)  # three TTLs: lapsed unless renewed
        assert store.mark_interrupted() == []
        run = store.run(run_id)
        assert run is not None and run.lease_owner == lease.owner and run.status == "running"
    run = store.run(run_id)
    assert run is not None and run.lease_owner == "" and not lease.lost


def test_a_holder_that_lost_its_lease_says_so_and_leaves_the_new_holder_alone(
    store: Store,
) -> None:
    """Guards a holder cut off longer than its TTL: once another process took the run, the
    old holder's heartbeat stops, logs `lease-lost` and never clears the new holder's lease."""
    run_id = new_run(store)
    warnings: list[str] = []
    with leased(store, run_id, ttl_s=0.4, warn=warnings.append) as lease:
        store.update_run(run_id, lease_owner="other-node:1")
        time.sleep(0.5)
        assert lease.lost
    assert store.run(run_id).lease_owner == "other-node:1"  # type: ignore[union-attr]
    assert [e.kind for e in store.events(run_id)] == ["lease-lost"]
    assert warnings and "lost the lease" in warnings[0]


def test_one_run_per_claim_key(store: Store) -> None:
    """Guards two workers starting the same batch instance: the second create fails."""
    first = new_run(store, claim_key="batch/native/x")
    with pytest.raises(IntegrityError):
        new_run(store, claim_key="batch/native/x")
    assert store.run_by_key("batch/native/x").id == first  # type: ignore[union-attr]
    new_run(store)
    new_run(store)  # runs without a key are many


LEASE_VERSION = 1 + [name for name, _ in MIGRATIONS].index("m007_run_leases")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_store_from_before_leases_gains_them(
    tmp_path: Path, request: pytest.FixtureRequest, backend: str
) -> None:
    """Guards the upgrade: a store whose runs table has no lease columns opens, keeps its
    runs, and leases and claim keys work on it."""
    url = (
        sqlite_url(tmp_path / "old.db")
        if backend == "sqlite"
        else str(request.getfixturevalue("postgres_url"))
    )
    old = Store(url)
    run_id = new_run(old)
    with old.engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_runs_claim_key"))
        for column in ("lease_owner", "lease_expires", "claim_key"):
            conn.execute(text(f"ALTER TABLE runs DROP COLUMN {column}"))
        conn.execute(text(f"DELETE FROM schema_version WHERE version = {LEASE_VERSION}"))
    old.engine.dispose()
    store = Store(url)
    assert store.schema_version == len(MIGRATIONS)
    assert store.take_lease(run_id, "node-a:1", 60)
    new_run(store, claim_key="batch/native/y")
    with pytest.raises(IntegrityError):
        new_run(store, claim_key="batch/native/y")
