"""Date helpers. Dates travel through the system as ISO strings ("2024-03-01")."""

from datetime import date, datetime, timedelta

DATE_FORMAT = "%Y-%m-%d"


def parse_date(value):
    """An ISO date string (or a date/datetime) as a ``date``; ValueError if invalid."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return datetime.strptime(value.strip(), DATE_FORMAT).date()
    except (AttributeError, TypeError, ValueError) as exc:
        raise ValueError(f"invalid date: {value!r}") from exc


def format_date(value):
    return parse_date(value).strftime(DATE_FORMAT)


def add_days(value, days):
    return parse_date(value) + timedelta(days=days)

