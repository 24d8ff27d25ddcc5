"""Any server that speaks the OpenAI chat-completions API: ollama, vLLM, llama.cpp, ...

`--model openai-compatible:MODEL@BASE_URL`, or `openai-compatible:MODEL` with `OPENAI_BASE_URL`.
The key comes from `PERFAGENT_COMPATIBLE_API_KEY` (or `OPENAI_COMPATIBLE_API_KEY`); most
local servers need none. `OPENAI_API_KEY` is sent only when the base URL came from
`OPENAI_BASE_URL` (the usual pairing), so an OpenAI key never leaks to some other server
named on the command line. Local models have no price: their calls are recorded at 0 USD and
flagged `unpriced`.
"""

from __future__ import annotations

import os
from urllib.parse import urlparse

from agent.exceptions import BadInput
from agent.models.accounting import OnCall, ProviderConfig
from agent.models.openai_model import OpenAIModel


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

    @classmethod
    def from_name(cls, arg: str) -> OpenAICompatibleModel:
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
        return cls(model, base_url=base, api_key=(key or "").strip() or None)
