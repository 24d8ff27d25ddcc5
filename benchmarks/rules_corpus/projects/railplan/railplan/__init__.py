"""railplan: a small regional rail network tool."""

from .network import Line, Network, Station, Trip, format_time, load_network, parse_time
from .planner import (
    build_graph,
    connections,
    earliest_arrival,
    fewest_changes,
    interchange_stations,
    shortest_travel_time,
    stop_minutes,
)
from .reports import busiest_stations, delay_minutes, delay_stats, departures_board, load_delays

__all__ = [
    "Line", "Network", "Station", "Trip", "format_time", "load_network", "parse_time",
    "build_graph", "connections", "earliest_arrival", "fewest_changes",
    "interchange_stations", "shortest_travel_time", "stop_minutes",
    "busiest_stations", "delay_minutes", "delay_stats", "departures_board", "load_delays",
]
