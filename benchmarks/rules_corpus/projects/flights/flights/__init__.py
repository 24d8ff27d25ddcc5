"""Flight itinerary search over a timetable of airports and scheduled flights."""

from flights.network import FlightNetwork
from flights.times import airline_of, format_duration, format_minutes, parse_time

__all__ = [
    "FlightNetwork",
    "airline_of",
    "format_duration",
    "format_minutes",
    "parse_time",
]
