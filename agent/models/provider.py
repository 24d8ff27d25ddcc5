"""The shared body of the HTTP provider adapters.

`ProviderModel.query` (and `query_structured`) does, in order: fit the output allowance into
the model's context window (when it is known), hold one of the server's slots (when it has a
limit), send with bounded retries (`agent.models.retries`), retry an empty reply once with a
larger allowance, then price every token of every attempt that returned (cache reads and
writes at their own rates) and tell `on_call`.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from agent.exceptions import ModelError
from agent.llm.context import estimate_tokens
from agent.models.pricing import Price, Usage, cost_of_usage, price_of
from agent.models.retries import RetryPolicy, call_with_retries
from agent.models.settings import ModelSettings
from agent.protocols import Message, OutputSchema, Reply
from sandbox.secrets import redact

OnCall = Callable[[Sequence[Message], Reply | None, BaseException | None], None]
"""Told about every finished call: (messages, reply, None) or (messages, None, error)."""

MIN_REPLY_TOKENS = 256
"""The smallest output allowance worth a request; a prompt leaving less room is refused."""
PROMPT_MARGIN = 1.15
"""Prompt estimates (four characters a token) are raised by this much before fitting a
window: code tokenizes denser than prose, and a request that overflows costs a round trip."""
TOKENS_PER_MESSAGE = 8
"""Chat-template overhead per message (role markers, separators)."""


def prompt_tokens(messages: Sequence[Message]) -> int:
    """A deliberately high estimate of the prompt tokens of `messages` (for fitting windows)."""
    body = sum(estimate_tokens(m.content) + TOKENS_PER_MESSAGE for m in messages)
    return int(body * PROMPT_MARGIN) + 16


@dataclass(frozen=True)
class RawReply:
    """What a provider returned, before accounting."""

    content: str
    model: str
    usage: Usage = field(default_factory=Usage)
    truncated: bool = False
    """The reply stopped at the output allowance."""


@dataclass
class ProviderConfig:
    """Knobs shared by the provider adapters (`from_settings` builds it from user settings)."""

    timeout_s: float = 300.0
    """Per-HTTP-request timeout; a timed-out request is closed and counts as transient."""
    max_output_tokens: int = 8192
    """Upper bound on reply tokens (also the worst case a budget check assumes)."""
    temperature: float | None = None
    """None leaves the provider's default (some reasoning models accept no other)."""
    reasoning_effort: str | None = None
    thinking_budget: int | None = None
    extra_headers: Mapping[str, str] = field(default_factory=dict)
    context_window: int | None = None
    slots: int | None = None
    price: Price | None = None
    """Overrides the price table (None: the table's entry, if any)."""
    prompt_cache: bool = True
    structured_output: bool = True
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    sleep: Callable[[float], None] = time.sleep
    """How retries wait; tests pass a recorder instead of sleeping."""

    @classmethod
    def from_settings(cls, settings: ModelSettings, **overrides: Any) -> ProviderConfig:
        s = settings
        retry = RetryPolicy(max_attempts=s.max_attempts, max_delay_s=s.max_retry_wait)
        values: dict[str, Any] = {
            "timeout_s": s.timeout,
            "max_output_tokens": s.max_output_tokens,
            "temperature": s.temperature,
            "reasoning_effort": s.reasoning_effort,
            "thinking_budget": s.thinking_budget,
            "extra_headers": dict(s.extra_headers),
            "context_window": s.context_window,
            "slots": s.slots,
            "price": s.price.to_price() if s.price else None,
            "prompt_cache": s.prompt_cache,
            "structured_output": s.structured_output,
            "retry": retry,
        }
        return cls(**{**values, **overrides})


