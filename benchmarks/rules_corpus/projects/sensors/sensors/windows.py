"""Rolling statistics over a stream of numbers (generators, one value out per value in)."""

from __future__ import annotations


def rolling_median(values, window):
    """Median of the last `window` values (fewer at the start)."""
    if window < 1:
        raise ValueError("window must be at least 1")
    recent = []
    for value in values:
        recent.append(value)
        if len(recent) > window:
            recent.pop(0)
        ordered = sorted(recent)
        mid = len(ordered) // 2
        if len(ordered) % 2:
            yield ordered[mid]
        else:
            yield (ordered[mid - 1] + ordered[mid]) / 2


def rolling_max(values, window):
    if window < 1:
        raise ValueError("window must be at least 1")
    recent = []
    for value in values:
        recent.append(value)
        if len(recent) > window:
            recent.pop(0)
        yield max(recent)


def running_max(values):
    """Largest value so far."""
    seen = []
    for value in values:
        seen.append(value)
        yield max(seen)
