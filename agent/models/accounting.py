"""What model calls cost and how they are retried and bounded.

- `PRICES` / `cost_of`: a small per-model pricing table (USD per million tokens); an unknown
  model costs 0 and is flagged (`Cost.priced is False`) instead of guessed.
- `RetryPolicy` / `call_with_retries`: our own bounded retry loop with exponential backoff that
  honours `Retry-After`; the SDKs' retries are disabled so this is the only one (and tested).
- `ProviderModel`: the shared body of the provider adapters (retries, timing, cost, `on_call`).
- `BudgetedModel`: calls, dollars and wall time checked in one place, BEFORE each call.
"""

from __future__ import annotations

import email.utils
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from agent.exceptions import BudgetExhausted, ModelAuthError, ModelError
from agent.protocols import Message, Model, Reply
from sandbox.secrets import redact

OnCall = Callable[[Sequence[Message], Reply | None, BaseException | None], None]
"""Told about every finished call: (messages, reply, None) or (messages, None, error)."""

T = TypeVar("T")


# pricing -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Price:
    """List price of one model in US dollars per million tokens."""

    input_per_mtok: float
    output_per_mtok: float


PRICES: dict[str, Price] = {
    # Anthropic (Messages API list prices)
    "claude-opus-4-1": Price(15.0, 75.0),
    "claude-opus-4": Price(15.0, 75.0),
    "claude-opus-4-5": Price(5.0, 25.0),
    "claude-sonnet-4-5": Price(3.0, 15.0),
    "claude-sonnet-4": Price(3.0, 15.0),
    "claude-3-7-sonnet": Price(3.0, 15.0),
    "claude-3-5-sonnet": Price(3.0, 15.0),
    "claude-haiku-4-5": Price(1.0, 5.0),
    "claude-3-5-haiku": Price(0.8, 4.0),
    "claude-3-haiku": Price(0.25, 1.25),
    # OpenAI (chat completions list prices)
    "gpt-5": Price(1.25, 10.0),
    "gpt-5-mini": Price(0.25, 2.0),
    "gpt-5-nano": Price(0.05, 0.4),
    "gpt-4.1": Price(2.0, 8.0),
    "gpt-4.1-mini": Price(0.4, 1.6),
    "gpt-4.1-nano": Price(0.1, 0.4),
    "gpt-4o": Price(2.5, 10.0),
    "gpt-4o-mini": Price(0.15, 0.6),
    "o3": Price(2.0, 8.0),
    "o4-mini": Price(1.1, 4.4),
}


@dataclass(frozen=True)
class Cost:
    usd: float
    priced: bool
    """False when the model is not in the table: the cost is then 0, not a guess."""


def price_of(model: str) -> Price | None:
    """The table entry for a model name; dated snapshots ("gpt-4o-2024-08-06") match their
    family, and the longest matching family wins ("gpt-4o-mini" before "gpt-4o")."""
    name = model.lower().rsplit("/", 1)[-1]
    if name in PRICES:
        return PRICES[name]
    for key in sorted(PRICES, key=len, reverse=True):
        if name.startswith(key + "-") or name.startswith(key + "@"):
            return PRICES[key]
    return None


def cost_of(model: str, input_tokens: int, output_tokens: int) -> Cost:
    price = price_of(model)
    if price is None:
        return Cost(0.0, priced=False)
    usd = (input_tokens * price.input_per_mtok + output_tokens * price.output_per_mtok) / 1e6
    return Cost(usd, priced=True)


def estimate_tokens(text: str) -> int:
    """Rough token count (about four characters per token) for budgets and context sizing."""
    return (len(text) + 3) // 4


# retries -------------------------------------------------------------------------------------
class TransientModelError(ModelError):
    """A failure worth retrying (429, 5xx, timeout, connection reset, garbled reply)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded exponential backoff for transient provider failures."""

    max_attempts: int = 5
    """Calls at most for one query, the first included."""
    base_delay_s: float = 1.0
    """Wait before the first retry; doubled each retry (with ±25 % jitter)."""
    max_delay_s: float = 60.0
    """Longest single wait. A Retry-After above this ends the query instead of sleeping."""
    max_total_wait_s: float = 180.0
    """Longest total wait across retries of one query."""
    jitter: float = 0.25


