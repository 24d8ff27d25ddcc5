"""Pricing and the per-meter / per-postcode report."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from meterreads.model import Meter, Reading, Tariff
from meterreads.parse import ParseError, parse_lines
from meterreads.series import by_meter, daily, find_gaps, find_spikes, hourly


def find_meter(meters: Sequence[Meter], meter_id: str) -> Meter:
    for meter in meters:
        if meter.meter_id == meter_id:
            return meter
    raise KeyError(f"unknown meter {meter_id!r}")


def find_tariff(tariffs: Sequence[Tariff], name: str) -> Tariff:
    for tariff in tariffs:
        if tariff.name == name:
            return tariff
    raise KeyError(f"unknown tariff {name!r}")


def price_readings(
    readings: Iterable[Reading], meters: Sequence[Meter], tariffs: Sequence[Tariff]
) -> dict[str, float]:
    """Energy cost in pence per meter id (standing charges not included)."""
    costs: dict[str, float] = {}
    for reading in readings:
        meter = find_meter(meters, reading.meter_id)
        tariff = find_tariff(tariffs, meter.tariff)
        cost = tariff.price(reading.at, reading.kwh)
        costs[reading.meter_id] = costs.get(reading.meter_id, 0.0) + cost
    return costs


@dataclass(frozen=True)
class MeterSummary:
    meter_id: str
    district: str
    tariff: str
    readings: int
    kwh: float
    cost_pence: float
    peak_hour: datetime | None
    peak_kwh: float
    days: int
    gaps: int
    spikes: int


@dataclass(frozen=True)
class AreaSummary:
    district: str
    meters: int
    kwh: float
    cost_pence: float
    spikes: int


@dataclass
class Report:
    meters: list[MeterSummary]
    areas: list[AreaSummary]
    problems: list[ParseError] = field(default_factory=list)

    def render(self) -> str:
        lines = [f"{'meter':<10} {'area':<6} {'tariff':<9} {'kWh':>9} {'cost':>10}  peak hour"]
        for s in self.meters:
            peak = f"{s.peak_hour:%a %d %b %H:00} {s.peak_kwh:.3f}" if s.peak_hour else "-"
            flags = f" gaps={s.gaps}" if s.gaps else ""
            flags += f" spikes={s.spikes}" if s.spikes else ""
            lines.append(
                f"{s.meter_id:<10} {s.district:<6} {s.tariff:<9} {s.kwh:>9.3f}"
                f" £{s.cost_pence / 100:>9.2f}  {peak}{flags}"
            )
        lines.append("")
        for a in self.areas:
            lines.append(
                f"{a.district:<6} {a.meters:>3} meters {a.kwh:>10.3f} kWh"
                f" £{a.cost_pence / 100:>10.2f} spikes={a.spikes}"
            )
        if self.problems:
            lines.append(f"{len(self.problems)} lines could not be read")
        return "\n".join(lines)


class ReportBuilder:
    """Collects readings for a set of meters and summarises them."""

    def __init__(
        self,
        meters: Iterable[Meter],
        tariffs: Iterable[Tariff],
        *,
        interval: timedelta = timedelta(minutes=15),
        spike_window: int = 16,
        spike_factor: float = 4.0,
    ) -> None:
        self.meters = list(meters)
        self.tariffs = list(tariffs)
        self.interval = interval
        self.spike_window = spike_window
        self.spike_factor = spike_factor
        self.readings: list[Reading] = []
        self.problems: list[ParseError] = []

    def add_readings(self, readings: Iterable[Reading]) -> int:
        """Add readings for known meters; nothing is added if any meter is unknown."""
        batch = list(readings)
        for reading in batch:
            find_meter(self.meters, reading.meter_id)
        self.readings.extend(batch)
        return len(batch)

    def add_lines(self, lines: Iterable[str], *, strict: bool = True) -> int:
        parsed = parse_lines(lines, strict=strict)
        self.problems.extend(parsed.problems)
        return self.add_readings(parsed.readings)

    def build(self) -> Report:
        groups = by_meter(self.readings)
        costs = price_readings(self.readings, self.meters, self.tariffs)
        gaps = find_gaps(self.readings, self.interval)
        spikes = find_spikes(self.readings, self.spike_window, self.spike_factor)
        summaries = []
        for meter in self.meters:
            rows = groups.get(meter.meter_id, [])
            hours = hourly(rows)
            peak = max(hours, key=lambda pair: pair[1]) if hours else None
            tariff = find_tariff(self.tariffs, meter.tariff)
            days = len(daily(rows))
            summaries.append(MeterSummary(
                meter_id=meter.meter_id,
                district=meter.district,
                tariff=tariff.name,
                readings=len(rows),
                kwh=sum(r.kwh for r in rows),
                cost_pence=costs.get(meter.meter_id, 0.0) + days * tariff.standing_pence_per_day,
                peak_hour=peak[0] if peak else None,
                peak_kwh=peak[1] if peak else 0.0,
                days=days,
                gaps=sum(1 for g in gaps if g.meter_id == meter.meter_id),
                spikes=sum(1 for s in spikes if s.meter_id == meter.meter_id),
            ))
        areas = []
        for district in sorted({s.district for s in summaries}):
            members = [s for s in summaries if s.district == district]
            areas.append(AreaSummary(
                district=district,
                meters=len(members),
                kwh=sum(s.kwh for s in members),
                cost_pence=sum(s.cost_pence for s in members),
                spikes=sum(s.spikes for s in members),
            ))
        return Report(summaries, areas, list(self.problems))
