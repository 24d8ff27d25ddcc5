"""Store URLs as users write them: plain `postgresql://` (psycopg 3) and
`postgresql+psycopg2://` both work; an unreachable server or a missing driver is one line
with the password masked; server connections survive a database restart."""

from __future__ import annotations

import contextlib
import importlib.util
import subprocess
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from agent.selfrun import perfagent_argv
from storage import Store, StoreError
from storage.engines import IDLE_TRANSACTION_S
from storage.store import LEASE_S
from tests.storage.conftest import DATABASE, as_server_user, free_port

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(("scheme", "driver"), [("postgresql", "psycopg"),
                                                ("postgresql+psycopg2", "psycopg2")])  # fmt: skip
def test_plain_and_psycopg2_urls_both_open_the_store(
    postgres_server: Any, postgres_url: str, scheme: str, driver: str
) -> None:
    """Guards `--db postgresql://...` ending in ModuleNotFoundError (SQLAlchemy 2.1 resolves
    plain URLs to psycopg 3), while psycopg2 URLs keep working."""
    store = Store(f"{scheme}://postgres@127.0.0.1:{postgres_server.port}/{DATABASE}")
    try:
        assert store.engine.driver == driver
        assert store.engine.pool._pre_ping  # type: ignore[attr-defined]
        run = store.create_run(repo="/r", base_commit="a" * 40, task={}, model="m", sandbox="l")
        assert store.run(run.id) is not None
    finally:
        store.close()


def test_an_unreachable_server_is_one_line_with_the_password_masked() -> None:
    """Guards the traceback and exit 1 of `--db` naming a server nobody listens on."""
    url = f"postgresql://bot:hunter2-secret@127.0.0.1:{free_port()}/perfagent"
    with pytest.raises(StoreError) as caught:
        Store(url)
    message = str(caught.value)
    assert "\n" not in message and "hunter2-secret" not in message
    assert message.startswith("cannot open store postgresql://bot:***@127.0.0.1:")
    assert "Connection refused" in message
    proc = subprocess.run(perfagent_argv("runs", "--db", url), capture_output=True, text=True)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().startswith("perfagent: cannot open store postgresql://bot:***@")
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "hunter2-secret" not in proc.stderr and "Traceback" not in proc.stderr


def test_a_missing_driver_is_one_line_naming_it() -> None:
    """Guards ModuleNotFoundError escaping as a traceback when a URL names a driver that is
    not installed (what plain URLs did before psycopg 3 was a dependency)."""
    if importlib.util.find_spec("pg8000") is not None:
        pytest.skip("pg8000 is installed; no missing driver to name")
    with pytest.raises(StoreError, match=r"its driver pg8000 is not installed") as caught:
        Store("postgresql+pg8000://bot:hunter2-secret@127.0.0.1/perfagent")
    assert "hunter2-secret" not in str(caught.value)


def test_the_store_survives_a_restart_of_its_server(
    postgres_server: Any, postgres_url: str
) -> None:
    """Guards the long-running bot: after the database restarts, pooled connections are
    stale; `pool_pre_ping` replaces them instead of failing the next query."""
    store = Store(postgres_url)
    try:
        with store.engine.connect() as conn:
            assert conn.execute(text("select 1")).scalar() == 1
        data = postgres_server.data_dir
        pg_ctl = [str(postgres_server.bin_dir / "pg_ctl"), "-D", str(data), "-w", "-t", "60"]
        restart = [*pg_ctl, "-l", str(data.parent / "server.log"), "-m", "fast", "restart"]
        subprocess.run(as_server_user(restart), check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=120)  # fmt: skip
        assert store.runs() == []
    finally:
        store.close()


def test_a_holder_frozen_inside_a_write_does_not_lock_its_run_against_the_takeover(
    postgres_url: str,
) -> None:
    """Guards a batch that stalled when a node hung: its worker was frozen between an update
    of its run and the commit, and the row stayed locked while the session lived, so the
    worker that resumed the run blocked on every write of it, stopped renewing its own lease
    and was taken for hung too. The server ends a session idle in a transaction quickly."""
    frozen, taker = Store(postgres_url), Store(postgres_url)
    try:
        run = frozen.create_run(repo="/r", base_commit="a", task={}, model="m", sandbox="l")
        conn = frozen.engine.connect()
        conn.begin()
        conn.execute(text("update runs set reason = 'mid-write' where id = :id"), {"id": run.id})
        # ...and the process never comes back to commit. Another one takes the run over:
        assert taker.take_lease(run.id, "elsewhere:1", ttl_s=60)
        taker.update_run(run.id, reason="")
        stored = taker.run(run.id)
        assert stored is not None and stored.lease_owner == "elsewhere:1"
        assert stored.reason == ""
        with pytest.raises(DBAPIError):  # the server ended the frozen session, write undone
            conn.execute(text("select 1"))
        with taker.engine.connect() as other:
            limit = other.execute(text("show idle_in_transaction_session_timeout")).scalar()
        assert limit == f"{IDLE_TRANSACTION_S}s" and IDLE_TRANSACTION_S < LEASE_S / 4
    finally:
        with contextlib.suppress(Exception):
            conn.close()
        frozen.close()
        taker.close()