def parse_retry_after(headers: Mapping[str, str] | None, now: float | None = None) -> float | None:
    """Seconds to wait from `retry-after-ms`, or `Retry-After` as seconds or an HTTP date."""
    if not headers:
        return None
    lower = {k.lower(): v for k, v in headers.items()}
    raw_ms = lower.get("retry-after-ms")
    if raw_ms:
        try:
            return max(0.0, float(raw_ms) / 1000.0)
        except ValueError:
            pass
    raw = lower.get("retry-after")
    if not raw:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def call_with_retries(
    call: Callable[[], T],
    policy: RetryPolicy,
    *,
    sleep: Callable[[float], None] = time.sleep,
    rng: random.Random | None = None,
) -> T:
    """Run `call`, retrying only `TransientModelError`s, within `policy`'s bounds.

    Any other exception (auth, bad request, budget) passes through at once. When retries are
    spent the last transient error is raised as a plain `ModelError` saying how often it tried.
    """
    rng = rng or random.Random()
    waited = 0.0
    for attempt in range(1, policy.max_attempts + 1):
        try:
            return call()
        except TransientModelError as exc:
            if attempt >= policy.max_attempts:
                raise ModelError(f"{exc} (gave up after {attempt} attempts)") from exc
            if exc.retry_after is not None:
                delay = exc.retry_after
                if delay > policy.max_delay_s:
                    raise ModelError(
                        f"{exc} (server asks to wait {delay:.0f} s, more than the "
                        f"{policy.max_delay_s:.0f} s limit)"
                    ) from exc
            else:
                delay = min(policy.max_delay_s, policy.base_delay_s * 2 ** (attempt - 1))
                delay *= 1 + rng.uniform(-policy.jitter, policy.jitter)
            if waited + delay > policy.max_total_wait_s:
                raise ModelError(
                    f"{exc} (gave up after {attempt} attempts and {waited:.0f} s of waiting)"
                ) from exc
            sleep(delay)
            waited += delay
    raise AssertionError("unreachable")  # pragma: no cover


# the shared adapter body ---------------------------------------------------------------------
@dataclass(frozen=True)
class RawReply:
    """What a provider returned, before accounting."""

    content: str
    model: str
    input_tokens: int
    output_tokens: int


@dataclass
class ProviderConfig:
    """Knobs shared by the provider adapters."""

    timeout_s: float = 300.0
    """Per-HTTP-request timeout; a timeout counts as a transient failure."""
    max_output_tokens: int = 8192
    """Upper bound on reply tokens (also the worst case a budget check assumes)."""
    temperature: float | None = None
    """None leaves the provider's default (some reasoning models accept no other)."""
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    sleep: Callable[[float], None] = time.sleep
    """How retries wait; tests pass a recorder instead of sleeping."""


class ProviderModel:
    """Base of the HTTP provider adapters: retries, timing, cost and the `on_call` report.

    Subclasses implement `_send(messages) -> RawReply` and `_classify(exc) -> Exception`,
    mapping SDK errors to `TransientModelError`, `ModelAuthError` or `ModelError`.
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
        self._secrets = tuple(s for s in secrets if s)
        self.unpriced = price_of(model) is None
        """True when this model's calls are recorded at cost 0 because its price is unknown."""

    def _send(self, messages: Sequence[Message]) -> RawReply:  # pragma: no cover - abstract
        raise NotImplementedError

    def _classify(self, exc: Exception) -> Exception:  # pragma: no cover - abstract
        raise NotImplementedError

    def _attempt(self, messages: Sequence[Message]) -> RawReply:
        try:
            return self._send(messages)
        except ModelError:
            raise
        except Exception as exc:  # SDK errors come in many classes; _classify sorts them
            mapped = self._classify(exc)
            if isinstance(mapped, ModelError):
                # One line, and never a key: the SDK's message may echo it.
                text = redact(" ".join(str(mapped).split()), self._secrets)
                mapped.args = (text, *mapped.args[1:])
            raise mapped from None

    def worst_case_cost(self, messages: Sequence[Message]) -> float:
        """Dollars the next call could cost at most (input estimate + full output budget)."""
        tokens_in = sum(estimate_tokens(m.content) for m in messages)
        return cost_of(self.model, tokens_in, self.config.max_output_tokens).usd

    def query(self, messages: Sequence[Message]) -> Reply:
        if not messages:
            raise ModelError(f"{self.name}: no messages to send")
        started = time.monotonic()
        try:
            raw = call_with_retries(
                lambda: self._attempt(messages), self.config.retry, sleep=self.config.sleep
            )
            if not raw.content.strip():
                raise ModelError(f"{self.name}: the model returned an empty reply")
        except BaseException as exc:
            if self.on_call is not None:
                self.on_call(messages, None, exc)
            raise
        cost = cost_of(raw.model or self.model, raw.input_tokens, raw.output_tokens)
        reply = Reply(
            content=raw.content,
            model=raw.model or self.model,
            input_tokens=raw.input_tokens,
            output_tokens=raw.output_tokens,
            cost_usd=cost.usd,
            latency_s=time.monotonic() - started,
        )
        if self.on_call is not None:
            self.on_call(messages, reply, None)
        return reply


