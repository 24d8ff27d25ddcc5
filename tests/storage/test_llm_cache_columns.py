"""m006: cached-read and cache-write tokens per LLM call, on new and on existing stores."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from storage import Store, sqlite_url
from storage.migrations import MIGRATIONS


def test_a_new_store_keeps_cache_tokens(tmp_path: Path) -> None:
    store = Store(sqlite_url(tmp_path / "p.db"))
    run = store.create_run(repo="/r", base_commit="a", task={}, model="m", sandbox="local")
    store.add_llm_call(
        run.id,
        model="m",
        input_tokens=2000,
        cached_input_tokens=1500,
        cache_write_tokens=300,
        cost_usd=0.01,
    )
    [call] = store.llm_calls(run.id)
    assert (call.cached_input_tokens, call.cache_write_tokens) == (1500, 300)


CACHE_VERSION = 1 + [name for name, _ in MIGRATIONS].index("m006_llm_cache_tokens")


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.slow)])
def test_a_store_from_before_the_cache_migration_gains_the_columns(
    tmp_path: Path, request: pytest.FixtureRequest, backend: str
) -> None:
    """Guards an upgrade: a store from before that migration (llm_calls without cache columns, one call in it)
    opens, is migrated, keeps its call with zero cache tokens and records new ones."""
    url = (
        sqlite_url(tmp_path / "old.db")
        if backend == "sqlite"
        else str(request.getfixturevalue("postgres_url"))
    )
    store = Store(url)
    run = store.create_run(repo="/r", base_commit="a", task={}, model="m", sandbox="local")
    store.add_llm_call(run.id, model="m", input_tokens=10)
    with store.engine.begin() as conn:
        conn.execute(text("ALTER TABLE llm_calls DROP COLUMN cached_input_tokens"))
        conn.execute(text("ALTER TABLE llm_calls DROP COLUMN cache_write_tokens"))
        conn.execute(text(f"DELETE FROM schema_version WHERE version = {CACHE_VERSION}"))
    store.engine.dispose()
    again = Store(url)
    assert again.schema_version == len(MIGRATIONS)
    again.add_llm_call(run.id, model="m", input_tokens=20, cached_input_tokens=16)
    calls = sorted(again.llm_calls(run.id), key=lambda c: c.id)
    assert [(c.input_tokens, c.cached_input_tokens, c.cache_write_tokens) for c in calls] == [
        (10, 0, 0),
        (20, 16, 0),
    ]
