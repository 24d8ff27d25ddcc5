"""Anthropic's Messages API through the `anthropic` SDK (`--model anthropic:MODEL`).

The key comes from `ANTHROPIC_API_KEY` (`ANTHROPIC_BASE_URL` is honoured for gateways). The
SDK's own retries are off (`max_retries=0`): retries, backoff and Retry-After are handled,
bounded and tested in `agent.models.retries` (which says why).

Prompt caching: every message marked `cache` ends a stable prefix and gets a `cache_control`
breakpoint (the last four, the API's limit); `usage.cache_creation_input_tokens` and
`usage.cache_read_input_tokens` report writes and reads. Structured output is a forced tool
whose `input_schema` is the schema (with extended thinking, which cannot be forced to a tool,
the tool is offered and the text is the fallback).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Any

import anthropic

from agent.exceptions import ModelAuthError, ModelError
from agent.models.pricing import Usage
from agent.models.provider import OnCall, ProviderConfig, ProviderModel, RawReply
from agent.models.retries import TransientModelError, status_error
from agent.models.settings import ModelSettings
from agent.protocols import Message, OutputSchema

DEFAULT_MODEL = "claude-sonnet-4-5"
MAX_BREAKPOINTS = 4
"""Cache breakpoints the Messages API accepts in one request."""


def to_anthropic(
    messages: Sequence[Message], cache: bool = True
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """System blocks and alternating user/assistant turns of text blocks (same-role neighbours
    merged), starting with a user turn as the API requires; with `cache`, the last four
    messages marked `cache` end with a breakpoint."""
    marked = [i for i, m in enumerate(messages) if m.cache][-MAX_BREAKPOINTS:] if cache else []
    system: list[dict[str, Any]] = []
    turns: list[dict[str, Any]] = []
    for i, m in enumerate(messages):
        block: dict[str, Any] = {"type": "text", "text": m.content}
        if i in marked:
            block["cache_control"] = {"type": "ephemeral"}
        if m.role == "system":
            system.append(block)
        elif turns and turns[-1]["role"] == m.role:
            turns[-1]["content"].append(block)
        else:
            turns.append({"role": m.role, "content": [block]})
    if not turns or turns[0]["role"] != "user":
        turns.insert(0, {"role": "user", "content": [{"type": "text", "text": "Continue."}]})
    return system, turns


def anthropic_usage(usage: Any) -> Usage:
    """Tokens as the Messages API reports them: `input_tokens` excludes the cached part, so
    the prompt is the sum of plain, cache-write and cache-read tokens."""

    def count(name: str) -> int:
        return int(getattr(usage, name, 0) or 0)

    written = count("cache_creation_input_tokens")
    read = count("cache_read_input_tokens")
    return Usage(
        input_tokens=count("input_tokens") + written + read,
        output_tokens=count("output_tokens"),
        cached_input_tokens=read,
        cache_write_tokens=written,
    )


class AnthropicModel(ProviderModel):
    """A Claude model on the Messages API."""

    provider = "anthropic"
    key_env = "ANTHROPIC_API_KEY"

    def __init__(
        self,
        model: str,
        *,
        api_key: str,
        base_url: str | None = None,
        config: ProviderConfig | None = None,
        on_call: OnCall | None = None,
    ) -> None:
        super().__init__(model, config=config, on_call=on_call, secrets=(api_key,))
        self._client = anthropic.Anthropic(
            api_key=api_key,
            base_url=base_url,
            max_retries=0,
            timeout=self.config.timeout_s,
            default_headers=dict(self.config.extra_headers) or None,
        )

    @classmethod
    def from_name(cls, arg: str, settings: ModelSettings | None = None) -> AnthropicModel:
        """`anthropic:MODEL`; the key from `ANTHROPIC_API_KEY` (required)."""
        model = arg.strip() or os.environ.get("PERFAGENT_ANTHROPIC_MODEL", DEFAULT_MODEL)
        key = os.environ.get("ANTHROPIC_API_KEY", "").strip()
        if not key:
            raise ModelAuthError("anthropic: ANTHROPIC_API_KEY is not set")
        base = os.environ.get("ANTHROPIC_BASE_URL", "").strip() or None
        config = ProviderConfig.from_settings(settings) if settings else None
        return cls(model, api_key=key, base_url=base, config=config)

    def _request(
        self, messages: Sequence[Message], schema: OutputSchema | None, max_tokens: int
    ) -> dict[str, Any]:
        system, turns = to_anthropic(messages, cache=self.config.prompt_cache)
        cfg = self.config
        kwargs: dict[str, Any] = {"model": self.model, "max_tokens": max_tokens, "messages": turns}
        if system:
            kwargs["system"] = system
        if cfg.thinking_budget:
            # Thinking tokens count towards max_tokens: the reply keeps its own allowance.
            kwargs["thinking"] = {"type": "enabled", "budget_tokens": cfg.thinking_budget}
            kwargs["max_tokens"] = max_tokens + cfg.thinking_budget
        elif cfg.temperature is not None:
            kwargs["temperature"] = cfg.temperature
        if schema is not None:
            kwargs["tools"] = [
                {
                    "name": schema.name,
                    "description": schema.description,
                    "input_schema": dict(schema.schema),
                }
            ]
            forced = {"type": "tool", "name": schema.name}
            kwargs["tool_choice"] = {"type": "auto"} if cfg.thinking_budget else forced
        return kwargs

    def _send(
        self, messages: Sequence[Message], schema: OutputSchema | None, max_tokens: int
    ) -> RawReply:
        resp = self._client.messages.create(**self._request(messages, schema, max_tokens))
        blocks = getattr(resp, "content", None)
        if not isinstance(blocks, list):
            raise TransientModelError(f"{self.name}: malformed reply (no content)")
        tool = next((b for b in blocks if getattr(b, "type", "") == "tool_use"), None)
        if schema is not None and tool is not None:
            text = json.dumps(getattr(tool, "input", None) or {})
        else:
            text = "".join(
                str(getattr(b, "text", "")) for b in blocks if getattr(b, "type", "") == "text"
            )
        return RawReply(
            content=text,
            model=str(getattr(resp, "model", None) or self.model),
            usage=anthropic_usage(getattr(resp, "usage", None)),
            truncated=getattr(resp, "stop_reason", "") == "max_tokens",
        )

    def _classify(self, exc: Exception) -> Exception:
        name = self.name
        if isinstance(exc, anthropic.APITimeoutError):
            return TransientModelError(f"{name}: the request timed out")
        if isinstance(exc, anthropic.APIConnectionError):
            return TransientModelError(
                f"{name}: connection failed ({type(exc.__cause__).__name__})"
            )
        if isinstance(exc, anthropic.APIStatusError):
            return status_error(name, exc.status_code, dict(exc.response.headers), self.key_env)
        if isinstance(exc, json.JSONDecodeError | anthropic.APIResponseValidationError):
            return TransientModelError(f"{name}: malformed reply (not valid JSON)")
        if isinstance(exc, anthropic.AnthropicError):
            return ModelError(f"{name}: {type(exc).__name__}")
        raise exc
