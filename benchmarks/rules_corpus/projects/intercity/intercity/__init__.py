"""intercity: intercity rail journey planning from published text timetables."""

from .fares import FareCalculator, zone_span
from .network import Line, Network, Service, Station
from .parsing import (
    DAY_NAMES,
    DAY_TYPES,
    format_time,
    parse_fares,
    parse_lines,
    parse_platforms,
    parse_railcards,
    parse_services,
    parse_stations,
    parse_time,
)
from .planner import Planner

__all__ = [
    "DAY_NAMES",
    "DAY_TYPES",
    "FareCalculator",
    "Line",
    "Network",
    "Planner",
    "Service",
    "Station",
    "format_time",
    "parse_fares",
    "parse_lines",
    "parse_platforms",
    "parse_railcards",
    "parse_services",
    "parse_stations",
    "parse_time",
    "zone_span",
]
