"""Irrigation scheduling: top up the plots that need water most, within a daily budget."""

from __future__ import annotations

from dataclasses import dataclass

from farmplots.crops import find_crop
from farmplots.field import Field
from farmplots.weather import WeatherLog


@dataclass(frozen=True)
class IrrigationEvent:
    day: int
    field_name: str
    row: int
    col: int
    amount_mm: float


@dataclass
class Scheduler:
    trigger_fraction: float = 0.45
    target_fraction: float = 0.8
    daily_budget_mm: float = 400.0
    max_per_plot_mm: float = 25.0
    skip_if_rain_mm: float = 12.0

    def __post_init__(self) -> None:
        if not 0.0 < self.trigger_fraction < self.target_fraction <= 1.0:
            raise ValueError("need 0 < trigger_fraction < target_fraction <= 1")
        if self.daily_budget_mm < 0:
            raise ValueError("daily budget cannot be negative")
        if self.max_per_plot_mm <= 0:
            raise ValueError("max_per_plot_mm must be positive")

    def plan(self, fld: Field, weather: WeatherLog, day: int) -> list[IrrigationEvent]:
        """Events for one field on one day, most urgent first. The field is not changed."""
        if weather.recent_rain(day, 3) >= self.skip_if_rain_mm:
            return []
        candidates = []
        for row in range(fld.rows):
            for col in range(fld.cols):
                planting = fld.plantings.get((row, col))
                if planting is None or planting.sow_day > day:
                    continue
                fraction = fld.moisture_fraction(row, col)
                if fraction >= self.trigger_fraction:
                    continue
                crop = find_crop(planting.crop_name)
                gdd = weather.gdd_between(planting.sow_day, day, crop.base_temp, crop.cap_temp)
                if crop.is_mature(gdd):
                    continue
                stage = crop.stage_at(gdd)
                gap = self.target_fraction - fraction
                wanted = gap * fld.capacity[row][col]
                score = gap * stage.sensitivity / crop.drought_tolerance
                candidates.append((row, col, score, wanted))

        events = []
        budget = self.daily_budget_mm
        while candidates and budget > 0:
            best = max(candidates, key=lambda cand: cand[2])
            candidates.remove(best)
            row, col, _, wanted = best
            amount = min(wanted, self.max_per_plot_mm, budget)
            events.append(IrrigationEvent(day, fld.name, row, col, amount))
            budget -= amount
        return events


def apply_events(fld: Field, events: list[IrrigationEvent]) -> float:
    """Apply the events meant for this field; returns water lost as runoff."""
    runoff = 0.0
    for event in events:
        if event.field_name != fld.name:
            continue
        runoff += fld.add_water(event.row, event.col, event.amount_mm)
    return runoff
