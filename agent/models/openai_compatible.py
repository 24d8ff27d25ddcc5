"""Any server that speaks the OpenAI chat-completions API: ollama, vLLM, llama.cpp, ...

`--model openai-compatible:MODEL@BASE_URL`, or `openai-compatible:MODEL` with `OPENAI_BASE_URL`.
The key comes from `PERFAGENT_COMPATIBLE_API_KEY` (or `OPENAI_COMPATIBLE_API_KEY`); most
local servers need none. `OPENAI_API_KEY` is sent only when the base URL came from
`OPENAI_BASE_URL` (the usual pairing), so an OpenAI key never leaks to some other server
named on the command line. Local models have no price: their calls are recorded at 0 USD and
flagged `unpriced` (a `price` setting prices them, and is required for a dollar budget).

Local servers are first-class (`agent.models.local`): the context window is learned and every
request fits it, requests are serialized to a server with one slot, and structured output is
tried once per server and dropped for good when the server rejects `response_format`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from urllib.parse import urlparse

import openai

from agent.exceptions import BadInput
from agent.models.local import learn, server_info
from agent.models.openai_model import OpenAIModel
from agent.models.provider import OnCall, ProviderConfig, RawReply
from agent.models.settings import ModelSettings
from agent.protocols import Message, OutputSchema

UNSUPPORTED = (400, 404, 415, 422, 501)
"""Statuses with which servers reject a `response_format` they do not implement."""


class OpenAICompatibleModel(OpenAIModel):
    """A chat-completions model on an OpenAI-compatible server at `base_url`."""

    provider = "openai-compatible"
    key_env = "PERFAGENT_COMPATIBLE_API_KEY"
    max_tokens_field = "max_tokens"

    def __init__(
        self,
        model: str,
        *,
        base_url: str,
        api_key: str | None = None,
        config: ProviderConfig | None = None,
        on_call: OnCall | None = None,
    ) -> None:
        super().__init__(model, api_key=api_key, base_url=base_url, config=config, on_call=on_call)
        # The name is recorded in the store and reports: never with credentials in the URL.
        parsed = urlparse(base_url)
        host = parsed.hostname or ""
        host = f"[{host}]" if ":" in host else host
        netloc = f"{host}:{parsed.port}" if parsed.port else host
        self.name = f"{self.provider}:{model}@{parsed._replace(netloc=netloc).geturl()}"
        self._api_key = api_key
        self._learned: tuple[int | None, int | None] | None = None

    def _facts(self) -> tuple[int | None, int | None]:
        """(context window, slots): settings, else asked of the server once."""
        if self._learned is None:
            headers = dict(self.config.extra_headers)
            if self._api_key:
                headers["Authorization"] = f"Bearer {self._api_key}"
            self._learned = learn(
                self.base_url or "",
                self.model,
                headers,
                self.config.context_window,
                self.config.slots,
            )
        return self._learned

    def context_window(self) -> int | None:
        return self._facts()[0]

    @contextlib.contextmanager
    def _slot(self) -> Iterator[None]:
        self._facts()
        gate = server_info(self.base_url or "").gate
        if gate is None:
            yield
            return
        with gate:
            yield

    def _send(
        self, messages: Sequence[Message], schema: OutputSchema | None, max_tokens: int
    ) -> RawReply:
        info = server_info(self.base_url or "")
        if schema is None or info.structured is False:
            return super()._send(messages, None, max_tokens)
        try:
            raw = super()._send(messages, schema, max_tokens)
        except openai.APIStatusError as exc:
            if info.structured is not None or exc.status_code not in UNSUPPORTED:
                raise
            # Ask again in text; if that works, the schema was what the server refused.
            raw = super()._send(messages, None, max_tokens)
            info.structured = False
            return raw
        info.structured = True
        return raw

    @classmethod
    def from_name(cls, arg: str, settings: ModelSettings | None = None) -> OpenAICompatibleModel:
        """`MODEL@BASE_URL` or `MODEL` with `OPENAI_BASE_URL` set."""
        model, sep, base = arg.strip().partition("@")
        model, base = model.strip(), base.strip()
        env_base = os.environ.get("OPENAI_BASE_URL", "").strip()
        if not sep:
            base = env_base
        if not model:
            raise BadInput("openai-compatible needs a model: openai-compatible:MODEL@BASE_URL")
        if not base:
            raise BadInput(
                "openai-compatible needs a server: openai-compatible:MODEL@BASE_URL "
                "or set OPENAI_BASE_URL"
            )
        parsed = urlparse(base)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise BadInput(f"openai-compatible: {base!r} is not an http(s) URL")
        key = os.environ.get("PERFAGENT_COMPATIBLE_API_KEY") or os.environ.get(
            "OPENAI_COMPATIBLE_API_KEY"
        )
        if not key and base == env_base:
            key = os.environ.get("OPENAI_API_KEY")
        config = ProviderConfig.from_settings(settings) if settings else None
        return cls(model, base_url=base, api_key=(key or "").strip() or None, config=config)
