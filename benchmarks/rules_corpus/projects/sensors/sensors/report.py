"""The facility manager's daily text report."""

from __future__ import annotations

from sensors.detect import format_alert, spikes
from sensors.summary import per_sensor
from sensors.windows import rolling_max

LIMITS = {"temp": (16.0, 28.0), "hum": (30.0, 65.0), "co2": (350.0, 1200.0)}


def kind_of(sensor):
    return sensor.split("-")[0]


def out_of_range(readings):
    alerts = []
    for r in readings:
        low, high = LIMITS.get(kind_of(r.sensor), (float("-inf"), float("inf")))
        if not low <= r.value <= high:
            alerts.append(format_alert(r, "" if kind_of(r.sensor) != "temp" else "°C"))
    return alerts


def daily_report(readings, window=15, threshold=4.0):
    by_sensor = {}
    for r in readings:
        by_sensor.setdefault(r.sensor, []).append(r)
    lines = ["== daily sensor report =="]
    for name, stats in per_sensor(readings).items():
        series = by_sensor[name]
        found = spikes(series, window, threshold)
        peak = max(rolling_max([r.value for r in series], 60))
        lines.append(
            f"{name:<10} n={stats['count']:<6} min={stats['min']:8.2f} max={stats['max']:8.2f} "
            f"mean={stats['mean']:8.2f} peak60={peak:8.2f} spikes={len(found)}"
        )
        lines.extend("    " + format_alert(r) for r in found[:3])
    alerts = out_of_range(readings)
    lines.append(f"out of range: {len(alerts)}")
    lines.extend(alerts[:10])
    return lines
