"""One instance end to end, as a Ray task: prepare, optimize (or resume), grade, all in the
driver's store.

The task is idempotent: it finds the instance's run by its claim key, so a task sent again
after its worker died resumes that run (once the dead worker's lease has lapsed) instead of
starting a second one, and returns the row of a run that had finished meanwhile. Every
sandbox it opens holds the machine's timing slot (`agent.batch.timing`).
"""

from __future__ import annotations

import json
import os
import socket
import sys
from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from agent.batch.config import DONE, BatchConfig, batch_key, claim_key
from agent.batch.rows import GRADE_ARTIFACT, failed_row, row_from_store
from agent.batch.timing import NodeLock, TimedAlone
from agent.batch.validate import (
    ValidateConfig,
    benchmark_bar,
    factory_for,
    install_error,
    judge,
    measure_states,
    prepare,
)
from agent.config import RunConfig
from agent.protocols import SandboxFactory, Task
from agent.wiring import pick_sandbox, store_at
from storage import Store
from storage.leases import LeaseHeld, held_message, this_process
from storage.models import Run
from storage.vocabulary import RunStatus
from tasks import grading
from tasks.envspec import load_spec_book
from tasks.formats import Instance, Loaded

Say = Callable[[str], None]


def store_refused(config: BatchConfig) -> str | None:
    """Why this worker must not open the batch's store: a SQLite file lives on the driver's
    machine, and a worker elsewhere would write a store of its own that nobody reads."""
    if make_url(config.db).get_backend_name() != "sqlite":
        return None
    here = socket.gethostname()
    if here == config.driver_host:
        return None
    return (
        f"the store is a SQLite file on {config.driver_host}, which this worker on {here} "
        "cannot share: use a PostgreSQL store (--db postgresql://...) on a cluster"
    )


def optimize_instance(loaded: Loaded, run_id: str | None, config: BatchConfig) -> dict[str, Any]:
    """One instance end to end (runs inside a Ray worker); always returns a row. A row with
    `retry_in_s` says the run is held by another live process: try again after that."""
    for entry in config.sys_path:
        if entry not in sys.path:
            sys.path.insert(0, entry)

    def say(message: str) -> None:
        print(f"[{loaded.instance_id}] {message}", file=sys.stderr, flush=True)

    refused = store_refused(config)
    if refused:
        return failed_row(loaded.instance_id, "error", refused)
    env_specs = load_spec_book(config.env_spec) if config.env_spec else None
    prepared = prepare(loaded, config.repos, env_specs)
    if isinstance(prepared, dict):
        prepared.pop("reproduced")
        return {**prepared, "accepted": False}
    inst, task = prepared
    store = store_at(config.db)
    try:
        return _optimize(store, inst, task, run_id, config, say)
    except LeaseHeld as exc:
        row = failed_row(inst.instance_id, "running", str(exc), inst.expert_speedup)
        return {**row, "retry_in_s": exc.retry_in_s}
    except Exception as exc:  # one instance's crash must not end the batch
        _fail_held(store, claim_key(config.fmt, inst.instance_id), exc)
        return failed_row(
            loaded.instance_id, "error", f"{exc.__class__.__name__}: {exc}", inst.expert_speedup
        )
    finally:
        store.close()


def _fail_held(store: Store, key: str, exc: Exception) -> None:
    """Mark the instance's run failed if this process left it running (never another's)."""
    run = store.run_by_key(key)
    if run is not None and run.status == RunStatus.RUNNING:
        mine = run.host == socket.gethostname() and run.pid == os.getpid()
        if mine and run.lease_owner in ("", this_process()):
            store.update_run(run.id, status=RunStatus.FAILED, reason=f"internal error: {exc!r}")


def _optimize(
    store: Store, inst: Instance, task: Task, run_id: str | None, config: BatchConfig, say: Say
) -> dict[str, Any]:
    from agent.runs import RunService

    service = RunService(store, say, lease_s=config.lease_s)
    store.mark_interrupted()
    key = claim_key(config.fmt, inst.instance_id)
    run = store.run(run_id) if run_id else store.run_by_key(key)
    if run is not None and run.status in DONE:  # an earlier attempt finished it
        return row_from_store(store, run, inst)
    if run is not None and run.status == RunStatus.RUNNING:
        raise held_message(store, run.id)
    if run is None:
        started = _start(service, store, inst, task, config, say)
        if isinstance(started, dict):
            return started
        run_id, run_config, factory = started
    else:
        run_id = run.id
        task, run_config, factory = service.reopen(run_id)
        say(f"perfagent: resuming run {run_id}")
    alone = TimedAlone(factory_for(task, factory), node_lock(config, say, store, run_id))
    service.execute(run_id, task, run_config, alone)
    done = _run(store, run_id)
    if config.grade and done.best_candidate_id is not None:
        best = store.candidate(done.best_candidate_id)
        if best is not None and best.diff and store.artifact(run_id, GRADE_ARTIFACT) is None:
            say("grading the accepted patch with the benchmark's metric")
            grade = grade_patch(inst, task, alone, best.diff, config.grading, say)
            store.add_artifact(run_id, GRADE_ARTIFACT, json.dumps(grade))
    return row_from_store(store, done, inst)


