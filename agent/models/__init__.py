"""Model providers: chat models the LLM planner and coder query, imported only when asked for.

`--model` names `replay:FILE`, `anthropic:MODEL`, `openai:MODEL`,
`openai-compatible:MODEL@BASE_URL`, or a dotted path `package.module:Class[:ARG]`
(engines, which plan and code without a model, are registered in `agent.engines`).
"""

from __future__ import annotations

from typing import Any

from agent.registry import load_class, split_name

MODELS: dict[str, str] = {
    "replay": "agent.models.replay:ReplayModel",
    "anthropic": "agent.models.anthropic_model:AnthropicModel",
    "openai": "agent.models.openai_model:OpenAIModel",
    "openai-compatible": "agent.models.openai_compatible:OpenAICompatibleModel",
}


def get_model(name: str) -> Any:
    """A ready model for a `--model` value."""
    provider, arg = split_name(name)
    return load_class(provider, MODELS).from_name(arg)


__all__ = ["MODELS", "get_model", "split_name"]
