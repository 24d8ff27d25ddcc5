"""Stops, lines, trips and the network that holds them."""

from __future__ import annotations

import enum
from datetime import date, datetime, time, timedelta

_DAY = date(2000, 1, 1)
_MIDNIGHT = datetime.combine(_DAY, time(0))


class Mode(enum.Enum):
    TRAM = "tram"
    BUS = "bus"
    WALK = "walk"


def to_timedelta(t: time) -> timedelta:
    """Time of day -> offset since midnight."""
    return datetime.combine(_DAY, t) - _MIDNIGHT


def to_time(delta: timedelta) -> time:
    """Offset since midnight -> time of day (ValueError outside the service day)."""
    if delta < timedelta(0) or delta >= timedelta(days=1):
        raise ValueError(f"offset {delta} is outside the service day")
    return (_MIDNIGHT + delta).time()


def parse_time(text: str) -> time:
    """Parse 'HH:MM' or 'HH:MM:SS'."""
    parts = text.strip().split(":")
    if len(parts) not in (2, 3):
        raise ValueError(f"bad time {text!r}")
    return time(*[int(p) for p in parts])


def format_time(t: time) -> str:
    if t.second:
        return f"{t.hour:02d}:{t.minute:02d}:{t.second:02d}"
    return f"{t.hour:02d}:{t.minute:02d}"


class Stop:
    def __init__(self, stop_id: str, name: str, zone: int = 1):
        if zone < 1:
            raise ValueError("zones are numbered from 1")
        self.stop_id = stop_id
        self.name = name
        self.zone = zone


class Trip:
    """One run of a vehicle along its line, starting at ``departure``."""

    def __init__(self, trip_id: str, line: Line, departure: time):
        self.trip_id = trip_id
        self.line = line
        self._departure = departure

    @property
    def departure(self) -> time:
        return self._departure

    @property
    def times(self) -> list[time]:
        """Scheduled time at each stop of the line, in stop order."""
        start = to_timedelta(self._departure)
        return [to_time(start + offset) for offset in self.line.offsets]

    @property
    def arrival(self) -> time:
        return self.times[-1]

    def time_at(self, stop_id: str) -> time:
        return self.times[self.line.index_of(stop_id)]


class Line:
    """A line: fixed stop sequence, running minutes between stops, and its trips."""

    def __init__(self, line_id: str, mode: Mode, stop_ids, run_minutes):
        stop_ids = list(stop_ids)
        run_minutes = list(run_minutes)
        if len(stop_ids) < 2:
            raise ValueError("a line needs at least two stops")
        if len(set(stop_ids)) != len(stop_ids):
            raise ValueError("a line may not call at the same stop twice")
        if len(run_minutes) != len(stop_ids) - 1:
            raise ValueError("need one running time between each pair of stops")
        if any(m <= 0 for m in run_minutes):
            raise ValueError("running times must be positive")
        self.line_id = line_id
        self.mode = mode
        self._stops = stop_ids
        self._run_minutes = run_minutes
        self._trips: list[Trip] = []

    @property
    def stops(self) -> list[str]:
        return list(self._stops)

    @property
    def terminus(self) -> str:
        return self._stops[-1]

    @property
    def offsets(self) -> list[timedelta]:
        """Time from the first stop to each stop."""
        result = [timedelta(0)]
        for minutes in self._run_minutes:
            result.append(result[-1] + timedelta(minutes=minutes))
        return result

    def index_of(self, stop_id: str) -> int:
        return self._stops.index(stop_id)

    def add_trip(self, departure: time) -> Trip:
        last = to_timedelta(departure) + self.offsets[-1]
        if last >= timedelta(days=1):
            raise ValueError("trip would run past the end of the service day")
        trip = Trip(f"{self.line_id}-{len(self._trips) + 1}", self, departure)
        self._trips.append(trip)
        self._trips.sort(key=lambda t: t.departure)
        return trip

    def add_trips_every(self, first: time, last: time, headway_minutes: int) -> list[Trip]:
        if headway_minutes <= 0:
            raise ValueError("headway must be positive")
        added = []
        current = to_timedelta(first)
        while current <= to_timedelta(last):
            added.append(self.add_trip(to_time(current)))
            current += timedelta(minutes=headway_minutes)
        return added

    def trips_from(self, stop_id: str, after: time):
        """Yield (trip, time at stop) for trips calling at stop_id at or after ``after``."""
        index = self.index_of(stop_id)
        for trip in self._trips:
            at = trip.times[index]
            if at >= after:
                yield trip, at

    def __iter__(self):
        return iter(list(self._trips))

    def __len__(self):
        return len(self._trips)

    def __contains__(self, stop_id):
        return stop_id in self._stops


class WalkLink:
    def __init__(self, from_stop: str, to_stop: str, minutes: int):
        self.from_stop, self.to_stop = from_stop, to_stop
        self.duration = timedelta(minutes=minutes)


class Network:
    def __init__(self):
        self._stops: list[Stop] = []
        self._lines: list[Line] = []
        self._walks: list[WalkLink] = []

    def add_stop(self, stop: Stop) -> Stop:
        if stop.stop_id in self:
            raise ValueError(f"duplicate stop {stop.stop_id}")
        self._stops.append(stop)
        return stop

    def add_line(self, line: Line) -> Line:
        for stop_id in line.stops:
            if stop_id not in self:
                raise KeyError(stop_id)
        if any(existing.line_id == line.line_id for existing in self._lines):
            raise ValueError(f"duplicate line {line.line_id}")
        self._lines.append(line)
        return line

    def add_walk(self, a: str, b: str, minutes: int) -> None:
        if a not in self or b not in self:
            raise KeyError(a if a not in self else b)
        if a == b or minutes <= 0:
            raise ValueError("a walk joins two different stops and takes time")
        self._walks.append(WalkLink(a, b, minutes))
        self._walks.append(WalkLink(b, a, minutes))

    def stop(self, stop_id: str) -> Stop:
        for stop in self._stops:
            if stop.stop_id == stop_id:
                return stop
        raise KeyError(stop_id)

    def line(self, line_id: str) -> Line:
        for line in self._lines:
            if line.line_id == line_id:
                return line
        raise KeyError(line_id)

    def trip(self, trip_id: str) -> Trip:
        for line in self._lines:
            for trip in line:
                if trip.trip_id == trip_id:
                    return trip
        raise KeyError(trip_id)

    @property
    def lines(self) -> list[Line]:
        return list(self._lines)

    def lines_at(self, stop_id: str):
        for line in self._lines:
            if stop_id in line:
                yield line

    def walks_from(self, stop_id: str):
        for walk in self._walks:
            if walk.from_stop == stop_id:
                yield walk

    def __iter__(self):
        return iter(list(self._stops))

    def __len__(self):
        return len(self._stops)

    def __contains__(self, stop_id):
        return any(stop.stop_id == stop_id for stop in self._stops)
