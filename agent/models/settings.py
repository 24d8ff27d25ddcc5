"""Provider settings: how requests to a model are made, from flags, environment and files.

Precedence: flags, then the environment (`PERFAGENT_MODEL_<FIELD>`, e.g.
`PERFAGENT_MODEL_TIMEOUT=120`, `PERFAGENT_MODEL_PRICE='{"input": 0.5, "output": 1.5}'`), then
the `[tool.perfagent.llm]` table of the task's `pyproject.toml` (or `[llm]` in
`perfagent.toml`), then the defaults below::

    [tool.perfagent.llm]
    timeout = 120                 # seconds per HTTP request
    max_output_tokens = 4096
    temperature = 0.2
    reasoning_effort = "low"      # OpenAI reasoning models
    thinking_budget = 2048        # Anthropic extended thinking (tokens)
    extra_headers = {X-Team = "perf"}   # secret headers: use the environment, not a file
    context_window = 8192         # local servers: else asked of the server
    slots = 1                     # local servers: else asked of the server (llama.cpp)
    price = {input = 0.5, output = 1.5, cached_input = 0.05}   # USD per million tokens

Call `load_model_settings(flags, file)`; a bad value is a `BadInput` with one line.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from agent.exceptions import BadInput
from agent.models.pricing import Price


class PriceSetting(BaseModel):
    """A user-given price in US dollars per million tokens."""

    model_config = ConfigDict(extra="forbid")

    input: float = Field(ge=0)
    output: float = Field(ge=0)
    cached_input: float | None = Field(default=None, ge=0)
    """Cache reads; unset bills them at the input price."""
    cache_write: float | None = Field(default=None, ge=0)
    """Cache writes (Anthropic); unset bills them at the input price."""

    def to_price(self) -> Price:
        return Price(self.input, self.output, self.cached_input, self.cache_write)


class ModelSettings(BaseSettings):
    """How requests to the model are made (see the module docstring for where they come from)."""

    model_config = SettingsConfigDict(env_prefix="PERFAGENT_MODEL_", extra="forbid")

    timeout: float = Field(default=300.0, gt=0)
    """Seconds one HTTP request may take; a timed-out request is closed, then retried."""
    max_output_tokens: int = Field(default=8192, ge=16)
    """Reply tokens asked for at most (shrunk to fit a local server's context window)."""
    temperature: float | None = Field(default=None, ge=0, le=2)
    """None leaves the provider's default (some reasoning models accept no other)."""
    reasoning_effort: Literal["minimal", "low", "medium", "high"] | None = None
    """OpenAI reasoning models' effort (sent only when set)."""
    thinking_budget: int | None = Field(default=None, ge=1024)
    """Anthropic extended thinking budget in tokens (off when unset)."""
    extra_headers: dict[str, str] = Field(default_factory=dict)
    """Sent with every request (gateways); their values are treated as secrets."""
    context_window: int | None = Field(default=None, ge=256)
    """Tokens the model's context holds (prompt + reply); local servers are asked when unset."""
    slots: int | None = Field(default=None, ge=1)
    """Requests the server runs at once; llama.cpp is asked when unset (else no limit)."""
    price: PriceSetting | None = None
    """Overrides the built-in price table; required for a dollar budget on an unknown model."""
    prompt_cache: bool = True
    """Mark the stable prompt prefix for the provider's cache (Anthropic `cache_control`)."""
    structured_output: bool = True
    """Ask for plans through the provider's structured output (JSON schema)."""
    max_attempts: int = Field(default=5, ge=1)
    """HTTP attempts per query at most (the first included)."""
    max_retry_wait: float = Field(default=60.0, ge=0)
    """Longest single wait between attempts; a longer Retry-After ends the query."""


def _one_line(exc: ValidationError, where: str) -> str:
    first = exc.errors()[0]
    loc = ".".join(str(p) for p in first.get("loc", ())) or "value"
    return f"{where}: model setting {loc}: {first.get('msg', 'invalid')}"


def _from_env() -> dict[str, Any]:
    """The settings the environment sets (and only those)."""
    found = ModelSettings()
    return {k: getattr(found, k) for k in found.model_fields_set}


def stored_settings(settings: ModelSettings) -> dict[str, Any]:
    """What a run keeps in the store: every setting that differs from its default, except
    extra headers (they may carry credentials; they are read again when a run resumes)."""
    return settings.model_dump(mode="json", exclude_defaults=True, exclude={"extra_headers"})


def load_model_settings(
    flags: Mapping[str, Any] | None = None, file: Mapping[str, Any] | None = None
) -> ModelSettings:
    """Settings from `flags` (None values = not given) over the environment
    (`PERFAGENT_MODEL_*`) over `file` (the `[tool.perfagent.llm]` table) over the defaults.

    Raises `BadInput` with one line naming the source and the field of a bad value.
    """
    try:
        env = _from_env()
    except ValidationError as exc:
        raise BadInput(_one_line(exc, "environment (PERFAGENT_MODEL_*)")) from None
    given = {k: v for k, v in (flags or {}).items() if v is not None}
    file = dict(file or {})
    try:
        return ModelSettings(**{**file, **env, **given})
    except ValidationError as exc:
        key = str(exc.errors()[0].get("loc", ("",))[0])
        where = "flags" if key in given else "[tool.perfagent.llm]" if key in file else "settings"
        raise BadInput(_one_line(exc, where)) from None
