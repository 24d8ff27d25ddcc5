"""Schema migrations: an ordered list of named functions, each applied once and recorded."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, inspect, select, text

from storage.models import BOT_TABLES, Base, SchemaVersion

Migration = Callable[[Connection], None]
MIGRATIONS: list[tuple[str, Migration]] = []
MIGRATION_LOCK_KEY = 0x70657266  # "perf": any constant shared by every perfagent process


def migration(fn: Migration) -> Migration:
    MIGRATIONS.append((fn.__name__, fn))
    return fn


@migration
def m001_initial(conn: Connection) -> None:
    core = [t for t in Base.metadata.sorted_tables if t.name not in BOT_TABLES]
    Base.metadata.create_all(conn, tables=core)


@migration
def m002_github_bot(conn: Connection) -> None:
    """The PR bot's job queue and the webhook deliveries it has seen."""
    bot = [t for t in Base.metadata.sorted_tables if t.name in BOT_TABLES]
    Base.metadata.create_all(conn, tables=bot)


@migration
def m003_status_words(conn: Connection) -> None:
    """`rejected` named two outcomes; each row gets the status its verdict stood for."""
    conn.execute(
        text(
            "UPDATE candidates SET status = CASE verdict WHEN 'slower' THEN 'slower' "
            "WHEN 'broken' THEN 'broken' ELSE 'same' END WHERE status = 'rejected'"
        )
    )


@migration
def m004_run_wall_time(conn: Connection) -> None:
    """Wall time spent per run, so a resumed run's wall-time budget goes on from there."""
    if "spent_s" not in {c["name"] for c in inspect(conn).get_columns("runs")}:
        conn.execute(text("ALTER TABLE runs ADD COLUMN spent_s FLOAT DEFAULT 0"))


@migration
def m005_deliveries_by_body(conn: Connection) -> None:
    """Deliveries keyed by what the signed body proves instead of the delivery header (a
    replay under a new header started a second job). Seen deliveries only stop replays, so
    the old rows are dropped rather than converted."""
    table = Base.metadata.tables["github_deliveries"]
    table.drop(conn, checkfirst=True)
    table.create(conn)


@migration
def m006_llm_cache_tokens(conn: Connection) -> None:
    """Cached-read and cache-write prompt tokens per LLM call (a fresh database has them from
    m001, which creates tables from the current models)."""
    have = {c["name"] for c in inspect(conn).get_columns("llm_calls")}
    for column in ("cached_input_tokens", "cache_write_tokens"):
        if column not in have:
            conn.execute(
                text(f"ALTER TABLE llm_calls ADD COLUMN {column} INTEGER NOT NULL DEFAULT 0")
            )


@migration
def m007_run_leases(conn: Connection) -> None:
    """A lease on running runs (holder, expiry) and a key at most one run carries (a fresh
    database has the columns and the index from m001)."""
    have = {c["name"] for c in inspect(conn).get_columns("runs")}
    columns = {
        "lease_owner": "VARCHAR(200) NOT NULL DEFAULT ''",
        "lease_expires": "TIMESTAMP",
        "claim_key": "VARCHAR(300)",
    }
    for column, kind in columns.items():
        if column not in have:
            conn.execute(text(f"ALTER TABLE runs ADD COLUMN {column} {kind}"))
    conn.execute(text("CREATE UNIQUE INDEX IF NOT EXISTS ix_runs_claim_key ON runs (claim_key)"))


@migration
def m008_trial_workloads(conn: Connection) -> None:
    """Which workload a trial measured, for runs with several (a suite, held-out workloads);
    a fresh database has the column from m001."""
    if "workload" not in {c["name"] for c in inspect(conn).get_columns("trials")}:
        conn.execute(text("ALTER TABLE trials ADD COLUMN workload TEXT NOT NULL DEFAULT ''"))


@migration
def m009_base_results(conn: Connection) -> None:
    """Base results cached by content (a fresh database has the table from m001)."""
    Base.metadata.tables["base_results"].create(conn, checkfirst=True)


def migrate(conn: Connection) -> int:
    """Apply every migration not yet recorded; return the schema version now in force."""
    if conn.dialect.name == "postgresql":
        # Two processes opening a fresh database at once would both create the tables; the
        # loser fails on a duplicate type. The lock lasts until this transaction ends.
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
    SchemaVersion.__table__.create(conn, checkfirst=True)  # type: ignore[attr-defined]
    done = set(conn.execute(select(SchemaVersion.version)).scalars())
    for version, (name, fn) in enumerate(MIGRATIONS, start=1):
        if version in done:
            continue
        fn(conn)
        conn.execute(SchemaVersion.__table__.insert().values(version=version, name=name))  # type: ignore[attr-defined]
    return len(MIGRATIONS)


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table("schema_version"):
        return 0
    return max(conn.execute(select(SchemaVersion.version)).scalars(), default=0)
