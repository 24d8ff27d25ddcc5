"""Per-meter time series: hourly and daily buckets, gaps and spikes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from meterreads.model import Reading

Series = list[tuple[datetime, float]]


def hour_start(when: datetime) -> datetime:
    return when.replace(minute=0, second=0, microsecond=0)


def day_start(when: datetime) -> datetime:
    return when.replace(hour=0, minute=0, second=0, microsecond=0)


def by_meter(readings: Iterable[Reading]) -> dict[str, list[Reading]]:
    """Readings grouped per meter (in order of first appearance), each group by time."""
    groups: dict[str, list[Reading]] = {}
    for reading in readings:
        groups.setdefault(reading.meter_id, []).append(reading)
    for rows in groups.values():
        rows.sort(key=lambda r: r.at)
    return groups


def resample(readings: Iterable[Reading], bucket: Callable[[datetime], datetime]) -> Series:
    """Total kWh per bucket, as ``(bucket start, kWh)`` pairs in time order."""
    starts: list[datetime] = []
    totals: list[float] = []
    for reading in readings:
        start = bucket(reading.at)
        if start in starts:
            totals[starts.index(start)] += reading.kwh
        else:
            starts.append(start)
            totals.append(reading.kwh)
    return sorted(zip(starts, totals))


def hourly(readings: Iterable[Reading]) -> Series:
    return resample(readings, hour_start)


def daily(readings: Iterable[Reading]) -> Series:
    return resample(readings, day_start)


@dataclass(frozen=True)
class Gap:
    meter_id: str
    after: datetime
    before: datetime

    def missing(self, interval: timedelta) -> int:
        """How many readings at ``interval`` spacing are absent between the two."""
        return max(0, -(-(self.before - self.after) // interval) - 1)


@dataclass(frozen=True)
class Spike:
    meter_id: str
    at: datetime
    kwh: float
    baseline: float


def find_gaps(readings: Iterable[Reading], interval: timedelta) -> list[Gap]:
    if interval <= timedelta(0):
        raise ValueError("interval must be positive")
    gaps = []
    for meter_id, rows in by_meter(readings).items():
        for prev, cur in zip(rows, rows[1:]):
            if cur.at - prev.at > interval:
                gaps.append(Gap(meter_id, prev.at, cur.at))
    return gaps


def median(values: Sequence[float]) -> float:
    if not values:
        raise ValueError("median of no values")
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


def rolling_medians(values: Sequence[float], window: int) -> list[float | None]:
    """Median of the ``window`` values before each position (None until there are enough)."""
    if window < 1:
        raise ValueError("window must be at least 1")
    medians: list[float | None] = []
    for i in range(len(values)):
        if i < window:
            medians.append(None)
        else:
            medians.append(median(values[i - window:i]))
    return medians


def find_spikes(
    readings: Iterable[Reading], window: int, factor: float, min_kwh: float = 0.1
) -> list[Spike]:
    """Readings above ``factor`` times the rolling median of the previous ``window``."""
    if factor <= 1:
        raise ValueError("factor must be above 1")
    spikes = []
    for meter_id, rows in by_meter(readings).items():
        baselines = rolling_medians([r.kwh for r in rows], window)
        for row, baseline in zip(rows, baselines):
            if baseline is not None and row.kwh >= min_kwh and row.kwh > factor * baseline:
                spikes.append(Spike(meter_id, row.at, row.kwh, baseline))
    return spikes
