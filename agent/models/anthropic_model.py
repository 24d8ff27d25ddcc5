"""Anthropic's Messages API through the `anthropic` SDK (`--model anthropic:MODEL`).

The key comes from `ANTHROPIC_API_KEY` (`ANTHROPIC_BASE_URL` is honoured for gateways). The
SDK's own retries are off (`max_retries=0`): retries, backoff and Retry-After are handled,
bounded and tested in `agent.models.accounting`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Any

import anthropic

from agent.exceptions import ModelAuthError, ModelError
from agent.models.accounting import (
    OnCall,
    ProviderConfig,
    ProviderModel,
    RawReply,
    TransientModelError,
    status_error,
)
from agent.protocols import Message

DEFAULT_MODEL = "claude-sonnet-4-5"


def to_anthropic(messages: Sequence[Message]) -> tuple[str, list[dict[str, Any]]]:
    """System text and alternating user/assistant turns (same-role neighbours merged),
    starting with a user turn as the API requires."""
    system = "\n\n".join(m.content for m in messages if m.role == "system")
    turns: list[dict[str, Any]] = []
    for m in messages:
        if m.role == "system":
            continue
        if turns and turns[-1]["role"] == m.role:
            turns[-1]["content"] += "\n\n" + m.content
        else:
            turns.append({"role": m.role, "content": m.content})
    if not turns or turns[0]["role"] != "user":
        turns.insert(0, {"role": "user", "content": "Continue."})
    return system, turns


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
            api_key=api_key, base_url=base_url, max_retries=0, timeout=self.config.timeout_s
        )

    @classmethod
    def from_name(cls, arg: str) -> AnthropicModel:
        """`anthropic:MODEL`; the key from `ANTHROPIC_API_KEY` (required)."""
        model = arg.strip() or os.environ.get("PERFAGENT_ANTHROPIC_MODEL", DEFAULT_MODEL)
        key = os.environ.get("ANTHROPIC_API_KEY", "").strip()
        if not key:
            raise ModelAuthError("anthropic: ANTHROPIC_API_KEY is not set")
        base = os.environ.get("ANTHROPIC_BASE_URL", "").strip() or None
        return cls(model, api_key=key, base_url=base)

    def _send(self, messages: Sequence[Message]) -> RawReply:
        system, turns = to_anthropic(messages)
        kwargs: dict[str, Any] = {
            "model": self.model,
            "max_tokens": self.config.max_output_tokens,
            "messages": turns,
        }
        if system:
            kwargs["system"] = system
        if self.config.temperature is not None:
            kwargs["temperature"] = self.config.temperature
        resp = self._client.messages.create(**kwargs)
        blocks = getattr(resp, "content", None)
        if not isinstance(blocks, list):
            raise TransientModelError(f"{self.name}: malformed reply (no content)")
        text = "".join(
            str(getattr(b, "text", "")) for b in blocks if getattr(b, "type", "") == "text"
        )
        usage = getattr(resp, "usage", None)
        # Cached prompt tokens are billed too (cheaper, but counting them at the input price
        # errs on the safe side of a budget).
        tokens_in = sum(
            int(getattr(usage, f, 0) or 0)
            for f in ("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens")
        )
        return RawReply(
            content=text,
            model=str(getattr(resp, "model", None) or self.model),
            input_tokens=tokens_in,
            output_tokens=int(getattr(usage, "output_tokens", 0) or 0),
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
