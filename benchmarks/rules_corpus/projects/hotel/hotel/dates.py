"""Calendar helpers: ISO date strings, stay nights and weekday names."""

from __future__ import annotations

from datetime import date, datetime, timedelta

DATE_FORMAT = "%Y-%m-%d"
WEEKDAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
MAX_STAY_NIGHTS = 60


def parse_date(value: str | date) -> date:
    """Accept a `date` or an ISO 'YYYY-MM-DD' string (surrounding spaces allowed)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise TypeError(f"expected a date or a string, got {type(value).__name__}")
    return datetime.strptime(value.strip(), DATE_FORMAT).date()


def format_date(day: date) -> str:
    return day.strftime(DATE_FORMAT)


def nights_between(check_in: str | date, check_out: str | date) -> int:
    start = parse_date(check_in)
    end = parse_date(check_out)
    if end <= start:
        raise ValueError(f"check-out {format_date(end)} is not after check-in {format_date(start)}")
    count = 0
    day = start
    while day < end:
        count += 1
        day = day + timedelta(days=1)
    return count


def date_range(start: str | date, end: str | date) -> list[date]:
    """Every night from `start` up to but not including `end`."""
    first = parse_date(start)
    last = parse_date(end)
    days = []
    day = first
    while day < last:
        days.append(day)
        day = day + timedelta(days=1)
    return days


def stay_nights(check_in: str | date, check_out: str | date) -> list[date]:
    nights = nights_between(check_in, check_out)
    if nights > MAX_STAY_NIGHTS:
        raise ValueError(f"stay of {nights} nights is longer than {MAX_STAY_NIGHTS}")
    return date_range(check_in, check_out)


def covers_night(check_in: str | date, check_out: str | date, night: date) -> bool:
    return parse_date(check_in) <= night < parse_date(check_out)


def overlaps(a_in: str | date, a_out: str | date, b_in: str | date, b_out: str | date) -> bool:
    return parse_date(a_in) < parse_date(b_out) and parse_date(b_in) < parse_date(a_out)


def weekday_name(day: date) -> str:
    return WEEKDAY_NAMES[day.weekday()]


def in_season(day: date, season: dict) -> bool:
    return parse_date(season["start"]) <= day <= parse_date(season["end"])
