"""Random search for a good allocation, and its report."""

from __future__ import annotations

import math
import random

from portfolio.returns import TRADING_DAYS, mean
from portfolio.risk import portfolio_variance

RISK_FREE = 0.02


def random_weights(rng, n):
    raw = [rng.random() for _ in range(n)]
    total = sum(raw)
    return [w / total for w in raw]


def sharpe(weights, daily_means, cov):
    expected = 0.0
    for w, m in zip(weights, daily_means):
        expected += w * m
    volatility = math.sqrt(portfolio_variance(weights, cov) * TRADING_DAYS)
    if volatility == 0:
        return 0.0
    return (expected * TRADING_DAYS - RISK_FREE) / volatility


def best_allocations(series, cov, trials, keep=5, seed=0):
    """The `keep` best random allocations by Sharpe ratio, best first (ties: earlier trial)."""
    rng = random.Random(seed)
    best = []
    for trial in range(trials):
        weights = random_weights(rng, len(series))
        daily_means = [mean(s) for s in series]
        score = sharpe(weights, daily_means, cov)
        best.append((score, trial, weights))
        best.sort(key=lambda item: (-item[0], item[1]))
        best = best[:keep]
    return best


def describe(tickers, allocation):
    score, trial, weights = allocation
    parts = []
    for ticker, weight in zip(tickers, weights):
        parts.append(f"{ticker} {float(weight) * 100:.1f}%")
    return f"trial {trial}: sharpe {score:.3f} | " + ", ".join(parts)
