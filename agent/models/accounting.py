"""Model budgets: calls, dollars and wall time checked in one place, BEFORE each call.

`BudgetedModel` wraps any `Model`; `Ledger` is what it has spent; `llm_call_fields` is what the
store keeps of one reply. Pricing lives in `agent.models.pricing`, retries in
`agent.models.retries`, the adapters' shared body in `agent.models.provider`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from agent.exceptions import BadInput, BudgetExhausted
from agent.protocols import Message, Model, OutputSchema, Reply, StructuredModel

__all__ = ["BudgetedModel", "Ledger", "llm_call_fields", "require_price"]


def llm_call_fields(reply: Reply) -> dict[str, Any]:
    """The `LLMCall` columns a reply fills (tokens, cached tokens, dollars, latency)."""
    return {
        "input_tokens": reply.input_tokens,
        "output_tokens": reply.output_tokens,
        "cached_input_tokens": reply.cached_input_tokens,
        "cache_write_tokens": reply.cache_write_tokens,
        "cost_usd": reply.cost_usd,
        "latency_s": reply.latency_s,
    }


def require_price(model: Any, max_cost_usd: float | None) -> None:
    """`BadInput` when a dollar budget is asked of a model whose price is unknown: its calls
    would be counted at 0 USD and the budget would never stop it."""
    if max_cost_usd and getattr(model, "unpriced", False):
        name = getattr(model, "name", "the model")
        raise BadInput(
            f"{name} has no known price, so a dollar budget cannot be kept: set "
            "price = {input = ..., output = ...} (USD per million tokens) in "
            "[tool.perfagent.llm] or PERFAGENT_MODEL_PRICE, or set the dollar budget to 0"
        )


@dataclass
class Ledger:
    """What a budgeted model has spent so far."""

    calls: int = 0
    failed_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    cached_input_tokens: int = 0
    cache_write_tokens: int = 0
    unpriced_calls: int = 0
    """Calls whose model has no price in the table (recorded at 0 USD)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "calls": self.calls,
            "failed_calls": self.failed_calls,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "cached_input_tokens": self.cached_input_tokens,
            "cache_write_tokens": self.cache_write_tokens,
            "cost_usd": round(self.cost_usd, 6),
            "unpriced_calls": self.unpriced_calls,
        }


class BudgetedModel:
    """A model that refuses to make a call once a budget is spent (checked BEFORE each call).

    Limits: `max_calls` (failed calls count: they may cost), `max_cost_usd` (spent so far plus
    the next call's worst case when the inner model can tell it, so a single call cannot
    overshoot), `max_wall_s` (since the wrapper was made). `None` or 0 means no limit. Raises
    `BudgetExhausted` with the limit that was hit. Thread-safe. A dollar budget on a model
    without a price is refused at construction (`require_price`).
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
        require_price(inner, max_cost_usd)
        self.inner = inner
        self.name = inner.name
        self.max_calls = max_calls or None
        self.max_cost_usd = max_cost_usd or None
        self.max_wall_s = max_wall_s or None
        self._clock = clock
        self._started = clock()
        self._lock = threading.Lock()
        self.ledger = Ledger()
        self._reserved = 0.0
        """Worst-case cost of the calls in flight (several may overlap: a coder, a planner and a
        review), so that together they cannot overshoot the dollar budget either."""

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
            next_cost = self._worst(messages)
            if spent.cost_usd + self._reserved + next_cost > self.max_cost_usd:
                raise BudgetExhausted(
                    f"model cost budget of ${self.max_cost_usd:.2f} would be exceeded: "
                    f"${spent.cost_usd:.4f} spent, the next call may cost ${next_cost:.4f}"
                )

    def _worst(self, messages: Sequence[Message]) -> float:
        worst = getattr(self.inner, "worst_case_cost", None)
        return float(worst(messages)) if callable(worst) and messages else 0.0

    def query(self, messages: Sequence[Message]) -> Reply:
        return self._spend(messages, lambda: self.inner.query(messages))

    def query_structured(self, messages: Sequence[Message], schema: OutputSchema) -> Reply:
        """The inner model's structured query, or its plain one when it has none."""
        inner = self.inner
        if isinstance(inner, StructuredModel):
            return self._spend(messages, lambda: inner.query_structured(messages, schema))
        return self.query(messages)

    def _spend(self, messages: Sequence[Message], call: Callable[[], Reply]) -> Reply:
        with self._lock:
            self.check(messages)
            self.ledger.calls += 1
            held = self._worst(messages) if self.max_cost_usd is not None else 0.0
            self._reserved += held
        try:
            reply = call()
        except BudgetExhausted:
            raise
        except Exception:
            with self._lock:
                self.ledger.failed_calls += 1
            raise
        finally:
            with self._lock:
                self._reserved -= held
        with self._lock:
            spent = self.ledger
            spent.input_tokens += reply.input_tokens
            spent.output_tokens += reply.output_tokens
            spent.cached_input_tokens += reply.cached_input_tokens
            spent.cache_write_tokens += reply.cache_write_tokens
            spent.cost_usd += reply.cost_usd
            if getattr(self.inner, "unpriced", False):
                spent.unpriced_calls += 1
        return reply
