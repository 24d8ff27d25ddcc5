"""Parsing of the pipe-separated text tables the timetable office publishes.

Every table is one record per line, fields separated by ``|``. Blank lines and lines
starting with ``#`` are ignored. The parsers only check the shape of each record; the
cross references (a service naming a line that exists, ...) are checked by ``Network``.
"""

import re
from decimal import Decimal, InvalidOperation

DAY_TYPES = ("WD", "SA", "SU")
DAY_NAMES = {"WD": "Weekday", "SA": "Saturday", "SU": "Sunday"}
DIRECTIONS = ("up", "down")

_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")
_CODE_RE = re.compile(r"^[A-Z]{3}$")


def _records(text, min_fields, max_fields, table):
    if not isinstance(text, str):
        raise TypeError(f"{table} table must be text, not {type(text).__name__}")
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = [field.strip() for field in line.split("|")]
        if not min_fields <= len(fields) <= max_fields:
            raise ValueError(f"{table} line {number}: expected {min_fields}-{max_fields} fields")
        yield number, fields


def _int_field(value, table, number, what, minimum=0):
    try:
        result = int(value)
    except ValueError:
        raise ValueError(f"{table} line {number}: {what} {value!r} is not a number") from None
    if result < minimum:
        raise ValueError(f"{table} line {number}: {what} must be at least {minimum}")
    return result


def check_code(code):
    """Return ``code`` if it is a valid three-letter station code, else raise ValueError."""
    if not isinstance(code, str) or not _CODE_RE.match(code):
        raise ValueError(f"bad station code {code!r}")
    return code


def parse_time(text):
    """'HH:MM' -> minutes after midnight. Hours up to 29 allow after-midnight running."""
    match = _TIME_RE.match(text.strip())
    if not match:
        raise ValueError(f"bad time {text!r}")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes >= 60 or hours > 29:
        raise ValueError(f"bad time {text!r}")
    return hours * 60 + minutes


def format_time(minutes):
    """Minutes after midnight -> 'HH:MM' on the 24-hour clock."""
    if minutes < 0:
        raise ValueError("time cannot be negative")
    hours, mins = divmod(int(minutes) % 1440, 60)
    return f"{hours:02d}:{mins:02d}"


def parse_stations(text):
    """``code|name|zone[|min_change]`` -> list of (code, name, zone, min_change)."""
    stations = []
    for number, fields in _records(text, 3, 4, "stations"):
        code = check_code(fields[0])
        name = fields[1]
        if not name:
            raise ValueError(f"stations line {number}: empty name")
        zone = _int_field(fields[2], "stations", number, "zone", minimum=1)
        change = 5
        if len(fields) == 4 and fields[3]:
            change = _int_field(fields[3], "stations", number, "change time")
        stations.append((code, name, zone, change))
    return stations


def parse_lines(text):
    """``line|CODE:run,CODE:run,...`` -> list of (line_id, [(code, run), ...]).

    ``run`` is the running time in minutes from the previous station; the first is 0.
    """
    lines = []
    for number, fields in _records(text, 2, 2, "lines"):
        line_id = fields[0]
        if not line_id:
            raise ValueError(f"lines line {number}: empty line id")
        stops = []
        for item in fields[1].split(","):
            code, sep, run = item.strip().partition(":")
            if not sep:
                raise ValueError(f"lines line {number}: stop {item!r} has no running time")
            stops.append((check_code(code), _int_field(run, "lines", number, "running time")))
        lines.append((line_id, stops))
    return lines


def parse_services(text):
    """``service|line|day|HH:MM|up/down[|SKIP;SKIP]`` -> list of tuples.

    Each tuple is (service_id, line_id, day, departure_minutes, direction, [skipped codes]).
    """
    services = []
    for number, fields in _records(text, 5, 6, "services"):
        service_id, line_id, day, dep, direction = fields[:5]
        if not service_id or not line_id:
            raise ValueError(f"services line {number}: empty id")
        if day not in DAY_TYPES:
            raise ValueError(f"services line {number}: unknown day type {day!r}")
        if direction not in DIRECTIONS:
            raise ValueError(f"services line {number}: direction must be up or down")
        skips = []
        if len(fields) == 6 and fields[5]:
            skips = [check_code(code.strip()) for code in fields[5].split(";")]
        services.append((service_id, line_id, day, parse_time(dep), direction, skips))
    return services


def parse_platforms(text):
    """``station|service|platform`` -> list of (station, service_id, platform)."""
    changes = []
    for number, fields in _records(text, 3, 3, "platforms"):
        code, service_id, platform = fields
        if not platform:
            raise ValueError(f"platforms line {number}: empty platform")
        changes.append((check_code(code), service_id, platform))
    return changes


def _money(value, table, number):
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{table} line {number}: bad amount {value!r}") from None
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"{table} line {number}: bad amount {value!r}")
    return value


def parse_fares(text):
    """``zones|peak|offpeak`` -> list of (zones, peak, offpeak), amounts kept as printed."""
    rows = []
    for number, fields in _records(text, 3, 3, "fares"):
        zones = _int_field(fields[0], "fares", number, "zones", minimum=1)
        rows.append((zones, _money(fields[1], "fares", number), _money(fields[2], "fares", number)))
    return rows


def parse_railcards(text):
    """``code|discount%|min_fare|offpeak_only(yes/no)`` -> list of railcard dicts."""
    cards = []
    for number, fields in _records(text, 4, 4, "railcards"):
        code, discount, min_fare, offpeak = fields
        if not code:
            raise ValueError(f"railcards line {number}: empty code")
        pct = _int_field(discount, "railcards", number, "discount")
        if pct > 100:
            raise ValueError(f"railcards line {number}: discount above 100%")
        if offpeak not in ("yes", "no"):
            raise ValueError(f"railcards line {number}: offpeak_only must be yes or no")
        cards.append(
            {
                "code": code,
                "discount": pct,
                "min_fare": _money(min_fare, "railcards", number),
                "offpeak_only": offpeak == "yes",
            }
        )
    return cards
