"""OpenAI chat completions through the `openai` SDK (`--model openai:MODEL`).

The key comes from `OPENAI_API_KEY`. The SDK's own retries are off (`max_retries=0`): retries,
backoff and Retry-After are handled, bounded and tested in `agent.models.retries` (which says
why). Prompt caching is automatic on OpenAI for prompts of 1024 tokens and more: callers put
the stable prefix first, and `usage.prompt_tokens_details.cached_tokens` reports the hits.
Structured output is `response_format` with a strict JSON schema.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Any

import openai

from agent.exceptions import ModelAuthError, ModelError
from agent.models.pricing import Usage
from agent.models.provider import OnCall, ProviderConfig, ProviderModel, RawReply
from agent.models.retries import TransientModelError, status_error
from agent.models.settings import ModelSettings
from agent.protocols import Message, OutputSchema

DEFAULT_MODEL = "gpt-4.1"


class OpenAIModel(ProviderModel):
    """A chat-completions model on api.openai.com (or on `base_url`)."""

    provider = "openai"
    key_env = "OPENAI_API_KEY"
    max_tokens_field = "max_completion_tokens"
    """OpenAI's current name; older OpenAI-compatible servers only know `max_tokens`."""

    def __init__(
        self,
        model: str,
        *,
        api_key: str | None,
        base_url: str | None = None,
        config: ProviderConfig | None = None,
        on_call: OnCall | None = None,
    ) -> None:
        super().__init__(model, config=config, on_call=on_call, secrets=(api_key or "",))
        self.base_url = base_url
        self._client = openai.OpenAI(
            # The SDK insists on a key; keyless local servers ignore whatever is sent.
            api_key=api_key or "no-key",
            base_url=base_url,
            max_retries=0,
            timeout=self.config.timeout_s,
            default_headers=dict(self.config.extra_headers) or None,
        )

    @classmethod
    def from_name(cls, arg: str, settings: ModelSettings | None = None) -> OpenAIModel:
        """`openai:MODEL`; the key from `OPENAI_API_KEY` (required)."""
        model = arg.strip() or os.environ.get("PERFAGENT_OPENAI_MODEL", DEFAULT_MODEL)
        key = os.environ.get("OPENAI_API_KEY", "").strip()
        if not key:
            raise ModelAuthError("openai: OPENAI_API_KEY is not set")
        base = os.environ.get("OPENAI_BASE_URL", "").strip() or None
        config = ProviderConfig.from_settings(settings) if settings else None
        return cls(model, api_key=key, base_url=base, config=config)

    def _request(
        self, messages: Sequence[Message], schema: OutputSchema | None, max_tokens: int
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            self.max_tokens_field: max_tokens,
        }
        if self.config.temperature is not None:
            body["temperature"] = self.config.temperature
        if self.config.reasoning_effort:
            body["reasoning_effort"] = self.config.reasoning_effort
        if schema is not None:
            body["response_format"] = response_format(schema)
        return body

    def _send(
        self, messages: Sequence[Message], schema: OutputSchema | None, max_tokens: int
    ) -> RawReply:
        resp = self._client.chat.completions.create(**self._request(messages, schema, max_tokens))
        return self._parse(resp)

    def _parse(self, resp: Any) -> RawReply:
        choices = getattr(resp, "choices", None)
        if not choices:
            raise TransientModelError(f"{self.name}: malformed reply (no choices)")
        message = getattr(choices[0], "message", None)
        content = getattr(message, "content", None)
        if not isinstance(content, str):
            refusal = getattr(message, "refusal", None)
            if refusal:
                raise ModelError(f"{self.name}: the model refused: {' '.join(refusal.split())}")
            raise TransientModelError(f"{self.name}: malformed reply (no message text)")
        return RawReply(
            content=content,
            model=str(getattr(resp, "model", None) or self.model),
            usage=openai_usage(getattr(resp, "usage", None)),
            truncated=getattr(choices[0], "finish_reason", "") == "length",
        )

    def _classify(self, exc: Exception) -> Exception:
        return classify_openai_error(self.name, exc, self.key_env)


def response_format(schema: OutputSchema) -> dict[str, Any]:
    """A strict `json_schema` response format for chat completions."""
    return {
        "type": "json_schema",
        "json_schema": {
            "name": schema.name,
            "description": schema.description,
            "schema": dict(schema.schema),
            "strict": True,
        },
    }


def openai_usage(usage: Any) -> Usage:
    """Tokens as chat completions report them; cached prompt tokens are part of
    `prompt_tokens` and counted again in `prompt_tokens_details.cached_tokens`."""
    details = getattr(usage, "prompt_tokens_details", None)
    return Usage(
        input_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
        output_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
        cached_input_tokens=int(getattr(details, "cached_tokens", 0) or 0),
    )


def classify_openai_error(name: str, exc: Exception, key_env: str) -> Exception:
    """Map an `openai` SDK exception to our error classes (never with the response body)."""
    if isinstance(exc, openai.APITimeoutError):
        return TransientModelError(f"{name}: the request timed out")
    if isinstance(exc, openai.APIConnectionError):
        return TransientModelError(f"{name}: connection failed ({type(exc.__cause__).__name__})")
    if isinstance(exc, openai.APIStatusError):
        return status_error(name, exc.status_code, dict(exc.response.headers), key_env)
    if isinstance(exc, json.JSONDecodeError | openai.APIResponseValidationError):
        return TransientModelError(f"{name}: malformed reply (not valid JSON)")
    if isinstance(exc, openai.OpenAIError):
        return ModelError(f"{name}: {type(exc).__name__}")
    raise exc
