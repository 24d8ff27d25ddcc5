"""Small statistics helpers for the reports (no numpy on the school's server)."""

from __future__ import annotations

import math


def mean(values):
    values = list(values)
    if not values:
        raise ValueError("mean of no values")
    total = 0.0
    for v in values:
        total += v
    return total / len(values)


def median(values):
    ordered = sorted(values)
    if not ordered:
        raise ValueError("median of no values")
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


def stdev(values):
    values = list(values)
    if len(values) < 2:
        return 0.0
    m = mean(values)
    return math.sqrt(sum((v - m) ** 2 for v in values) / (len(values) - 1))


def histogram(letters):
    counts = {}
    for letter in letters:
        counts[letter] = counts.get(letter, 0) + 1
    return counts
