"""Discrete distributions used by the odds tables."""

from __future__ import annotations

import math

from odds.counting import choose, factorial


def _check_p(p: float) -> None:
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"probability out of range: {p}")


def binomial_pmf(n: int, k: int, p: float) -> float:
    _check_p(p)
    if k < 0 or k > n:
        return 0.0
    return choose(n, k) * p**k * (1.0 - p) ** (n - k)


def binomial_cdf(n: int, k: int, p: float) -> float:
    """P(X <= k)."""
    total = 0.0
    for i in range(0, k + 1):
        total += binomial_pmf(n, i, p)
    return min(total, 1.0)


def hypergeometric_pmf(population: int, successes: int, draws: int, hits: int) -> float:
    """P(exactly `hits` successes in `draws` draws without replacement)."""
    if successes > population or draws > population:
        raise ValueError("sample larger than population")
    return (
        choose(successes, hits)
        * choose(population - successes, draws - hits)
        / choose(population, draws)
    )


def poisson_pmf(rate: float, k: int) -> float:
    if rate < 0:
        raise ValueError("negative rate")
    return math.exp(-rate) * rate**k / factorial(k)


def expected_value(outcomes: dict[float, float]) -> float:
    """Sum of value * probability; probabilities must add up to 1."""
    total_p = 0.0
    value = 0.0
    for payoff, prob in outcomes.items():
        total_p += prob
        value += payoff * prob
    if abs(total_p - 1.0) > 1e-9:
        raise ValueError(f"probabilities add up to {total_p}")
    return value
