"""Model registry: short names to classes, imported only when asked for.

`--model` takes `PROVIDER[:ARG]`: `rules`, `replay:FILE`, `anthropic:MODEL`, `openai:MODEL`,
`openai-compatible:MODEL@BASE_URL`, or a dotted path `package.module:Class[:ARG]`.
Every class is built with `Class.from_name(ARG)`.
"""

from __future__ import annotations

import importlib
from typing import Any

from agent.exceptions import BadInput

MODELS: dict[str, str] = {
    "rules": "agent.models.rules:RulesEngine",
    "replay": "agent.models.replay:ReplayModel",
    "anthropic": "agent.models.anthropic_model:AnthropicModel",
    "openai": "agent.models.openai_model:OpenAIModel",
    "openai-compatible": "agent.models.openai_compatible:OpenAICompatibleModel",
}


def split_name(name: str) -> tuple[str, str]:
    """`"anthropic:claude-x"` -> `("anthropic", "claude-x")`; a dotted path keeps its class."""
    head, _, arg = name.partition(":")
    if "." in head and arg:
        cls, _, arg = arg.partition(":")
        return f"{head}:{cls}", arg
    return head, arg


def load_class(provider: str) -> type[Any]:
    target = MODELS.get(provider, provider if ":" in provider else "")
    if not target:
        known = ", ".join(sorted(MODELS))
        raise BadInput(f"unknown model {provider!r}; use one of {known} (as NAME:ARG)")
    module_name, _, attr = target.partition(":")
    try:
        module = importlib.import_module(module_name)
        return getattr(module, attr)
    except (ImportError, AttributeError) as exc:
        raise BadInput(f"model {provider!r} is not available: {exc}") from exc


def get_model(name: str) -> Any:
    """A ready model (or the rules engine) for a `--model` value."""
    provider, arg = split_name(name.strip())
    return load_class(provider).from_name(arg)
