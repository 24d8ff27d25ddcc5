"""Small aggregate helpers over plain lists and dicts, shared by the analytics modules."""

from __future__ import annotations

import math


def field(records, name: str) -> list:
    return [record[name] for record in records]


def total(values) -> float:
    return sum(values)


def mean(values) -> float:
    values = list(values)
    if not values:
        raise ValueError("mean of empty data")
    return total(values) / len(values)


def spread(values) -> float:
    """Population standard deviation."""
    values = list(values)
    centre = mean(values)
    return math.sqrt(mean((value - centre) ** 2 for value in values))


def maximum(values, default=None):
    values = list(values)
    if not values:
        if default is None:
            raise ValueError("maximum of empty data")
        return default
    return max(values)


def percentile(values, p: float) -> float:
    """The p-th percentile, interpolating linearly between the closest ranks."""
    if not 0 <= p <= 100:
        raise ValueError(f"percentile must be between 0 and 100, got {p}")
    ordered = sorted(values)
    if not ordered:
        raise ValueError("percentile of empty data")
    position = (len(ordered) - 1) * p / 100
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def group_by(records, key) -> dict:
    """Records grouped by key(record): keys in sorted order, each group in input order."""
    return {
        k: [record for record in records if key(record) == k]
        for k in sorted(set(map(key, records)))
    }


def zscores(values) -> list[float]:
    """How many standard deviations each value lies from the mean (all 0.0 when flat)."""
    values = list(values)
    return [
        (value - mean(values)) / spread(values) if spread(values) else 0.0 for value in values
    ]


def normalise(scores: dict) -> dict:
    """Min-max scaling of a mapping's values onto 0..1 (all 1.0 when they are equal)."""
    return {
        name: (value - min(scores.values())) / (max(scores.values()) - min(scores.values()))
        if max(scores.values()) > min(scores.values())
        else 1.0
        for name, value in scores.items()
    }


def rank(scores: dict, highest_first: bool = True) -> dict:
    """Competition ranks (1, 2, 2, 4, ...): equal scores share the better rank."""
    if highest_first:
        return {name: 1 + sum(1 for other in scores.values() if other > value)
                for name, value in scores.items()}
    return {name: 1 + sum(1 for other in scores.values() if other < value)
            for name, value in scores.items()}
