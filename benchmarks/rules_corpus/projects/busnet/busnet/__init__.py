"""busnet: a city bus network with timetables, journey planning and service reports."""

from .network import (
    build_adjacency,
    departures,
    get_stop,
    get_trip,
    lines_serving,
    load_actuals,
    load_lines,
    load_network,
    load_stops,
    load_trips,
    stop_name,
)
from .planner import describe_journey, earliest_arrival, fewest_transfers, transfer_stops
from .reports import (
    headway,
    headway_report,
    line_departures,
    normalise,
    punctuality_report,
    scheduled_time,
    search_stops,
    stop_card,
    worst_stops,
    zone_summary,
)
from .timeutil import format_time, minutes_between, parse_time

__all__ = [
    "build_adjacency", "departures", "describe_journey", "earliest_arrival", "fewest_transfers",
    "format_time", "get_stop", "get_trip", "headway", "headway_report", "line_departures",
    "lines_serving", "load_actuals", "load_lines", "load_network", "load_stops", "load_trips",
    "minutes_between", "normalise", "parse_time", "punctuality_report", "scheduled_time",
    "search_stops", "stop_card", "stop_name", "transfer_stops", "worst_stops", "zone_summary",
]
