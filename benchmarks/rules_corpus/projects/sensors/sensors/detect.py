"""Spike detection: a value far from the rolling median, measured in rolling MADs."""

from __future__ import annotations

from sensors.windows import rolling_median


def median(values):
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


def spikes(readings, window=15, threshold=4.0):
    """Readings (of one sensor, in time order) whose deviation exceeds threshold * MAD."""
    values = [r.value for r in readings]
    medians = list(rolling_median(values, window))
    found = []
    for i, reading in enumerate(readings):
        start = max(0, i - window + 1)
        deviations = [abs(v - medians[i]) for v in values[start : i + 1]]
        mad = median(deviations)
        if mad == 0:
            continue
        if abs(reading.value - medians[i]) > threshold * mad:
            found.append(reading)
    return found


def format_alert(reading, unit="°C"):
    return f"[{int(reading.ts)}] {reading.sensor}: {float(reading.value):.2f}{unit}"
