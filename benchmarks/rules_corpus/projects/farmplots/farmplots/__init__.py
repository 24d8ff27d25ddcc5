"""farmplots: fields as grids of plots, crops, weather, irrigation and season reports.

A season is simulated day by day: rain fills the soil, crops draw water by growth stage, an
irrigation scheduler tops up the neediest plots within a budget, and yields are estimated."""

from farmplots.crops import CATALOG, Crop, GrowthStage, find_crop
from farmplots.field import Field, Planting
from farmplots.irrigation import IrrigationEvent, Scheduler, apply_events
from farmplots.season import (
    PlotOutcome,
    SeasonResult,
    estimate_yield,
    season_report,
    simulate_season,
    worst_plots,
    yield_grid,
)
from farmplots.weather import Reading, WeatherLog, degree_days

__all__ = [
    "CATALOG", "Crop", "Field", "GrowthStage", "IrrigationEvent", "Planting", "PlotOutcome",
    "Reading", "Scheduler", "SeasonResult", "WeatherLog", "apply_events", "degree_days",
    "estimate_yield", "find_crop", "season_report", "simulate_season",
    "worst_plots", "yield_grid",
]
