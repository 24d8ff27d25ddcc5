"""Which services run on which dates."""

from __future__ import annotations

from datetime import date, timedelta

from .model import Feed


def _check_day(day) -> None:
    if not isinstance(day, date):
        raise TypeError(f"expected a datetime.date, got {type(day).__name__}")


def service_active(feed: Feed, service_id: str, day: date) -> bool:
    """True when ``service_id`` runs on ``day``; dated exceptions override the calendar."""
    _check_day(day)
    for exc in feed.calendar_dates:
        if exc.service_id == service_id and exc.date == day:
            return exc.exception_type == 1
    for cal in feed.calendars:
        if cal.service_id == service_id:
            return cal.start_date <= day <= cal.end_date and cal.weekdays[day.weekday()]
    return False


def active_services(feed: Feed, day: date) -> set[str]:
    """Set of service ids running on ``day``."""
    _check_day(day)
    return {sid for sid in feed.service_ids() if service_active(feed, sid, day)}


def service_days(feed: Feed, service_id: str, start: date, end: date) -> list[date]:
    """Dates in ``[start, end]`` on which the service runs."""
    _check_day(start)
    _check_day(end)
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    return [d for d in days if service_active(feed, service_id, d)]


def trips_on(feed: Feed, day: date) -> list[str]:
    """Ids of the trips running on ``day``, in feed order."""
    active = active_services(feed, day)
    return [trip.trip_id for trip in feed.trips if trip.service_id in active]
