"""Covariance, correlation, portfolio variance and drawdowns."""

from __future__ import annotations

import math

from portfolio.returns import mean


def covariance_matrix(series):
    """Sample covariance between every pair of return series (all of the same length)."""
    n = len(series)
    length = len(series[0]) if n else 0
    for s in series:
        if len(s) != length:
            raise ValueError("series of different lengths")
    if length < 2:
        raise ValueError("need at least two observations")
    cov = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            total = 0.0
            for t in range(length):
                total += (series[i][t] - mean(series[i])) * (series[j][t] - mean(series[j]))
            cov[i][j] = total / (length - 1)
    return cov


def correlation_matrix(cov):
    n = len(cov)
    corr = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            denominator = math.sqrt(cov[i][i]) * math.sqrt(cov[j][j])
            corr[i][j] = cov[i][j] / denominator if denominator else 0.0
    return corr


def portfolio_variance(weights, cov):
    n = len(weights)
    total = 0.0
    for i in range(n):
        for j in range(n):
            total += weights[i] * weights[j] * cov[i][j]
    return total


def max_drawdown(values):
    """Largest peak-to-trough fall, as a positive fraction of the peak."""
    worst = 0.0
    for i in range(len(values)):
        peak = max(values[: i + 1])
        drop = (peak - values[i]) / peak
        if drop > worst:
            worst = drop
    return worst


def drawdown_periods(values, threshold=0.1):
    """(start, end) index pairs where the value stayed more than `threshold` below its peak."""
    periods = []
    start = None
    for i in range(len(values)):
        peak = max(values[: i + 1])
        under = (peak - values[i]) / peak > threshold
        if under and start is None:
            start = i
        elif not under and start is not None:
            periods.append((start, i))
            start = None
    if start is not None:
        periods.append((start, len(values)))
    return periods
