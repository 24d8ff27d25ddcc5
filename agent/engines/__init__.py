"""Engines: planners and coders that work without a model (the offline `rules` engine).

An engine plans and codes by itself; a model (`agent.models`) only answers prompts, and the
LLM planner and coder (`agent.llm`) are built around it. `is_engine` tells which a
`--model` value names, so wiring never inspects the object it got.
"""

from __future__ import annotations

from typing import Any

from agent.registry import load_class, split_name

ENGINES: dict[str, str] = {"rules": "agent.engines.rules:RulesEngine"}


def is_engine(name: str) -> bool:
    """Whether `name` is an engine (registered, or a dotted class with `plan` and `code`)."""
    provider, _ = split_name(name)
    if provider in ENGINES:
        return True
    if ":" not in provider:
        return False  # a registered model, or an unknown name the model registry refuses
    cls = load_class(provider)
    return callable(getattr(cls, "plan", None)) and callable(getattr(cls, "code", None))


def get_engine(name: str) -> Any:
    """A ready engine (planner and coder in one) for a `--model` value."""
    provider, arg = split_name(name)
    return load_class(provider, ENGINES).from_name(arg)
