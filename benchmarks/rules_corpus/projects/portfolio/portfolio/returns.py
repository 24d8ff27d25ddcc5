"""Return series and their summaries."""

from __future__ import annotations

import math

TRADING_DAYS = 252


def simple_returns(prices):
    return [prices[i] / prices[i - 1] - 1.0 for i in range(1, len(prices))]


def log_returns(prices):
    return [math.log(prices[i] / prices[i - 1]) for i in range(1, len(prices))]


def mean(values):
    if len(values) == 0:
        raise ValueError("mean of an empty series")
    total = 0.0
    for v in values:
        total += v
    return total / len(values)


def compound(returns):
    """Growth of 1.0 invested over the whole series."""
    growth = 1.0
    for r in returns:
        growth = growth * (1.0 + r)
    return growth


def annualized_return(returns):
    if not returns:
        return 0.0
    return compound(returns) ** (TRADING_DAYS / len(returns)) - 1.0


def stdev(values):
    m = mean(values)
    total = 0.0
    for v in values:
        total += (v - m) ** 2
    return math.sqrt(total / (len(values) - 1))


def rolling_volatility(returns, window):
    """Annualized volatility of each trailing window (one value per full window)."""
    result = []
    for end in range(window, len(returns) + 1):
        result.append(stdev(returns[end - window : end]) * math.sqrt(TRADING_DAYS))
    return result
