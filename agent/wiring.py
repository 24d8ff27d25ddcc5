"""Entry-point wiring: concrete engines, models, profilers, checkouts and sandboxes by name."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from typing import Any

from agent.base_cache import StoreBaseCache
from agent.config import RunConfig
from agent.engines import get_engine, is_engine
from agent.exceptions import BadInput
from agent.loop.planning import PARENT_EXHAUSTED, PLANNER_ERROR, last_round
from agent.loop.state import Deps
from agent.models import get_model
from agent.models.accounting import llm_call_fields
from agent.protocols import (
    Coder,
    Message,
    Model,
    OutputSchema,
    Planner,
    Profiler,
    Progress,
    Reply,
    Reviewer,
    SandboxFactory,
    StructuredModel,
    Task,
)
from profilers.cache import BaseCache, NoCache
from profilers.config import MeasureConfig
from profilers.session import SandboxProfiler
from profilers.suite_session import Suite, SuiteProfiler
from profilers.workload import Workload
from sandbox.base import WorkspaceSpec, path_matches
from sandbox.checkout import GitCheckout
from sandbox.secrets import redact
from sandbox.worktree import is_protected
from storage import Store
from tasks.suites import first_target

DEFAULT_ANTHROPIC = "claude-sonnet-4-5"
DEFAULT_OPENAI = "gpt-4.1"


def store_at(url: str) -> Store:
    """The store at `url`, redacting secrets from everything it writes."""
    return Store(url, redact=redact)


def default_model_name(configured: str | None = None) -> str:
    """The configured name, else the first provider with a key, else `rules`."""
    if configured:
        return configured
    if os.environ.get("ANTHROPIC_API_KEY"):
        return "anthropic:" + os.environ.get("PERFAGENT_ANTHROPIC_MODEL", DEFAULT_ANTHROPIC)
    if os.environ.get("OPENAI_BASE_URL"):
        model = os.environ.get("PERFAGENT_OPENAI_MODEL", DEFAULT_OPENAI)
        return f"openai-compatible:{model}@{os.environ['OPENAI_BASE_URL']}"
    if os.environ.get("OPENAI_API_KEY"):
        return "openai:" + os.environ.get("PERFAGENT_OPENAI_MODEL", DEFAULT_OPENAI)
    return "rules"


class RecordingModel:
    """Saves every call (prompt, reply, tokens, cost, error) to the store before returning."""

    def __init__(self, inner: Model, store: Store, run_id: str, purpose: str) -> None:
        self.inner, self.store, self.run_id, self.purpose = inner, store, run_id, purpose
        self.name = inner.name

    def query(self, messages: Sequence[Message]) -> Reply:
        return self._recorded(messages, lambda: self.inner.query(messages))

    def query_structured(self, messages: Sequence[Message], schema: OutputSchema) -> Reply:
        inner = self.inner
        if not isinstance(inner, StructuredModel):
            return self.query(messages)
        return self._recorded(messages, lambda: inner.query_structured(messages, schema))

    def _recorded(self, messages: Sequence[Message], call: Callable[[], Reply]) -> Reply:
        started = time.monotonic()
        prompt = [{"role": m.role, "content": m.content} for m in messages]
        try:
            reply = call()
        except Exception as exc:
            self.store.add_llm_call(
                self.run_id,
                model=self.name,
                purpose=self.purpose,
                prompt=prompt,
                error=f"{exc.__class__.__name__}: {exc}",
                latency_s=time.monotonic() - started,
            )
            raise
        self.store.add_llm_call(
            self.run_id,
            model=reply.model or self.name,
            purpose=self.purpose,
            prompt=prompt,
            response=reply.content,
            **{
                **llm_call_fields(reply),
                "latency_s": reply.latency_s or time.monotonic() - started,
            },
        )
        return reply


def make_agents(
    name: str,
    store: Store,
    run_id: str,
    config: RunConfig,
    task_llm: Mapping[str, Any] | None = None,
    task: Task | None = None,
) -> tuple[Planner, Coder, Reviewer | None]:
    """Planner, coder and (with a model and a task) reviewer for a `--model` value; models
    are wrapped with budgets (seeded with what the store says this run has spent already)
    and recording. Engines have no reviewer."""
    if is_engine(name):
        engine = get_engine(name)
        return engine, engine, None
    from agent.llm.coder import LLMCoder
    from agent.llm.planner import LLMPlanner
    from agent.llm.review import LLMReview
    from agent.models.accounting import BudgetedModel
    from agent.models.settings import load_model_settings

    calls, cost = store.llm_totals(run_id)
    run = store.run(run_id)
    spent_s = run.spent_s if run is not None else 0.0
    budgeted = BudgetedModel(
        get_model(name, load_model_settings(config.llm or None, task_llm)),
        max_calls=config.max_llm_calls or None,
        max_cost_usd=config.max_cost_usd or None,
        max_wall_s=max(config.max_wall_s - spent_s, 1.0) if config.max_wall_s else None,
    )
    budgeted.ledger.calls, budgeted.ledger.cost_usd = calls, cost
    planner = LLMPlanner(RecordingModel(budgeted, store, run_id, "plan"))
    coder = LLMCoder(RecordingModel(budgeted, store, run_id, "code"))
    review = LLMReview(RecordingModel(budgeted, store, run_id, "review"), task) if task else None
    return planner, coder, review


def workspace(task: Task) -> Callable[[str, str], WorkspaceSpec]:
    """(name, patch) -> the task's workspace at its base with `patch` applied."""

    def spec(name: str, patch: str) -> WorkspaceSpec:
        return WorkspaceSpec(
            repo=task.repo,
            ref=task.base_ref,
            patch=patch,
            subdir=task.subdir,
            protected=task.protected,
            name=name,
        )

    return spec