def status_error(
    provider: str, status: int, headers: Mapping[str, str] | None, key_env: str
) -> ModelError:
    """The error for an HTTP status from a provider, in one line and without the body."""
    if status in (401, 403):
        return ModelAuthError(
            f"{provider}: the API key was rejected (HTTP {status}); check {key_env}"
            if key_env
            else f"{provider}: the server refused the request (HTTP {status}); check its API key"
        )
    if status in (408, 409, 425, 429) or status >= 500:
        what = "rate limited" if status == 429 else f"server error HTTP {status}"
        return TransientModelError(f"{provider}: {what}", parse_retry_after(headers))
    return ModelError(f"{provider}: request rejected (HTTP {status})")


# budgets -------------------------------------------------------------------------------------
@dataclass
class Ledger:
    """What a budgeted model has spent so far."""

    calls: int = 0
    failed_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    unpriced_calls: int = 0
    """Calls whose model has no price in the table (recorded at 0 USD)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "calls": self.calls,
            "failed_calls": self.failed_calls,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "cost_usd": round(self.cost_usd, 6),
            "unpriced_calls": self.unpriced_calls,
        }


class BudgetedModel:
    """A model that refuses to make a call once a budget is spent (checked BEFORE each call).

    Limits: `max_calls` (failed calls count: they may cost), `max_cost_usd` (spent so far plus
    the next call's worst case when the inner model can tell it, so a single call cannot
    overshoot), `max_wall_s` (since the wrapper was made). `None` or 0 means no limit. Raises
    `BudgetExhausted` with the limit that was hit. Thread-safe.
    """

    def __init__(
        self,
        inner: Model,
        *,
        max_calls: int | None = None,
        max_cost_usd: float | None = None,
        max_wall_s: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.inner = inner
        self.name = inner.name
        self.max_calls = max_calls or None
        self.max_cost_usd = max_cost_usd or None
        self.max_wall_s = max_wall_s or None
        self._clock = clock
        self._started = clock()
        self._lock = threading.Lock()
        self.ledger = Ledger()

    def check(self, messages: Sequence[Message] = ()) -> None:
        """Raise `BudgetExhausted` if the next call would break a limit."""
        spent = self.ledger
        if self.max_calls is not None and spent.calls >= self.max_calls:
            raise BudgetExhausted(f"model call budget of {self.max_calls} calls spent")
        if self.max_wall_s is not None and self._clock() - self._started >= self.max_wall_s:
            raise BudgetExhausted(f"model wall-time budget of {self.max_wall_s:.0f} s spent")
        if self.max_cost_usd is not None:
            if spent.cost_usd >= self.max_cost_usd:
                raise BudgetExhausted(
                    f"model cost budget of ${self.max_cost_usd:.2f} spent (${spent.cost_usd:.4f})"
                )
            worst = getattr(self.inner, "worst_case_cost", None)
            next_cost = float(worst(messages)) if callable(worst) and messages else 0.0
            if spent.cost_usd + next_cost > self.max_cost_usd:
                raise BudgetExhausted(
                    f"model cost budget of ${self.max_cost_usd:.2f} would be exceeded: "
                    f"${spent.cost_usd:.4f} spent, the next call may cost ${next_cost:.4f}"
                )

    def query(self, messages: Sequence[Message]) -> Reply:
        with self._lock:
            self.check(messages)
            self.ledger.calls += 1
        try:
            reply = self.inner.query(messages)
        except BudgetExhausted:
            raise
        except Exception:
            with self._lock:
                self.ledger.failed_calls += 1
            raise
        with self._lock:
            self.ledger.input_tokens += reply.input_tokens
            self.ledger.output_tokens += reply.output_tokens
            self.ledger.cost_usd += reply.cost_usd
            if getattr(self.inner, "unpriced", False):
                self.ledger.unpriced_calls += 1
        return reply
