"""Day-by-day season simulation, yield estimates and the season report."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from farmplots.crops import Crop, find_crop
from farmplots.field import WILTING_FRACTION, Field
from farmplots.irrigation import IrrigationEvent, Scheduler, apply_events
from farmplots.weather import Reading, WeatherLog

BARE_SOIL_EVAPORATION_MM = 1.2


@dataclass
class PlotOutcome:
    field_name: str
    row: int
    col: int
    crop_name: str
    gdd: float
    stress_days: int
    deficit_mm: float
    irrigated_mm: float
    yield_t: float


@dataclass
class SeasonResult:
    first_day: int
    last_day: int
    days: list[int]
    outcomes: list[PlotOutcome]
    events: list[IrrigationEvent]
    daily_moisture: dict[str, list[float]]
    runoff_mm: float


def estimate_yield(crop: Crop, gdd: float, stress_days: int, deficit_mm: float,
                   season_days: int) -> float:
    """Tonnes from one plot: potential yield scaled by ripeness, cut by wilting and shortfall."""
    if season_days <= 0:
        raise ValueError("season_days must be positive")
    if stress_days < 0 or deficit_mm < 0:
        raise ValueError("stress days and deficit cannot be negative")
    if gdd <= 0:
        return 0.0
    ripeness = min(1.0, gdd / crop.maturity_gdd)
    stress = stress_days / season_days * (1.0 - crop.drought_tolerance)
    shortfall = deficit_mm / (crop.reference_water_mm * 400.0)
    factor = max(0.0, 1.0 - stress - shortfall)
    return crop.potential_yield * ripeness * factor


def use_water(fld: Field, weather: WeatherLog, day: int, reading: Reading) -> None:
    """Crops (or bare soil) draw the day's water from every plot; wilting plots get stressed."""
    for row in range(fld.rows):
        for col in range(fld.cols):
            planting = fld.plantings.get((row, col))
            if planting is None or planting.sow_day > day:
                need = BARE_SOIL_EVAPORATION_MM * max(0.2, reading.t_mean / 20.0)
                fld.moisture[row][col] = max(0.0, fld.moisture[row][col] - need)
                continue
            crop = find_crop(planting.crop_name)
            gdd = weather.gdd_between(planting.sow_day, day, crop.base_temp, crop.cap_temp)
            need = crop.water_need(gdd, reading.t_mean)
            left = max(0.0, fld.moisture[row][col] - need)
            fld.moisture[row][col] = left
            if crop.is_mature(gdd):
                continue
            wilting = WILTING_FRACTION * fld.capacity[row][col]
            if left < wilting:
                planting.stress_days += 1
                planting.deficit_mm += (wilting - left) * crop.stage_at(gdd).sensitivity


