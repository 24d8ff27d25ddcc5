"""Model registry: short names to classes, imported only when asked for.

`--model` takes `PROVIDER[:ARG]`: `rules`, `replay:FILE`, `anthropic:MODEL`, `openai:MODEL`,
`openai-compatible:MODEL@BASE_URL`, or a dotted path `package.module:Class[:ARG]`.
Every class is built with `Class.from_name(ARG)`, or `Class.from_name(ARG, settings)` when it
takes provider settings (`agent.models.settings.ModelSettings`).
"""

from __future__ import annotations

import importlib
import inspect
from typing import TYPE_CHECKING, Any

from agent.exceptions import BadInput

if TYPE_CHECKING:
    from agent.models.settings import ModelSettings

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


def get_model(name: str, settings: ModelSettings | None = None) -> Any:
    """A ready model (or the rules engine) for a `--model` value, built with `settings`
    (`load_model_settings(...)`) when its class takes them."""
    provider, arg = split_name(name.strip())
    cls = load_class(provider)
    if settings is not None and "settings" in inspect.signature(cls.from_name).parameters:
        return cls.from_name(arg, settings=settings)
    return cls.from_name(arg)
