"""Descriptive statistics for 1-5 answers."""

from __future__ import annotations

import math
import statistics

from survey.responses import SCALE_MAX

PERCENTILES = (10, 25, 75, 90)


def percentile(values, p: float) -> float:
    """The p-th percentile with linear interpolation between the closest ranks."""
    if not values:
        raise ValueError("percentile of empty data")
    if not 0 <= p <= 100:
        raise ValueError(f"percentile must be between 0 and 100, got {p}")
    ordered = sorted(values)
    position = (len(ordered) - 1) * p / 100
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    fraction = position - lower
    return ordered[lower] + (ordered[upper] - ordered[lower]) * fraction


def top_box_share(values, top: int = 2) -> float:
    """Share of answers in the top `top` boxes of the scale (4 or 5 by default)."""
    if not values:
        return 0.0
    threshold = SCALE_MAX - top + 1
    return sum(1 for value in values if value >= threshold) / len(values)


def summarize(values) -> dict:
    """Count, mean, median, sample standard deviation, percentiles and top-box share."""
    values = list(values)
    if not values:
        summary = {"count": 0, "mean": None, "median": None, "stdev": None}
        summary.update({f"p{p}": None for p in PERCENTILES})
        summary["top_box"] = 0.0
        return summary
    summary = {
        "count": len(values),
        "mean": statistics.fmean(values),
        "median": float(statistics.median(values)),
        "stdev": statistics.stdev(values) if len(values) > 1 else 0.0,
    }
    for p in PERCENTILES:
        summary[f"p{p}"] = percentile(values, p)
    summary["top_box"] = top_box_share(values)
    return summary
