"""Entry-point wiring: concrete models, planners, coders and sandboxes chosen by name."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from agent.exceptions import BadInput
from agent.models import get_model
from agent.protocols import Coder, Message, Model, Planner, Reply, SandboxFactory, Task
from storage import Store

if TYPE_CHECKING:
    from agent.config import RunConfig
    from agent.nodes import Deps

DEFAULT_ANTHROPIC = "claude-sonnet-4-5"
DEFAULT_OPENAI = "gpt-4.1"


def default_model_name(configured: str | None = None) -> str:
    """Flag or `[tool.perfagent] model`, else the first provider with a key, else `rules`."""
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
        started = time.monotonic()
        prompt = [{"role": m.role, "content": m.content} for m in messages]
        try:
            reply = self.inner.query(messages)
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
            input_tokens=reply.input_tokens,
            output_tokens=reply.output_tokens,
            cost_usd=reply.cost_usd,
            latency_s=reply.latency_s or time.monotonic() - started,
        )
        return reply


def make_agents(
    name: str,
    store: Store,
    run_id: str,
    budgets: dict[str, float],
) -> tuple[Planner, Coder]:
    """Planner and coder for a `--model` value; LLMs are wrapped with budgets and recording."""
    obj: Any = get_model(name)
    if not isinstance(obj, Model):
        return obj, obj  # the rules engine plans and codes by itself
    from agent.coder import LLMCoder
    from agent.models.accounting import BudgetedModel
    from agent.planner import LLMPlanner

    budgeted = BudgetedModel(
        obj,
        max_calls=int(budgets.get("max_llm_calls", 0)) or None,
        max_cost_usd=budgets.get("max_cost_usd") or None,
        max_wall_s=budgets.get("max_wall_s") or None,
    )
    planner = LLMPlanner(RecordingModel(budgeted, store, run_id, "plan"))
    coder = LLMCoder(RecordingModel(budgeted, store, run_id, "code"))
    return planner, coder


def loop_deps(
    store: Store,
    run_id: str,
    task: Task,
    model: str,
    factory: SandboxFactory,
    config: RunConfig,
    progress: Callable[[str], None],
) -> Deps:
    """Everything the loop runs on for one run; every entry point (CLI, batch) wires it here."""
    from agent.nodes import Deps
    from profilers.config import MeasureConfig

    planner, coder = make_agents(model, store, run_id, config.model_dump())
    return Deps(
        store=store,
        task=task,
        sandboxes=factory,
        planner=planner,
        coder=coder,
        config=config,
        measure=MeasureConfig(timeout_s=task.timeout_s),
        progress=progress,
    )


def planned_rounds(store: Store, run_id: str) -> int:
    """Planning rounds a run already has: where a resumed run's round counter starts."""
    return max((p.round for p in store.plans(run_id)), default=0)


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
                given = {"install": task.install, "base_image": task.image}
                factory = factory.configure(**{k: v for k, v in given.items() if v})
            factory.progress = warn
            return factory
        except Exception as exc:  # the engine and its SDK fail in many ways; all mean "no"
            if kind == "docker":
                raise BadInput(f"Docker sandbox unavailable: {exc}") from exc
            warn(f"warning: no usable Docker engine ({exc}); using the local sandbox")
    from sandbox.local import LocalSandboxFactory

    return LocalSandboxFactory()