def _start(
    service: Any, store: Store, inst: Instance, task: Task, config: BatchConfig, say: Say
) -> tuple[str, RunConfig, SandboxFactory] | dict[str, Any]:
    """A new run for the instance, after its install is checked (so a run never waits on an
    install unleased); an install that fails makes a failed run, which reruns skip."""
    checked = TimedAlone(
        factory_for(task, pick_sandbox(config.run.sandbox, say, task)), node_lock(config, say)
    )
    failed = install_error(task, checked, task.timeout_s)
    key = claim_key(config.fmt, inst.instance_id)
    try:
        run_id, factory = service.start(
            task, config.run, {"batch": batch_key(config.fmt, inst.instance_id)}, key=key
        )
    except IntegrityError:  # another worker started this instance meanwhile
        other = store.run_by_key(key)
        raise held_message(store, other.id if other else key) from None
    if failed:
        status, line = failed
        store.update_run(
            run_id, status=RunStatus.FAILED, reason=f"{status}: {line}", lease_expires=None
        )
        return {**row_from_store(store, _run(store, run_id), inst), "status": status}
    return run_id, config.run, factory


def node_lock(
    config: BatchConfig, say: Say, store: Store | None = None, run_id: str = ""
) -> NodeLock:
    """This machine's timing lock; each hold is logged on the run (`timing-slot` events)."""
    lock = NodeLock(
        on_wait=lambda: say("waiting for this machine's timing slot"),
        on_frozen=lambda pids: say(
            f"this machine's timing slot is held by stopped process(es) {pids}; going on"
        ),
    )
    if config.timing_lock is not None:
        lock.path = config.timing_lock
    if store is not None:
        where = {"host": socket.gethostname(), "slot": str(lock.path)}
        lock.on_hold = lambda held: store.log(run_id, "timing-slot", "", **where, **held)
    return lock


def grade_patch(
    instance: Instance, task: Any, factory: Any, diff: str, config: ValidateConfig, say: Say
) -> dict[str, Any]:
    """The benchmark's verdict on an accepted patch: base, patch and expert timed together."""
    if instance.format == "formulacode":
        from agent.batch.formulacode import grade_suite

        return grade_suite(instance, task, factory, diff, config, say)
    states = {"base": "", "patch": diff}
    if instance.expert_patch.strip():
        states["expert"] = instance.expert_patch
    run = measure_states(instance, task, factory, states, config, say)
    if run.error:
        return {"status": run.status, "error": run.error}
    patch = judge(run, "patch", config)
    ok, metric = benchmark_bar(instance, run, "patch") if patch.verdict != "broken" else (False, {})
    out: dict[str, Any] = {"status": "ok", "verdict": patch.verdict, "bar": ok, "metric": metric}
    if patch.verdict == "broken":
        out["reason"] = patch.reason
        return out
    base = [p.samples["base"] for p in run.probes]
    head = [p.samples["patch"] for p in run.probes]
    if "expert" in states and all("expert" in p.samples for p in run.probes):
        expert = [p.samples["expert"] for p in run.probes]
        if instance.format == "gso":
            g = grading.gso_grade(base, head, expert)
            out.update(
                opt_base=g.opt_base, opt_commit=g.opt_commit, hm_vs_expert=g.hm_speedup_commit
            )
        elif instance.format == "swefficiency":
            pre, post = grading.mean(base[0]), grading.mean(head[0])
            gold = pre / grading.mean(expert[0])
            out["speedup_ratio"] = grading.swefficiency_sr(pre, post, gold, patch.tests_passed)
    return out


def _run(store: Store, run_id: str) -> Run:
    run = store.run(run_id)
    if run is None:
        raise LookupError(f"run {run_id} vanished from the store")
    return run
