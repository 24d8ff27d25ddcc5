"""What is kept: SQLAlchemy models and the Store (SQLite by default, any SQLAlchemy URL)."""
