"""The store keeps runs, candidates and raw trials, survives crashes, and holds no secrets."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from storage import Store, StoreError, sqlite_url


def new_run(store: Store) -> str:
    return store.create_run(
        repo="/r", base_commit="abc", task={"bench": "x"}, model="rules", sandbox="local"
    ).id


def test_round_trip_of_a_run(tmp_path: Path) -> None:
    store = Store(sqlite_url(tmp_path / "p.db"))
    run_id = new_run(store)
    [plan_id] = store.add_plans(run_id, 1, [{"title": "t", "text": "do x", "source": "rules"}])
    cid = store.add_candidate(run_id, plan_id=plan_id, diff="d", diff_hash="h", status="coded")
    store.add_trials(run_id, cid, "evaluate", "walltime_s", "head", [0.5, 0.4], {"cpu": "x"})
    store.update_candidate(cid, status="accepted", runtime_ratio=0.5)
    again = Store(sqlite_url(tmp_path / "p.db"))
    assert again.candidate(cid).status == "accepted"  # type: ignore[union-attr]
    assert [t.value for t in again.trials(run_id, cid)] == [0.5, 0.4]
    assert again.candidate_by_hash(run_id, "h").id == cid  # type: ignore[union-attr]
    assert again.run(run_id[:6]).id == run_id  # type: ignore[union-attr]
    assert again.schema_version == 3


def test_sqlite_uses_wal(tmp_path: Path) -> None:
    store = Store(sqlite_url(tmp_path / "p.db"))
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_a_run_whose_process_died_is_listed_as_interrupted(tmp_path: Path) -> None:
    """Regression: a SIGKILLed optimize left its run "running" forever."""
    store = Store(sqlite_url(tmp_path / "p.db"))
    run_id = new_run(store)
    proc = multiprocessing.get_context("fork").Process(target=os._exit, args=(0,))
    proc.start()
    proc.join()
    store.update_run(run_id, pid=proc.pid)
    [run] = store.runs()
    assert run.status == "interrupted"


def test_unwritable_path_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(StoreError, match="cannot open store"):
        Store(sqlite_url(blocker / "sub" / "p.db"))


def test_secrets_in_llm_calls_and_events_are_redacted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-0123456789abcdef")
    store = Store(sqlite_url(tmp_path / "p.db"))
    run_id = new_run(store)
    store.add_llm_call(
        run_id,
        model="m",
        prompt=[{"role": "user", "content": "key sk-test-0123456789abcdef"}],
        response="echo sk-test-0123456789abcdef",
    )
    store.log(run_id, "warning", "saw sk-test-0123456789abcdef")
    raw = (tmp_path / "p.db").read_bytes() + b"".join(
        p.read_bytes() for p in tmp_path.glob("p.db-*")
    )
    assert b"sk-test-0123456789abcdef" not in raw


def _writer(path: str, n: int) -> None:
    store = Store(sqlite_url(Path(path)))
    run_id = new_run(store)
    for i in range(n):
        store.add_trials(run_id, None, "baseline", "walltime_s", "base", [float(i)])
        store.log(run_id, "tick", str(i))


def test_two_processes_write_at_once_without_locking_errors(tmp_path: Path) -> None:
    """Regression: concurrent optimize runs on one SQLite file failed with "database is locked"."""
    path = str(tmp_path / "p.db")
    Store(sqlite_url(Path(path)))
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(path, 100)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    engine = create_engine(sqlite_url(Path(path)))
    with engine.connect() as conn:
        assert conn.execute(text("select count(*) from trials")).scalar() == 200