def checkout_for(task: Task) -> GitCheckout:
    def editable(rel: str) -> bool:
        return path_matches(rel, task.include) and not is_protected(
            task.in_repo(rel), task.protected
        )

    return GitCheckout(workspace(task)("checkout", ""), editable)


def profiler_for(
    task: Task,
    factory: SandboxFactory,
    measure: MeasureConfig | None = None,
    cache: BaseCache | None = None,
) -> Profiler:
    """The task's profiler: one workload, or several (suites, a bench list, holdouts)."""
    config = measure or MeasureConfig(timeout_s=task.timeout_s)
    if task.suites or len(task.workloads) > 1:
        return suite_profiler(task, factory, config, workspace(task))
    return SandboxProfiler(
        sandboxes=factory,
        spec=workspace(task),
        workload=Workload(kind=task.bench_kind, spec=task.bench),
        tests=task.test,
        config=config,
        cache=cache or NoCache(),
    )


def suite_profiler(
    task: Task,
    factory: SandboxFactory,
    config: MeasureConfig,
    spec: Callable[[str, str], WorkspaceSpec],
    *,
    by_touch: bool = True,
) -> SuiteProfiler:
    """A profiler over every workload of `task`: the first target is the primary one, suite
    benchmarks are picked by what a candidate touches (`by_touch`) unless a regex names them."""
    specs = task.workloads
    main = first_target(specs)
    primary = main if main is not None and main.role == "target" else None
    return SuiteProfiler(
        sandboxes=factory,
        spec=spec,
        tests=task.test,
        config=config,
        primary=Workload(**asdict(primary)) if primary else None,
        configured=tuple(Workload(**asdict(s)) for s in specs if s is not primary),
        suites=tuple(Suite(s.kind, s.root, s.select, s.role) for s in task.suites),
        tolerance=task.regress_tolerance,
        subdir=task.subdir,
        touch=by_touch,
    )


