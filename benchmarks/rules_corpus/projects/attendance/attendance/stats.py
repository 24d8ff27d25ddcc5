"""Small descriptive statistics and rank positions, written out by hand."""

import math

_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}


def mean(values):
    if not values:
        raise ValueError("mean of empty data")
    total = 0.0
    for value in values:
        total += value
    return total / len(values)


def median(values):
    if not values:
        raise ValueError("median of empty data")
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2.0


def stdev(values):
    """Sample standard deviation; 0.0 for fewer than two values."""
    if len(values) < 2:
        return 0.0
    centre = mean(values)
    squares = 0.0
    for value in values:
        squares += (value - centre) ** 2
    return math.sqrt(squares / (len(values) - 1))


def percentile(values, p):
    """Linear interpolation between closest ranks (the spreadsheet PERCENTILE.INC rule)."""
    if not values:
        raise ValueError("percentile of empty data")
    if not 0 <= p <= 100:
        raise ValueError(f"percentile must be between 0 and 100, got {p}")
    ordered = sorted(values)
    position = (len(ordered) - 1) * p / 100.0
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def describe(values):
    """Summary of a set of scores, each figure rounded to one decimal place."""
    if not values:
        return {"n": 0, "mean": None, "median": None, "stdev": None,
                "p10": None, "p90": None, "low": None, "high": None}
    return {
        "n": len(values),
        "mean": round(mean(values), 1),
        "median": round(median(values), 1),
        "stdev": round(stdev(values), 1),
        "p10": round(percentile(values, 10), 1),
        "p90": round(percentile(values, 90), 1),
        "low": round(min(values), 1),
        "high": round(max(values), 1),
    }


def ordinal(n):
    if n < 1:
        raise ValueError(f"positions start at 1, got {n}")
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{_SUFFIXES.get(n % 10, 'th')}"


def rank_positions(pairs):
    """Rank (key, value) pairs, highest value first; equal values share a position.

    Returns (key, value, label) triples ordered by value descending, then key; tied
    positions are labelled like '=3rd' and the next distinct value skips ahead.
    """
    ordered = sorted(pairs, key=lambda kv: (-kv[1], kv[0]))
    values = [value for _key, value in ordered]
    ranked = []
    for key, value in ordered:
        position = 1
        for other in values:
            if other > value:
                position += 1
        label = ordinal(position)
        if values.count(value) > 1:
            label = "=" + label
        ranked.append((key, value, label))
    return ranked
