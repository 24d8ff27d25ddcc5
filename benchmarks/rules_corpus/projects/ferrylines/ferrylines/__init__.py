"""Ferry and shuttle-bus timetables: journeys with changes, fare zones and a service report."""

from ferrylines.fares import (
    best_ticket,
    daily_fares,
    journey_fare,
    leg_fare,
    normalize_stop,
    revenue,
    zone_of,
)
from ferrylines.journeys import describe, find_journey, journeys, next_trip, plan_requests
from ferrylines.network import Network, format_time, parse_time, trip_times
from ferrylines.report import (
    busiest_hour,
    busiest_stops,
    departures_board,
    first_last,
    headways,
    service_report,
    stop_calls,
)

__all__ = [
    "Network",
    "best_ticket",
    "busiest_hour",
    "busiest_stops",
    "daily_fares",
    "departures_board",
    "describe",
    "find_journey",
    "first_last",
    "format_time",
    "headways",
    "journey_fare",
    "journeys",
    "leg_fare",
    "next_trip",
    "normalize_stop",
    "parse_time",
    "plan_requests",
    "revenue",
    "service_report",
    "stop_calls",
    "trip_times",
    "zone_of",
]