def loop_deps(
    store: Store,
    run_id: str,
    task: Task,
    factory: SandboxFactory,
    config: RunConfig,
    progress: Progress,
    *,
    agents: tuple[Planner, Coder] | None = None,
    measure: MeasureConfig | None = None,
    reviewer: Reviewer | None = None,
) -> Deps:
    """Everything the loop runs on for one run; every entry point wires it here. With
    `agents` given (tests, embedders), `reviewer` is the review, if any."""
    llm_table = task.metadata.get("llm")
    if agents is None:
        planner, coder, reviewer = make_agents(
            config.model or "rules",
            store,
            run_id,
            config,
            llm_table,  # type: ignore[arg-type]
            task,
        )
    else:
        planner, coder = agents
    name = config.model or "rules"
    return Deps(
        store=store,
        task=task,
        checkout=checkout_for(task),
        profiler=profiler_for(
            task,
            factory,
            measure or MeasureConfig(timeout_s=task.timeout_s, instructions=config.instructions),
            StoreBaseCache(store, run_id, redact),
        ),
        planner=planner,
        coder=coder,
        config=config,
        reviewer=reviewer,
        progress=progress,
        lookahead=(ahead := 0 if agents is not None else lookahead_for(name, config)),
        opening=bool(ahead) and config.opening,
    )


def lookahead_for(name: str, config: RunConfig) -> int:
    """Whether model calls run beside a measurement (`agent.loop.ahead`): never for engines (they
    compute on the cores the measurement uses) or scripted replies (handed out in order);
    `config.lookahead` when set; else not for a model served on this machine (a loopback
    URL: it computes there too) and yes for the rest."""
    from urllib.parse import urlparse

    from agent.registry import split_name

    provider, rest = split_name(name)
    if is_engine(name) or provider == "replay":
        return 0
    if config.lookahead is not None:
        return config.lookahead
    env = "ANTHROPIC_BASE_URL" if provider == "anthropic" else "OPENAI_BASE_URL"
    url = rest.partition("@")[2] or os.environ.get(env, "")
    host = urlparse(url).hostname or ""
    return 0 if host == "localhost" or host == "::1" or host.startswith("127.") else 1


def planned_rounds(store: Store, run_id: str) -> int:
    """Planning rounds a run already has: where a resumed run's round counter starts. A round
    that ended without plans (its parent had nothing new, or its model call failed) counts
    too, so a resumed run numbers its rounds, and draws its parents, as the run it resumes."""
    return last_round(store, run_id, (PARENT_EXHAUSTED, PLANNER_ERROR))


def docker_settings(task: Task, *, keep_install: bool = False) -> dict[str, Any]:
    """What of a task shapes its Docker images: install command, base image, env recipe."""
    from sandbox.envbuild import EnvRecipe

    given: dict[str, Any] = {
        "install": task.install,
        "base_image": task.image,
        "recipe": EnvRecipe.from_fields(task.env) if task.env else None,
    }
    return {k: v for k, v in given.items() if v or (keep_install and k == "install")}


def pick_sandbox(
    kind: str, warn: Callable[[str], None], task: Task | None = None
) -> SandboxFactory:
    """`docker`, `local`, or `auto`: Docker when an engine answers, else local with a warning.
    The task's `install` command and `image` shape the Docker images."""
    if kind not in ("auto", "docker", "local"):
        raise BadInput(f"unknown sandbox {kind!r}: use auto, docker or local")
    if kind in ("auto", "docker"):
        try:
            from sandbox.docker import DockerSandboxFactory

            factory = DockerSandboxFactory.from_environment()
            if task is not None:
                factory = factory.configure(**docker_settings(task))
            factory.progress = warn
            return factory
        except Exception as exc:  # the engine and its SDK fail in many ways; all mean "no"
            if kind == "docker":
                raise BadInput(f"Docker sandbox unavailable: {exc}") from exc
            warn(f"warning: no usable Docker engine ({exc}); using the local sandbox")
    from sandbox.local import LocalSandboxFactory

    return LocalSandboxFactory()
