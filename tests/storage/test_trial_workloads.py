"""m007: every trial names the workload it measured, on new and on upgraded stores."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from storage import Store, sqlite_url
from storage.migrations import MIGRATIONS

VERSION = 1 + [name for name, _ in MIGRATIONS].index("m008_trial_workloads")


def test_trials_keep_the_workload_they_measured(tmp_path: Path) -> None:
    store = Store(sqlite_url(tmp_path / "p.db"))
    run = store.create_run(repo="/r", base_commit="a", task={}, model="m", sandbox="local")
    store.add_trials(run.id, 1, "evaluate", "walltime_s", "base", [0.5, 0.6], workload="m.time_a")
    store.add_trials(run.id, 1, "evaluate", "walltime_s", "base", [0.7])
    assert [(t.workload, t.value) for t in store.trials(run.id, 1)] == [
        ("m.time_a", 0.5),
        ("m.time_a", 0.6),
        ("", 0.7),
    ]


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.slow)])
def test_a_store_from_before_m008_gains_the_column(
    tmp_path: Path, request: pytest.FixtureRequest, backend: str
) -> None:
    """Guards an upgrade: old trials read back with an empty workload, new ones keep theirs."""
    url = (
        sqlite_url(tmp_path / "old.db")
        if backend == "sqlite"
        else str(request.getfixturevalue("postgres_url"))
    )
    store = Store(url)
    run = store.create_run(repo="/r", base_commit="a", task={}, model="m", sandbox="local")
    store.add_trials(run.id, None, "baseline", "walltime_s", "base", [0.4])
    with store.engine.begin() as conn:
        conn.execute(text("ALTER TABLE trials DROP COLUMN workload"))
        conn.execute(text(f"DELETE FROM schema_version WHERE version = {VERSION}"))
    store.engine.dispose()
    again = Store(url)
    assert again.schema_version == len(MIGRATIONS)
    again.add_trials(run.id, None, "baseline", "walltime_s", "base", [0.5], workload="w")
    assert [(t.workload, t.value) for t in again.trials(run.id)] == [("", 0.4), ("w", 0.5)]
