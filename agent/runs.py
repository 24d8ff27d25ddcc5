"""The run service: the one way every face (CLI, batch, bot) creates, runs and resumes a run.

A run's settings are resolved and validated before it exists (bad input never leaves a
resumable run behind), written to the store when it is created, and read back from there on
resume: a resumed run keeps its sandbox, model, budgets and workload, and its budgets go on
from what the store says it spent.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from agent.config import RUN_KEYS, RunConfig, resolve_config, stored_config
from agent.engines import get_engine, is_engine
from agent.exceptions import BadInput, BaselineBroken, PerfagentError
from agent.loop.graph import run_loop
from agent.models import get_model
from agent.models.accounting import require_price
from agent.models.settings import load_model_settings, stored_settings
from agent.protocols import Coder, Planner, Progress, SandboxFactory, Task
from agent.views.summary import run_summary
from agent.wiring import default_model_name, loop_deps, pick_sandbox, planned_rounds
from profilers.config import MeasureConfig
from storage import Store
from storage.leases import leased
from storage.store import LEASE_S
from storage.vocabulary import ENDED, RunStatus
from tasks import TaskError, load_task
from tasks.native import read_settings
from tasks.serialize import task_from_json, task_json


@dataclass(frozen=True)
class Ended:
    """How a run ended: the exit code of docs/design.md §3 and the summary every face shows."""

    run_id: str
    exit_code: int
    """0 accepted, 1 nothing accepted, 2 bad input, 3 baseline broken."""
    summary: dict[str, Any]
    message: str = ""


def local_task(
    repo: Path,
    flags: Mapping[str, Any],
    *,
    allow_dirty: bool = False,
    warn: Progress = lambda _m: None,
) -> tuple[Task, RunConfig]:
    """The task and run settings for a local repository, all validated (BadInput)."""
    task_flags = {k: flags.get(k) or None for k in ("bench", "test", "bench_select", "holdout")}
    try:
        task = load_task(repo, task_flags, allow_dirty=allow_dirty, run_keys=RUN_KEYS)
        table = read_settings(repo.resolve(), RUN_KEYS)
    except TaskError as exc:
        raise BadInput(str(exc)) from None
    run_flags = {k: v for k, v in flags.items() if k in RUN_KEYS}
    llm_table: Any = task.metadata.get("llm")
    return task, settle(resolve_config(run_flags, table), llm_table, warn=warn)


def settle(
    config: RunConfig,
    llm_table: Mapping[str, Any] | None = None,
    warn: Progress = lambda _m: None,
) -> RunConfig:
    """The config with its model named (flag, environment, table, else the keys present),
    built once and checked: an unknown name, a missing key or a bad provider setting is bad
    input before any work. A dollar budget the user set on a model with no known price is
    refused; the default one is dropped for it, with a warning (calls and wall time still
    limit the run)."""
    name = default_model_name(config.model)
    if is_engine(name):
        get_engine(name)
        return config.model_copy(update={"model": name, "llm": {}})
    settings = load_model_settings(config.llm or None, llm_table)
    model = get_model(name, settings)
    update: dict[str, Any] = {"model": name, "llm": stored_settings(settings)}
    if config.max_cost_usd and getattr(model, "unpriced", False):
        if "max_cost_usd" in config.model_fields_set:
            require_price(model, config.max_cost_usd)
        warn(f"warning: {name} has no known price; no dollar budget (set price to keep one)")
        update["max_cost_usd"] = 0.0
    return config.model_copy(update=update)


@dataclass
class RunService:
    store: Store
    progress: Progress
    lease_s: float = LEASE_S
    """A run's lease: how long it stays held after its process stops renewing it."""

    def start(
        self,
        task: Task,
        config: RunConfig,
        extra: Mapping[str, Any] | None = None,
        key: str | None = None,
    ) -> tuple[str, SandboxFactory]:
        """Create a run (`key`: a claim key no other run may carry); the sandbox is chosen
        first, so an unusable one leaves no run."""
        factory = pick_sandbox(config.sandbox, self.progress, task)
        run = self.store.create_run(
            repo=str(task.repo),
            subdir=task.subdir,
            base_commit=task.base_ref,
            task=task_json(task),
            model=config.model or "rules",
            sandbox=factory.kind,
            config={**config.model_dump(), **(extra or {})},
            claim_key=key,
        )
        where = task.repo / task.subdir
        self.progress(
            f"perfagent: run {run.id} on {where} at {task.base_ref[:10]} with model {run.model}"
        )
        return run.id, factory

    def reopen(self, run_id: str) -> tuple[Task, RunConfig, SandboxFactory]:
        """A stored run's task, settings and sandbox, exactly as it was started."""
        run = self.store.run(run_id)
        if run is None:
            raise BadInput(f"no run {run_id!r} in {self.store.url}")
        if run.status == RunStatus.RUNNING:
            raise BadInput(f"run {run.id} is still running (pid {run.pid} on {run.host})")
        if run.status in ENDED:
            raise BadInput(
                f"run {run.id} already ended ({run.status}); see: perfagent show {run.id}"
            )
        task = task_from_json(run.task)
        config = stored_config({**run.config, "model": run.model, "sandbox": run.sandbox})
        factory = pick_sandbox(run.sandbox, self.progress, task)
        return task, config, factory

    def execute(
        self,
        run_id: str,
        task: Task,
        config: RunConfig,
        factory: SandboxFactory,
        *,
        agents: tuple[Planner, Coder] | None = None,
        measure: MeasureConfig | None = None,
    ) -> Ended:
        """Run (or resume) the loop to its end and say how it ended. The run is leased to this
        process meanwhile (LeaseHeld if another holds it), so a dead one's run lapses."""
        with leased(self.store, run_id, self.lease_s, self.progress):
            return self._execute(run_id, task, config, factory, agents, measure)

    def _execute(
        self,
        run_id: str,
        task: Task,
        config: RunConfig,
        factory: SandboxFactory,
        agents: tuple[Planner, Coder] | None,
        measure: MeasureConfig | None,
    ) -> Ended:
        deps = loop_deps(
            self.store, run_id, task, factory, config, self.progress, agents=agents, measure=measure
        )
        try:
            with interruptible(self.store, run_id, self.progress):
                run_loop(run_id, deps, planned_rounds(self.store, run_id))
        except BaselineBroken as exc:
            return self._failed(run_id, exc, f"baseline-broken: {str(exc).splitlines()[0]}")
        except PerfagentError as exc:
            return self._failed(run_id, exc, str(exc).splitlines()[0])
        except Exception as exc:
            self.store.update_run(
                run_id, status=RunStatus.FAILED, reason=f"internal error: {exc!r}"
            )
            raise
        summary = run_summary(self.store, run_id)
        return Ended(run_id, 0 if summary["best"] else 1, summary)

    def _failed(self, run_id: str, exc: PerfagentError, reason: str) -> Ended:
        self.store.update_run(run_id, status=RunStatus.FAILED, reason=reason)
        return Ended(run_id, exc.exit_code or 1, run_summary(self.store, run_id), str(exc))

    def resume(self, run_id: str, sandbox: str | None = None) -> Ended:
        """Go on with a stored run; `sandbox`, if given, must be the one it started in (a run
        never mixes measurements from two kinds of sandbox)."""
        self.store.mark_interrupted()
        run = self.store.run(run_id)
        if run is not None and sandbox not in (None, "auto", run.sandbox):
            raise BadInput(
                f"run {run.id} started in the {run.sandbox} sandbox; it resumes there "
                f"(--sandbox {sandbox} refused)"
            )
        task, config, factory = self.reopen(run_id)
        self.progress(f"perfagent: resuming run {run_id}")
        return self.execute(run_id, task, config, factory)


@contextlib.contextmanager
def interruptible(store: Store, run_id: str, progress: Progress) -> Iterator[None]:
    """SIGINT and SIGTERM mark the run interrupted and unwind (sandboxes and work trees are
    removed on the way out); only in the main thread, where Python delivers signals."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, _frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        store.update_run(run_id, status=RunStatus.INTERRUPTED, reason=f"stopped by {name}")
        progress(f"perfagent: interrupted by {name}; resume with: perfagent resume {run_id}")
        raise SystemExit(130)

    old = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)
