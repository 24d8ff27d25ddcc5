"""The FlightNetwork: airports with connection times and a timetable of flights.

Airports are tuples ``(code, name, min_connect)`` and flights are tuples
``(number, origin, dest, dep, arr, fare)`` with times in minutes.  Both are kept in
plain lists (``airports`` and ``flights``) that callers may read but should change
only through the methods below.
"""

from __future__ import annotations

import re

from flights import reports, search
from flights.times import airline_of, parse_time

CODE_PATTERN = r"^[A-Z]{3}$"


class FlightNetwork:
    def __init__(self, airports=(), flights=()):
        self.airports: list[tuple[str, str, int]] = []
        self.flights: list[tuple[str, str, str, int, int, int]] = []
        for airport in airports:
            self.add_airport(*airport)
        for flight in flights:
            self.add_flight(*flight)

    # -- airports -------------------------------------------------------------

    def add_airport(self, code: str, name: str, min_connect: int = 45) -> None:
        if not isinstance(code, str) or not re.match(CODE_PATTERN, code):
            raise ValueError(f"bad airport code {code!r}")
        if isinstance(min_connect, bool) or not isinstance(min_connect, int) or min_connect < 0:
            raise ValueError(f"bad minimum connection time {min_connect!r}")
        if self.has_airport(code):
            raise ValueError(f"airport {code} already exists")
        self.airports.append((code, name, min_connect))

    def has_airport(self, code: str) -> bool:
        return any(airport[0] == code for airport in self.airports)

    def airport(self, code: str) -> tuple[str, str, int]:
        for airport in self.airports:
            if airport[0] == code:
                return airport
        raise KeyError(code)

    def min_connection(self, code: str) -> int:
        return self.airport(code)[2]

    # -- flights --------------------------------------------------------------

    def add_flight(self, number, origin, dest, dep, arr, fare) -> None:
        airline_of(number)
        for flight in self.flights:
            if flight[0] == number:
                raise ValueError(f"flight {number} already exists")
        self.airport(origin)
        self.airport(dest)
        if origin == dest:
            raise ValueError(f"flight {number} goes nowhere")
        dep = parse_time(dep)
        arr = parse_time(arr)
        if arr <= dep:
            raise ValueError(f"flight {number} arrives before it departs")
        if isinstance(fare, bool) or not isinstance(fare, (int, float)) or fare <= 0:
            raise ValueError(f"bad fare {fare!r}")
        self.flights.append((number, origin, dest, dep, arr, fare))

    def flight(self, number: str) -> tuple[str, str, str, int, int, int]:
        for flight in self.flights:
            if flight[0] == number:
                return flight
        raise KeyError(number)

    def remove_flight(self, number: str) -> None:
        for i, flight in enumerate(self.flights):
            if flight[0] == number:
                del self.flights[i]
                return
        raise KeyError(number)

    def retime(self, number: str, minutes: int) -> None:
        """Move a flight ``minutes`` later (earlier when negative), keeping its duration."""
        for i, flight in enumerate(self.flights):
            if flight[0] == number:
                if flight[3] + minutes < 0:
                    raise ValueError(f"flight {number} would leave before the timetable starts")
                self.flights[i] = (flight[0], flight[1], flight[2], flight[3] + minutes,
                                   flight[4] + minutes, flight[5])
                return
        raise KeyError(number)

    def departures(self, code: str, after: int = 0) -> list[tuple]:
        found = [f for f in self.flights if f[1] == code and f[3] >= after]
        found.sort(key=lambda f: (f[3], f[0]))
        return found

    def arrivals(self, code: str) -> list[tuple]:
        found = [f for f in self.flights if f[2] == code]
        found.sort(key=lambda f: (f[4], f[0]))
        return found

    # -- searches and reports ---------------------------------------------------

    def earliest_arrival(self, origin, dest, depart_after=0):
        return search.earliest_arrival(self, origin, dest, parse_time(depart_after))

    def cheapest(self, origin, dest, depart_after=0):
        return search.cheapest(self, origin, dest, parse_time(depart_after))

    def alternatives(self, origin, dest, k=3, depart_after=0, max_legs=3):
        return search.alternatives(self, origin, dest, k, parse_time(depart_after), max_legs)

    def describe(self, itinerary) -> list[str]:
        return search.describe(self, itinerary)

    def airline_report(self, airline=None) -> list[str]:
        return reports.airline_report(self, airline)

    def hub_stats(self, top=None, max_wait=240):
        return reports.hub_stats(self, top, max_wait)

    def propagate_delays(self, initial, max_hold=30, max_wait=240):
        return reports.propagate_delays(self, initial, max_hold, max_wait)
