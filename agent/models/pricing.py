"""What model calls cost: list prices per model, cached prompt tokens included.

Prices are US dollars per million tokens. Providers bill cached prompt tokens differently:
Anthropic charges a premium to write the cache (1.25 x input for the 5-minute cache) and a
tenth of the input price to read it; OpenAI writes for free and reads at its discounted
"cached input" price. An unknown model has no price (`price_of` -> None): its calls cost 0 and
are flagged, and a dollar budget is refused for it (`agent.models.accounting.BudgetedModel`)
unless the user gives a `price` setting.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Price:
    """List price of one model in US dollars per million tokens."""

    input_per_mtok: float
    output_per_mtok: float
    cached_input_per_mtok: float | None = None
    """Reading cached prompt tokens; None bills them as plain input (no discount assumed)."""
    cache_write_per_mtok: float | None = None
    """Writing the prompt cache (Anthropic); None bills it as plain input."""


@dataclass(frozen=True)
class Usage:
    """Tokens of one call. `input_tokens` counts every prompt token, cached ones included."""

    input_tokens: int = 0
    output_tokens: int = 0
    cached_input_tokens: int = 0
    """Prompt tokens read from the provider's cache (part of `input_tokens`)."""
    cache_write_tokens: int = 0
    """Prompt tokens written to the cache (part of `input_tokens`; Anthropic only)."""

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.cached_input_tokens + other.cached_input_tokens,
            self.cache_write_tokens + other.cache_write_tokens,
        )


def _anthropic(inp: float, out: float) -> Price:
    return Price(inp, out, cached_input_per_mtok=inp * 0.1, cache_write_per_mtok=inp * 1.25)


def _openai(inp: float, out: float, cached: float) -> Price:
    return Price(inp, out, cached_input_per_mtok=cached, cache_write_per_mtok=inp)


PRICES: dict[str, Price] = {
    # Anthropic (Messages API list prices; 5-minute cache writes, cache reads)
    "claude-opus-4-1": _anthropic(15.0, 75.0),
    "claude-opus-4": _anthropic(15.0, 75.0),
    "claude-opus-4-5": _anthropic(5.0, 25.0),
    "claude-sonnet-4-5": _anthropic(3.0, 15.0),
    "claude-sonnet-4": _anthropic(3.0, 15.0),
    "claude-3-7-sonnet": _anthropic(3.0, 15.0),
    "claude-3-5-sonnet": _anthropic(3.0, 15.0),
    "claude-haiku-4-5": _anthropic(1.0, 5.0),
    "claude-3-5-haiku": _anthropic(0.8, 4.0),
    "claude-3-haiku": _anthropic(0.25, 1.25),
    # OpenAI (chat completions list prices; automatic prefix cache)
    "gpt-5": _openai(1.25, 10.0, 0.125),
    "gpt-5-mini": _openai(0.25, 2.0, 0.025),
    "gpt-5-nano": _openai(0.05, 0.4, 0.005),
    "gpt-4.1": _openai(2.0, 8.0, 0.5),
    "gpt-4.1-mini": _openai(0.4, 1.6, 0.1),
    "gpt-4.1-nano": _openai(0.1, 0.4, 0.025),
    "gpt-4o": _openai(2.5, 10.0, 1.25),
    "gpt-4o-mini": _openai(0.15, 0.6, 0.075),
    "o3": _openai(2.0, 8.0, 0.5),
    "o4-mini": _openai(1.1, 4.4, 0.275),
}


@dataclass(frozen=True)
class Cost:
    usd: float
    priced: bool
    """False when the model has no price: the cost is then 0, not a guess."""


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


def usd(price: Price, usage: Usage) -> float:
    """Dollars for one call's tokens: plain, cache-read and cache-write input billed apart."""
    cached = min(usage.cached_input_tokens, usage.input_tokens)
    written = min(usage.cache_write_tokens, usage.input_tokens - cached)
    plain = usage.input_tokens - cached - written
    read_rate = (
        price.input_per_mtok
        if price.cached_input_per_mtok is None
        else (price.cached_input_per_mtok)
    )
    write_rate = (
        price.input_per_mtok if price.cache_write_per_mtok is None else (price.cache_write_per_mtok)
    )
    total = (
        plain * price.input_per_mtok
        + cached * read_rate
        + written * write_rate
        + usage.output_tokens * price.output_per_mtok
    )
    return total / 1e6


def cost_of(
    model: str, input_tokens: int, output_tokens: int, *, price: Price | None = None
) -> Cost:
    """The cost of uncached tokens (`price` overrides the table)."""
    return cost_of_usage(model, Usage(input_tokens, output_tokens), price=price)


def cost_of_usage(model: str, usage: Usage, *, price: Price | None = None) -> Cost:
    found = price or price_of(model)
    if found is None:
        return Cost(0.0, priced=False)
    return Cost(usd(found, usage), priced=True)