class ProviderModel:
    """Base of the HTTP provider adapters.

    Subclasses implement `_send(messages, schema, max_tokens) -> RawReply` and
    `_classify(exc) -> Exception` (SDK errors to `TransientModelError`, `ModelAuthError` or
    `ModelError`); local servers override `context_window` and `_slot`.
    """

    provider = "model"

    def __init__(
        self,
        model: str,
        *,
        config: ProviderConfig | None = None,
        on_call: OnCall | None = None,
        secrets: Sequence[str] = (),
    ) -> None:
        self.model = model
        self.name = f"{self.provider}:{model}"
        self.config = config or ProviderConfig()
        self.on_call = on_call
        headers = tuple(self.config.extra_headers.values())
        self._secrets = tuple(s for s in (*secrets, *headers) if s)
        self.price = self.config.price or price_of(model)
        self.unpriced = self.price is None
        """True when this model's calls are recorded at cost 0 because its price is unknown."""

    # what subclasses provide -----------------------------------------------------------------
    def _send(
        self, messages: Sequence[Message], schema: OutputSchema | None, max_tokens: int
    ) -> RawReply:  # pragma: no cover - abstract
        raise NotImplementedError

    def _classify(self, exc: Exception) -> Exception:  # pragma: no cover - abstract
        raise NotImplementedError

    def context_window(self) -> int | None:
        """Tokens the model's context holds, when known (prompt and reply together)."""
        return self.config.context_window

    @contextlib.contextmanager
    def _slot(self) -> Iterator[None]:
        """Held around each HTTP attempt (local servers with few slots serialize here)."""
        yield

    # the call --------------------------------------------------------------------------------
    def output_allowance(self, messages: Sequence[Message], want: int | None = None) -> int:
        """Reply tokens to ask for: `want` (default `max_output_tokens`) shrunk so that prompt
        and reply fit the context window; `ModelError` when the prompt alone leaves no room."""
        want = want or self.config.max_output_tokens
        window = self.context_window()
        if window is None:
            return want
        needed = prompt_tokens(messages)
        room = window - needed
        if room < min(MIN_REPLY_TOKENS, want):
            raise ModelError(
                f"{self.name}: the prompt (about {needed} tokens) does not fit the model's "
                f"context window of {window} tokens with room for a reply"
            )
        return min(want, room)

    def _attempt(
        self, messages: Sequence[Message], schema: OutputSchema | None, max_tokens: int
    ) -> RawReply:
        try:
            with self._slot():
                return self._send(messages, schema, max_tokens)
        except ModelError:
            raise
        except Exception as exc:  # SDK errors come in many classes; _classify sorts them
            mapped = self._classify(exc)
            if isinstance(mapped, ModelError):
                # One line, and never a key: the SDK's message may echo it.
                text = redact(" ".join(str(mapped).split()), self._secrets)
                mapped.args = (text, *mapped.args[1:])
            raise mapped from None

    def _call(
        self, messages: Sequence[Message], schema: OutputSchema | None, max_tokens: int
    ) -> RawReply:
        return call_with_retries(
            lambda: self._attempt(messages, schema, max_tokens),
            self.config.retry,
            sleep=self.config.sleep,
        )

    def worst_case_cost(self, messages: Sequence[Message]) -> float:
        """Dollars the next query could cost at most: its prompt twice and three full output
        allowances (an empty reply is asked again once with twice the allowance)."""
        if self.price is None:
            return 0.0
        tokens_in = sum(estimate_tokens(m.content) for m in messages)
        usage = Usage(2 * tokens_in, 3 * self.config.max_output_tokens)
        return cost_of_usage(self.model, usage, price=self.price).usd

    def query(self, messages: Sequence[Message]) -> Reply:
        return self._query(messages, None)

    def query_structured(self, messages: Sequence[Message], schema: OutputSchema) -> Reply:
        if not self.config.structured_output:
            return self._query(messages, None)
        return self._query(messages, schema)

    def _query(self, messages: Sequence[Message], schema: OutputSchema | None) -> Reply:
        if not messages:
            raise ModelError(f"{self.name}: no messages to send")
        started = time.monotonic()
        try:
            allowance = self.output_allowance(messages)
            raw = self._call(messages, schema, allowance)
            usage = raw.usage
            if not raw.content.strip():
                # A reasoning model may spend its whole allowance thinking: once more, with
                # twice the room (what the window allows).
                larger = self.output_allowance(messages, 2 * allowance)
                raw = self._call(messages, schema, larger)
                usage = usage + raw.usage
                if not raw.content.strip():
                    why = ", stopped at the allowance" if raw.truncated else ""
                    raise ModelError(
                        f"{self.name}: the model returned an empty reply twice "
                        f"(output allowance {allowance}, then {larger} tokens{why})"
                    )
        except BaseException as exc:
            if self.on_call is not None:
                self.on_call(messages, None, exc)
            raise
        model = raw.model or self.model
        cost = cost_of_usage(model, usage, price=self.config.price)
        reply = Reply(
            content=raw.content,
            model=model,
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            cost_usd=cost.usd,
            latency_s=time.monotonic() - started,
            cached_input_tokens=usage.cached_input_tokens,
            cache_write_tokens=usage.cache_write_tokens,
        )
        if self.on_call is not None:
            self.on_call(messages, reply, None)
        return reply
