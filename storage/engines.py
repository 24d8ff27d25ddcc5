"""Opening a database: SQLite files (WAL, created on first use, migrations serialized across
processes) or server databases (pooled connections checked before use, a bounded connect
time), and one line saying why a URL cannot be opened, with no password in it."""

from __future__ import annotations

import contextlib
import fcntl
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


@contextlib.contextmanager
def migration_lock(url: str) -> Iterator[None]:
    """Serialize schema migrations of one SQLite file across processes.

    pysqlite runs DDL outside transactions, so two processes opening a fresh database at once
    would both try to create its tables (PostgreSQL takes an advisory lock instead)."""
    if not url.startswith("sqlite:///") or url == "sqlite:///:memory:":
        yield
        return
    lock = Path(url.removeprefix("sqlite:///") + ".lock")
    with lock.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


CONNECT_TIMEOUT_S = 10
"""How long opening a connection to a database server may take (an unreachable host)."""
IDLE_TRANSACTION_S = 10
"""A PostgreSQL session idle inside a transaction this long is ended by the server: a process
frozen mid-write (a hung node) must not keep a run's row locked against its takeover. Every
transaction of the store is a statement or two and a commit, so only a frozen client idles
this long; a minute here outlasted short leases, and the healthy worker that resumed the
run, blocked on the frozen one's row, stopped renewing and was itself taken for hung."""


def masked(url: str) -> str:
    """`url` with its password shown as `***`."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return re.sub(r"(://[^:/@]+:)[^@/]*@", r"\1***@", url)


def open_engine(url: str) -> Engine:
    """An engine for `url`: SQLite in WAL mode (its directory created), or a server database
    with connections checked before use (`pool_pre_ping`: a long-running bot outlives
    restarts of its database) and a bounded connect time."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    args: dict[str, Any] = {}
    if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
        args["connect_timeout"] = CONNECT_TIMEOUT_S
    if parsed.get_driver_name() in ("psycopg", "psycopg2") and "options" not in parsed.query:
        args["options"] = f"-c idle_in_transaction_session_timeout={IDLE_TRANSACTION_S * 1000}"
    return create_engine(parsed, pool_pre_ping=True, connect_args=args)


def why(exc: BaseException, url: str) -> str:
    """One line saying why `url` cannot be opened, with no password in it."""
    if isinstance(exc, ImportError):
        driver = exc.name or str(exc)
        return (
            f"its driver {driver} is not installed (for PostgreSQL: pip install "
            "'perfagent[postgres]')"
        )
    if isinstance(exc, NoSuchModuleError):
        return f"no SQLAlchemy dialect for it ({str(exc).splitlines()[0]})"
    if isinstance(exc, ArgumentError):
        return "not a database URL (expected e.g. sqlite:///PATH or postgresql://HOST/DB)"
    inner = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(inner).strip().splitlines() if line.strip()]
    text = lines[0] if lines else type(inner).__name__
    password = _password(url)
    if password:
        text = text.replace(password, "***")
    return text


def _password(url: str) -> str | None:
    try:
        password = make_url(url).password
    except ArgumentError:
        return None
    return None if password is None else str(password)
