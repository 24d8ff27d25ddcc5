"""Record types for a GTFS-like timetable feed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

ROUTE_TYPES = {0: "tram", 1: "metro", 2: "rail", 3: "bus", 4: "ferry"}


class FeedError(ValueError):
    """Raised when feed tables are inconsistent or malformed."""


@dataclass(frozen=True)
class Stop:
    stop_id: str
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Route:
    route_id: str
    short_name: str
    long_name: str
    route_type: int = 3

    @property
    def mode(self) -> str:
        return ROUTE_TYPES.get(self.route_type, "other")


@dataclass(frozen=True)
class Trip:
    trip_id: str
    route_id: str
    service_id: str
    headsign: str = ""
    direction_id: int = 0


@dataclass(frozen=True)
class StopTime:
    trip_id: str
    stop_id: str
    stop_sequence: int
    arrival: int
    departure: int


@dataclass(frozen=True)
class ServiceCalendar:
    service_id: str
    weekdays: tuple[bool, bool, bool, bool, bool, bool, bool]
    start_date: date
    end_date: date


@dataclass(frozen=True)
class CalendarDate:
    service_id: str
    date: date
    exception_type: int  # 1 adds service on that date, 2 removes it


@dataclass(frozen=True)
class Transfer:
    from_stop: str
    to_stop: str
    distance_m: float
    walk_seconds: int


@dataclass
class Feed:
    stops: list[Stop] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)
    trips: list[Trip] = field(default_factory=list)
    stop_times: list[StopTime] = field(default_factory=list)
    calendars: list[ServiceCalendar] = field(default_factory=list)
    calendar_dates: list[CalendarDate] = field(default_factory=list)

    def get_stop(self, stop_id: str) -> Stop:
        for stop in self.stops:
            if stop.stop_id == stop_id:
                return stop
        raise KeyError(f"unknown stop {stop_id!r}")

    def get_route(self, route_id: str) -> Route:
        for route in self.routes:
            if route.route_id == route_id:
                return route
        raise KeyError(f"unknown route {route_id!r}")

    def get_trip(self, trip_id: str) -> Trip:
        for trip in self.trips:
            if trip.trip_id == trip_id:
                return trip
        raise KeyError(f"unknown trip {trip_id!r}")

    def trip_stop_times(self, trip_id: str) -> list[StopTime]:
        rows = [st for st in self.stop_times if st.trip_id == trip_id]
        rows.sort(key=lambda st: st.stop_sequence)
        return rows

    def service_ids(self) -> list[str]:
        ids = {cal.service_id for cal in self.calendars}
        ids.update(cd.service_id for cd in self.calendar_dates)
        return sorted(ids)

    def summary(self) -> dict[str, int]:
        return {"stops": len(self.stops), "routes": len(self.routes), "trips": len(self.trips),
                "stop_times": len(self.stop_times), "services": len(self.service_ids())}
