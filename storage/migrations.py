"""Schema migrations: an ordered list of named functions, each applied once and recorded."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, inspect, select

from storage.models import Base, SchemaVersion

Migration = Callable[[Connection], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(fn: Migration) -> Migration:
    MIGRATIONS.append((fn.__name__, fn))
    return fn


@migration
def m001_initial(conn: Connection) -> None:
    Base.metadata.create_all(conn)


def migrate(conn: Connection) -> int:
    """Apply every migration not yet recorded; return the schema version now in force."""
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