def simulate_season(fields: list[Field], weather: WeatherLog, scheduler: Scheduler | None = None,
                    first_day: int | None = None, last_day: int | None = None) -> SeasonResult:
    """Run the weather log's days in [first_day, last_day]; the fields are updated in place
    (moisture grids and the plantings' stress counters)."""
    names = [fld.name for fld in fields]
    if len(set(names)) != len(names):
        raise ValueError("field names must be unique")
    all_days = weather.days()
    if not all_days:
        raise ValueError("the weather log is empty")
    first_day = all_days[0] if first_day is None else first_day
    last_day = all_days[-1] if last_day is None else last_day
    days = [d for d in all_days if first_day <= d <= last_day]
    if not days:
        raise ValueError(f"no weather between day {first_day} and day {last_day}")

    events: list[IrrigationEvent] = []
    daily_moisture: dict[str, list[float]] = {fld.name: [] for fld in fields}
    runoff = 0.0
    for day in days:
        reading = weather.reading_for(day)
        for fld in fields:
            runoff += fld.rain(reading.rain_mm)
            use_water(fld, weather, day, reading)
            fld.redistribute()
            if scheduler is not None:
                todays = scheduler.plan(fld, weather, day)
                runoff += apply_events(fld, todays)
                events.extend(todays)
            daily_moisture[fld.name].append(fld.mean_moisture())

    outcomes = []
    for fld in fields:
        for row in range(fld.rows):
            for col in range(fld.cols):
                planting = fld.plantings.get((row, col))
                if planting is None:
                    continue
                crop = find_crop(planting.crop_name)
                irrigated = sum(
                    e.amount_mm for e in events
                    if e.field_name == fld.name and e.row == row and e.col == col
                )
                start = max(first_day, planting.sow_day)
                if start > last_day:
                    gdd = yield_t = 0.0
                else:
                    gdd = weather.gdd_between(planting.sow_day, last_day, crop.base_temp,
                                              crop.cap_temp)
                    yield_t = estimate_yield(crop, gdd, planting.stress_days,
                                             planting.deficit_mm, last_day - start + 1)
                outcomes.append(PlotOutcome(fld.name, row, col, crop.name, gdd,
                                            planting.stress_days, planting.deficit_mm,
                                            irrigated, yield_t))
    return SeasonResult(first_day, last_day, days, outcomes, events, daily_moisture, runoff)


def worst_plots(outcomes: list[PlotOutcome], n: int = 5) -> list[PlotOutcome]:
    """The n lowest-yielding plots; ties go to field name, then row, then column."""
    if n < 0:
        raise ValueError("n cannot be negative")
    ranked = sorted(outcomes, key=lambda o: (o.yield_t, o.field_name, o.row, o.col))
    return ranked[:n]


def yield_grid(outcomes: list[PlotOutcome], field_name: str, rows: int,
               cols: int) -> list[list[float]]:
    """Yield per plot of one field as a grid; plots without an outcome hold 0.0."""
    grid = []
    for row in range(rows):
        line = []
        for col in range(cols):
            value = 0.0
            for outcome in outcomes:
                if outcome.field_name == field_name and outcome.row == row and outcome.col == col:
                    value = outcome.yield_t
            line.append(value)
        grid.append(line)
    return grid


def _crop_summary(mine: list[PlotOutcome]) -> dict[str, float]:
    yields = [o.yield_t for o in mine]
    return {
        "plots": len(mine),
        "total_yield": sum(yields),
        "mean_yield": statistics.mean(yields),
        "median_yield": statistics.median(yields),
        "yield_stdev": statistics.pstdev(yields),
        "mean_stress_days": statistics.mean(o.stress_days for o in mine),
        "irrigated_mm": sum(o.irrigated_mm for o in mine),
    }


def season_report(result: SeasonResult, worst_n: int = 5) -> dict:
    crop_names = sorted({o.crop_name for o in result.outcomes})
    by_crop = {}
    for name in crop_names:
        by_crop[name] = _crop_summary([o for o in result.outcomes if o.crop_name == name])

    by_field = {}
    for name, history in result.daily_moisture.items():
        mine = [o for o in result.outcomes if o.field_name == name]
        driest = min(range(len(history)), key=lambda i: history[i]) if history else None
        by_field[name] = {
            "plots": len(mine),
            "total_yield": sum(o.yield_t for o in mine),
            "irrigated_mm": sum(e.amount_mm for e in result.events if e.field_name == name),
            "mean_moisture": statistics.mean(history) if history else 0.0,
            "driest_day": None if driest is None else result.days[driest],
        }

    return {
        "days": len(result.days),
        "plots": len(result.outcomes),
        "total_yield": sum(o.yield_t for o in result.outcomes),
        "total_irrigation_mm": sum(e.amount_mm for e in result.events),
        "runoff_mm": result.runoff_mm,
        "by_crop": by_crop,
        "by_field": by_field,
        "worst": [
            (o.field_name, o.row, o.col, o.crop_name, o.yield_t)
            for o in worst_plots(result.outcomes, worst_n)
        ],
    }
