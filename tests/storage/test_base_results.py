"""Base results cached by content: kept once per (kind, key), found by later stores, added to
old databases by a migration."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, inspect, text

from storage import Store, sqlite_url
from storage.migrations import MIGRATIONS


def test_a_result_is_kept_once_and_read_back_by_another_store(tmp_path: Path) -> None:
    """Guards against a second measurement of the same base overwriting the first (two
    processes may measure it at once; every reader must see one value)."""
    url = sqlite_url(tmp_path / "p.db")
    store = Store(url)
    assert store.base_result("instructions", "k1") is None
    assert store.add_base_result("instructions", "k1", {"counts": {"0": 7}}, run_id="r1")
    assert not store.add_base_result("instructions", "k1", {"counts": {"0": 8}}, run_id="r2")
    again = Store(url)
    assert again.base_result("instructions", "k1") == {"counts": {"0": 7}}
    assert again.base_result("outputs", "k1") is None  # kinds do not share keys
    assert [(r.kind, r.run_id) for r in again.base_results("r1")] == [("instructions", "r1")]
    assert again.base_results("r2") == []


def test_an_old_database_gets_the_table(tmp_path: Path) -> None:
    """Guards against the cache failing on stores made before it existed."""
    path = tmp_path / "old.db"
    Store(sqlite_url(path))
    version = 1 + [name for name, _ in MIGRATIONS].index("m009_base_results")
    engine = create_engine(sqlite_url(path))
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE base_results"))
        conn.execute(text(f"DELETE FROM schema_version WHERE version = {version}"))
    store = Store(sqlite_url(path))
    assert "base_results" in inspect(store.engine).get_table_names()
    assert store.add_base_result("memory", "k", {"peak_rss_bytes": 1})
