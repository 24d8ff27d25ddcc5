"""Trips parsed from the operator's CSV-like export."""

from datetime import datetime

FIELDS = ("trip_id", "bike_id", "started", "ended", "origin", "dest", "rider", "bike_type")
RIDER_TYPES = ("member", "casual")
BIKE_TYPES = ("classic", "electric")


def parse_timestamp(text):
    """'YYYY-MM-DD HH:MM[:SS]' -> datetime; ValueError if malformed."""
    date_part, _, time_part = text.strip().partition(" ")
    pieces = date_part.split("-")
    clock = time_part.strip().split(":")
    if len(clock) == 2:
        clock.append("0")
    if len(pieces) != 3 or len(clock) != 3:
        raise ValueError(f"bad timestamp {text!r}")
    year, month, day = (int(p) for p in pieces)
    hour, minute, second = (int(p) for p in clock)
    return datetime(year, month, day, hour, minute, second)


class Trip:
    """One ride. Timestamps are kept as the text of the export and read when needed."""

    __slots__ = FIELDS

    def __init__(self, trip_id, bike_id, started, ended, origin, dest, rider, bike_type):
        self.trip_id = trip_id
        self.bike_id = bike_id
        self.started = started
        self.ended = ended
        self.origin = origin
        self.dest = dest
        self.rider = rider
        self.bike_type = bike_type

    def __repr__(self):
        values = ", ".join(repr(getattr(self, name)) for name in FIELDS)
        return f"Trip({values})"

    def __eq__(self, other):
        if not isinstance(other, Trip):
            return NotImplemented
        return self.as_tuple() == other.as_tuple()

    __hash__ = None

    def as_tuple(self):
        return tuple(getattr(self, name) for name in FIELDS)

    @property
    def start_time(self):
        return parse_timestamp(self.started)

    @property
    def end_time(self):
        return parse_timestamp(self.ended)

    @property
    def start_hour(self):
        return self.start_time.hour

    @property
    def end_hour(self):
        return self.end_time.hour

    @property
    def day(self):
        return self.start_time.date()

    @property
    def month(self):
        start = self.start_time
        return (start.year, start.month)

    @property
    def duration_minutes(self):
        return (self.end_time - self.start_time).total_seconds() / 60.0

    def is_round_trip(self):
        return self.origin == self.dest


def parse_trip_line(line):
    parts = [p.strip() for p in line.rstrip("\r\n").split(",")]
    if len(parts) != len(FIELDS):
        raise ValueError(f"expected {len(FIELDS)} fields, got {len(parts)}: {line!r}")
    trip_id, bike_id, started, ended, origin, dest, rider, bike_type = parts
    if not trip_id or not origin or not dest:
        raise ValueError(f"missing id or station: {line!r}")
    rider = rider.lower()
    bike_type = bike_type.lower()
    if rider not in RIDER_TYPES:
        raise ValueError(f"unknown rider type {rider!r}")
    if bike_type not in BIKE_TYPES:
        raise ValueError(f"unknown bike type {bike_type!r}")
    if parse_timestamp(ended) < parse_timestamp(started):
        raise ValueError(f"trip {trip_id} ends before it starts")
    return Trip(trip_id, bike_id, started, ended, origin, dest, rider, bike_type)


def iter_trips(lines, errors=None):
    """Yield trips from text lines.

    Blank lines, '#' comments and header lines are skipped. A malformed line raises
    ValueError, unless ``errors`` is a list: then (line_number, message) is appended to it
    and the line is skipped.
    """
    for lineno, line in enumerate(lines, 1):
        text = line.strip()
        if not text or text.startswith("#") or text.lower().startswith("trip_id,"):
            continue
        try:
            trip = parse_trip_line(text)
        except ValueError as exc:
            if errors is None:
                raise
            errors.append((lineno, str(exc)))
            continue
        yield trip


def read_trips(source, errors=None):
    """Trips from a block of text or an iterable of lines, duplicates (same id) dropped."""
    lines = source.splitlines() if isinstance(source, str) else source
    seen = set()
    trips = []
    for trip in iter_trips(lines, errors):
        if trip.trip_id in seen:
            continue
        seen.add(trip.trip_id)
        trips.append(trip)
    return trips


def trips_in_month(trips, year, month):
    for trip in trips:
        if trip.month == (year, month):
            yield trip


def trips_by_bike(trips):
    """bike_id -> that bike's trips in time order."""
    result = {}
    for trip in sorted(trips, key=lambda t: (t.bike_id, t.start_time, t.trip_id)):
        result.setdefault(trip.bike_id, []).append(trip)
    return result
