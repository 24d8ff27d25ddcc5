"""What is kept: SQLAlchemy models and the Store (SQLite by default, any SQLAlchemy URL)."""

from storage.store import Store, StoreError, sqlite_url

__all__ = ["Store", "StoreError", "sqlite_url"]
