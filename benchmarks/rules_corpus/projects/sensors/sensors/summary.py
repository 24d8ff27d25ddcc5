"""Per-sensor summaries and time buckets for the dashboard."""

from __future__ import annotations

from sensors.windows import running_max


def per_sensor(readings):
    """{sensor: {"count", "min", "max", "mean"}} with sensors in alphabetical order."""
    names = sorted({r.sensor for r in readings})
    summary = {}
    for name in names:
        values = [r.value for r in readings if r.sensor == name]
        total = 0.0
        for v in values:
            total += v
        summary[name] = {
            "count": len(values),
            "min": min(values),
            "max": max(values),
            "mean": round(total / len(values), 4),
        }
    return summary


def downsample(readings, bucket_seconds):
    """[(bucket start, sensor, mean value)] for every bucket that has readings, in order."""
    buckets = {}
    for r in readings:
        start = r.ts - r.ts % bucket_seconds
        buckets.setdefault((start, r.sensor), []).append(r.value)
    rows = []
    for (start, sensor), values in sorted(buckets.items()):
        rows.append((start, sensor, round(sum(values) / len(values), 3)))
    return rows


def peaks_so_far(readings):
    """For each reading, the highest value seen so far across all sensors."""
    return list(running_max(r.value for r in readings))
