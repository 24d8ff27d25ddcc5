"""Model providers: chat models the LLM planner and coder query, imported only when asked for.

`--model` names `replay:FILE`, `anthropic:MODEL`, `openai:MODEL`,
`openai-compatible:MODEL@BASE_URL`, or a dotted path `package.module:Class[:ARG]`
(engines, which plan and code without a model, are registered in `agent.engines`).
Every class is built with `Class.from_name(ARG)`, or `Class.from_name(ARG, settings)` when it
takes provider settings (`agent.models.settings.ModelSettings`).
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

from agent.registry import load_class, split_name

if TYPE_CHECKING:
    from agent.models.settings import ModelSettings

MODELS: dict[str, str] = {
    "replay": "agent.models.replay:ReplayModel",
    "anthropic": "agent.models.anthropic_model:AnthropicModel",
    "openai": "agent.models.openai_model:OpenAIModel",
    "openai-compatible": "agent.models.openai_compatible:OpenAICompatibleModel",
}


def get_model(name: str, settings: ModelSettings | None = None) -> Any:
    """A ready model for a `--model` value, built with `settings` (`load_model_settings(...)`)
    when its class takes them."""
    provider, arg = split_name(name)
    cls = load_class(provider, MODELS)
    if settings is not None and "settings" in inspect.signature(cls.from_name).parameters:
        return cls.from_name(arg, settings=settings)
    return cls.from_name(arg)


__all__ = ["MODELS", "get_model", "split_name"]
