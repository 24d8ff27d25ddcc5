"""metro: public transit timetables from GTFS-like text tables."""

from .boards import (
    Departure,
    HeadwayStats,
    departure_board,
    departure_boards,
    format_board,
    format_headways,
    headway_report,
    headway_stats,
    route_departures,
)
from .loader import dump_table, load_feed, read_table
from .model import Feed, FeedError, Route, Stop, Transfer, Trip
from .network import (
    ConnectionScanner,
    Journey,
    build_connections,
    distance_m,
    earliest_arrival,
    walking_transfers,
)
from .service import active_services, service_active, service_days, trips_on
from .timeutil import format_clock, format_duration, format_time, parse_date, parse_time

__all__ = [
    "ConnectionScanner", "Departure", "Feed", "FeedError", "HeadwayStats", "Journey", "Route",
    "Stop", "Transfer", "Trip", "active_services", "build_connections", "departure_board",
    "departure_boards", "distance_m", "dump_table", "earliest_arrival", "format_board",
    "format_clock", "format_duration", "format_headways", "format_time", "headway_report",
    "headway_stats", "load_feed", "parse_date", "parse_time", "read_table", "route_departures",
    "service_active", "service_days", "trips_on", "walking_transfers",
]
