"""Parse GTFS-like comma separated text tables into a :class:`Feed`."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping

from .model import CalendarDate, Feed, FeedError, Route, ServiceCalendar, Stop, StopTime, Trip
from .timeutil import WEEKDAY_NAMES, parse_date, parse_time

REQUIRED_COLUMNS = {
    "stops": ("stop_id", "stop_name", "stop_lat", "stop_lon"),
    "routes": ("route_id", "route_short_name"),
    "trips": ("route_id", "service_id", "trip_id"),
    "stop_times": ("trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"),
    "calendar": ("service_id", *WEEKDAY_NAMES, "start_date", "end_date"),
    "calendar_dates": ("service_id", "date", "exception_type"),
}


def read_table(text: str, name: str = "table") -> list[dict[str, str]]:
    """Read one CSV table; keys and values are stripped, blank lines skipped."""
    if not isinstance(text, str):
        raise TypeError(f"{name}: table text must be a string")
    header = None
    rows = []
    for line_no, values in enumerate(csv.reader(io.StringIO(text.lstrip("\ufeff"))), start=1):
        if not values or all(not v.strip() for v in values):
            continue
        if header is None:
            header = [v.strip() for v in values]
            continue
        if len(values) != len(header):
            raise FeedError(f"{name} line {line_no}: expected {len(header)} fields")
        rows.append({key: value.strip() for key, value in zip(header, values)})
    if header is None:
        return []
    missing = [c for c in REQUIRED_COLUMNS.get(name, ()) if c not in header]
    if missing:
        raise FeedError(f"{name}: missing columns {', '.join(missing)}")
    return rows


def _number(value: str, kind: type, what: str, default=None):
    if value == "" and default is not None:
        return default
    try:
        return kind(value)
    except ValueError:
        raise FeedError(f"bad {what} {value!r}") from None


def _parse_stops(rows) -> list[Stop]:
    stops, seen = [], set()
    for row in rows:
        stop_id = row["stop_id"]
        if not stop_id or stop_id in seen:
            raise FeedError(f"empty or duplicate stop id {stop_id!r}")
        seen.add(stop_id)
        lat = _number(row["stop_lat"], float, "latitude")
        lon = _number(row["stop_lon"], float, "longitude")
        if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
            raise FeedError(f"stop {stop_id!r} has coordinates out of range")
        stops.append(Stop(stop_id, row["stop_name"], lat, lon))
    return stops


def _parse_calendars(rows) -> list[ServiceCalendar]:
    calendars = []
    for row in rows:
        if any(row[name] not in ("0", "1") for name in WEEKDAY_NAMES):
            raise FeedError(f"calendar {row['service_id']!r}: weekday flags must be 0 or 1")
        start, end = parse_date(row["start_date"]), parse_date(row["end_date"])
        if end < start:
            raise FeedError(f"calendar {row['service_id']!r} ends before it starts")
        flags = tuple(row[name] == "1" for name in WEEKDAY_NAMES)
        calendars.append(ServiceCalendar(row["service_id"], flags, start, end))
    return calendars


def _parse_calendar_dates(rows) -> list[CalendarDate]:
    exceptions = []
    for row in rows:
        kind = _number(row["exception_type"], int, "exception_type")
        if kind not in (1, 2):
            raise FeedError(f"exception_type must be 1 or 2, got {kind}")
        exceptions.append(CalendarDate(row["service_id"], parse_date(row["date"]), kind))
    return exceptions


def load_feed(tables: Mapping[str, str]) -> Feed:
    """Build a feed from table texts keyed by table name (``"stops"``, ``"trips"``, ...)."""
    for name in REQUIRED_COLUMNS:
        if name not in tables and not name.startswith("calendar"):
            raise FeedError(f"missing table {name!r}")
    if "calendar" not in tables and "calendar_dates" not in tables:
        raise FeedError("feed needs calendar or calendar_dates")

    stops = _parse_stops(read_table(tables["stops"], "stops"))
    routes = []
    for row in read_table(tables["routes"], "routes"):
        if any(r.route_id == row["route_id"] for r in routes):
            raise FeedError(f"duplicate route {row['route_id']!r}")
        route_type = _number(row.get("route_type", ""), int, "route_type", 3)
        routes.append(Route(row["route_id"], row["route_short_name"],
                            row.get("route_long_name", ""), route_type))
    calendars = _parse_calendars(read_table(tables.get("calendar", ""), "calendar"))
    calendar_dates = _parse_calendar_dates(
        read_table(tables.get("calendar_dates", ""), "calendar_dates"))

    route_ids = [r.route_id for r in routes]
    trips, trip_ids = [], []
    for row in read_table(tables["trips"], "trips"):
        if row["route_id"] not in route_ids:
            raise FeedError(f"trip {row['trip_id']!r} references unknown route")
        if row["trip_id"] in trip_ids:
            raise FeedError(f"duplicate trip {row['trip_id']!r}")
        trip_ids.append(row["trip_id"])
        direction = _number(row.get("direction_id", ""), int, "direction_id", 0)
        trips.append(Trip(row["trip_id"], row["route_id"], row["service_id"],
                          row.get("trip_headsign", ""), direction))

    stop_ids = [s.stop_id for s in stops]
    stop_times = []
    for row in read_table(tables["stop_times"], "stop_times"):
        trip_id, stop_id = row["trip_id"], row["stop_id"]
        if trip_id not in trip_ids:
            raise FeedError(f"stop_time references unknown trip {trip_id!r}")
        if stop_id not in stop_ids:
            raise FeedError(f"stop_time references unknown stop {stop_id!r}")
        arr_text = row["arrival_time"] or row["departure_time"]
        dep_text = row["departure_time"] or row["arrival_time"]
        if not arr_text:
            raise FeedError(f"trip {trip_id!r}: stop_time without any time")
        try:
            arrival, departure = parse_time(arr_text), parse_time(dep_text)
        except ValueError as exc:
            raise FeedError(f"trip {trip_id!r}: {exc}") from None
        if departure < arrival:
            raise FeedError(f"trip {trip_id!r} departs stop {stop_id!r} before arriving")
        seq = _number(row["stop_sequence"], int, "stop_sequence")
        stop_times.append(StopTime(trip_id, stop_id, seq, arrival, departure))

    stop_times.sort(key=lambda st: (st.trip_id, st.stop_sequence))
    for prev, cur in zip(stop_times, stop_times[1:]):
        if prev.trip_id != cur.trip_id:
            continue
        if cur.stop_sequence == prev.stop_sequence:
            raise FeedError(f"trip {cur.trip_id!r} repeats stop_sequence {cur.stop_sequence}")
        if cur.arrival < prev.departure:
            raise FeedError(f"trip {cur.trip_id!r} goes back in time at {cur.stop_id!r}")
    return Feed(stops, routes, trips, stop_times, calendars, calendar_dates)


def dump_table(header: list[str], rows: list[list[object]]) -> str:
    """Write rows as a CSV table text (used to build feeds in code)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
