"""The store works unchanged against a real PostgreSQL server (any SQLAlchemy URL).

The server comes from the `postgres_server` fixture in this folder's conftest: a real
`postgres` started with `initdb`/`pg_ctl` in a temporary directory on a loopback port.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text

from sandbox.secrets import redact
from storage import Store
from storage.migrations import MIGRATIONS

pytestmark = pytest.mark.slow


def new_run(store: Store, **fields: Any) -> str:
    base = {
        "repo": "/r",
        "base_commit": "a" * 40,
        "task": {"bench": "x"},
        "model": "rules",
        "sandbox": "local",
    }
    return store.create_run(**{**base, **fields}).id


def test_the_store_creates_its_schema_on_postgres(postgres_url: str) -> None:
    store = Store(postgres_url)
    assert store.engine.dialect.name == "postgresql"
    assert store.schema_version == len(MIGRATIONS)
    tables = set(inspect(store.engine).get_table_names())
    assert {"runs", "plans", "candidates", "trials", "llm_calls", "artifacts", "events"} <= tables
    assert Store(postgres_url).schema_version == len(MIGRATIONS)  # reopening migrates nothing twice
    store.close()


def test_round_trip_of_a_whole_run(postgres_url: str) -> None:
    store = Store(postgres_url)
    run_id = new_run(store, config={"budget": 6}, task={"bench": "python bench.py", "n": [1, 2]})
    store.update_run(run_id, baseline={"wall_s": 0.41, "hotspots": [{"function": "f"}]})
    plan_ids = store.add_plans(
        run_id,
        1,
        [
            {"title": "sum()", "text": "use sum", "source": "rules", "targets": ["pkg/mod.py"]},
            {"title": "cache", "text": "memoize ünïcödé ✓", "source": "rules", "data": {"k": 1}},
        ],
    )
    cid = store.add_candidate(run_id, plan_id=plan_ids[0], diff="+x\n", diff_hash="h1")
    child = store.add_candidate(run_id, plan_id=plan_ids[1], parent_id=cid, diff_hash="h2")
    store.update_plan(plan_ids[0], status="coded")
    store.update_candidate(
        cid,
        status="accepted",
        runtime_ratio=0.62,
        ci_low=0.6,
        ci_high=0.64,
        p_value=1e-5,
        tests_passed=True,
        equivalent=True,
        on_front=True,
        measurement={"n_pairs": 10},
        confirmation={"ratio": 0.63},
    )
    store.add_trials(run_id, None, "baseline", "walltime_s", "base", [0.41, 0.42, 0.4])
    store.add_trials(run_id, cid, "evaluate", "instructions", "head", [1.5e9], {"seed": 0})
    store.add_llm_call(
        run_id,
        model="m",
        purpose="plan",
        prompt=[{"role": "user", "content": "hi"}],
        response="ok",
        input_tokens=10,
        output_tokens=5,
        cost_usd=0.001,
        latency_s=0.2,
    )
    store.add_artifact(run_id, "baseline-profile", "a;b 3\na;c 1")
    store.log(run_id, "stop", "budget spent", reason="budget", spent=6)
    store.update_run(run_id, status="finished", best_candidate_id=cid)

    again = Store(postgres_url)
    run = again.run(run_id[:6])
    assert run is not None and run.id == run_id and run.status == "finished"
    assert run.task == {"bench": "python bench.py", "n": [1, 2]} and run.config == {"budget": 6}
    assert run.baseline["hotspots"] == [{"function": "f"}] and run.best_candidate_id == cid
    assert [p.title for p in again.plans(run_id)] == ["sum()", "cache"]
    assert again.plans(run_id)[1].text == "memoize ünïcödé ✓"
    assert [p.id for p in again.plans(run_id, status="pending")] == [plan_ids[1]]
    got = again.candidate(cid)
    assert got is not None and got.status == "accepted" and got.on_front is True
    assert got.runtime_ratio == 0.62 and got.confirmation == {"ratio": 0.63}
    assert [c.id for c in again.candidates(run_id, status=("accepted",))] == [cid]
    assert again.candidate(child).parent_id == cid  # type: ignore[union-attr]
    assert again.candidate_by_hash(run_id, "h2").id == child  # type: ignore[union-attr]
    assert [t.value for t in again.trials(run_id)] == [0.41, 0.42, 0.4]
    [instr] = again.trials(run_id, cid)
    assert instr.value == 1.5e9 and instr.env == {"seed": 0} and instr.seq == 0
    [call] = again.llm_calls(run_id)
    assert call.prompt == [{"role": "user", "content": "hi"}] and call.output_tokens == 5
    assert again.artifact(run_id, "baseline-profile") == "a;b 3\na;c 1"
    [event] = again.events(run_id)
    assert event.kind == "stop" and event.data == {"reason": "budget", "spent": 6}
    assert [r.id for r in again.runs()] == [run_id]


def test_secrets_are_redacted_on_postgres(
    postgres_url: str, postgres_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-0123456789abcdef")
    store = Store(postgres_url, redact=redact)
    run_id = new_run(store)
    store.add_llm_call(
        run_id,
        model="m",
        prompt=[{"role": "user", "content": "sk-test-0123456789abcdef"}],
        response="echo sk-test-0123456789abcdef",
    )
    store.log(run_id, "warning", "saw sk-test-0123456789abcdef")
    with store.engine.connect() as conn:
        dump = " ".join(
            str(row)
            for table in ("llm_calls", "events")
            for row in conn.execute(text(f"select * from {table}"))
        )
    assert "sk-test-0123456789abcdef" not in dump and "***" in dump


def test_a_dead_process_leaves_its_run_interrupted(postgres_url: str) -> None:
    """Regression (as on SQLite): a SIGKILLed optimize left its run "running" forever."""
    store = Store(postgres_url)
    run_id = new_run(store)
    proc = multiprocessing.get_context("fork").Process(target=os._exit, args=(0,))
    proc.start()
    proc.join()
    store.update_run(run_id, pid=proc.pid)
    [run] = store.runs()
    assert run.status == "interrupted" and run.reason


def _open_and_write(url: str, barrier: Any, n: int) -> None:
    barrier.wait()
    store = Store(url)
    run_id = new_run(store)
    for i in range(n):
        store.add_trials(run_id, None, "baseline", "walltime_s", "base", [float(i)])
        store.log(run_id, "tick", str(i))


def test_processes_opening_a_fresh_database_at_once_all_succeed(postgres_url: str) -> None:
    """Regression: two workers (e.g. a Ray batch) opening an empty PostgreSQL database at the
    same moment both ran the first migration, and the loser failed with a duplicate-type
    IntegrityError. Migrations now hold an advisory lock."""
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(3)
    procs = [
        ctx.Process(target=_open_and_write, args=(postgres_url, barrier, 30)) for _ in range(3)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    engine = create_engine(postgres_url)
    with engine.connect() as conn:
        assert conn.execute(text("select count(*) from trials")).scalar() == 90
        assert conn.execute(text("select count(*) from schema_version")).scalar() == len(MIGRATIONS)
    engine.dispose()


def test_a_bad_postgres_url_is_a_clear_store_error(postgres_server: Any) -> None:
    from storage import StoreError

    with pytest.raises(StoreError, match="cannot open store"):
        Store(f"postgresql+psycopg2://postgres@127.0.0.1:{postgres_server.port}/no_such_db")


def test_text_with_nul_bytes_round_trips(postgres_url: str) -> None:
    """Guards against a test-output tail or model reply containing a NUL byte crashing the
    run on PostgreSQL while it works on SQLite."""
    store = Store(postgres_url)
    run_id = new_run(store)
    store.add_artifact(run_id, "test-output", "binary\x00junk")
    assert store.artifact(run_id, "test-output") in ("binary\x00junk", "binary\ufffdjunk")


def test_base_results_are_kept_once_on_postgres(postgres_url: str) -> None:
    """Guards the base-results cache on a server database: the composite key reads back, a
    second write under it is refused without an error."""
    store = Store(postgres_url)
    assert store.add_base_result("outputs", "k" * 64, {"stdout": ["a\x00b"]}, run_id="r")
    assert not store.add_base_result("outputs", "k" * 64, {"stdout": ["other"]})
    assert Store(postgres_url).base_result("outputs", "k" * 64) == {"stdout": ["a\x00b"]}
