"""Departure boards per stop and headway statistics per route."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, timedelta

from .model import Feed
from .service import _check_day, active_services, service_active
from .timeutil import DAY_SECONDS, format_clock, format_duration


@dataclass(frozen=True)
class Departure:
    time: int
    stop_id: str
    trip_id: str
    route_id: str
    route_name: str
    headsign: str
    service_date: date

    @property
    def clock(self) -> str:
        return format_clock(self.time)


@dataclass(frozen=True)
class HeadwayStats:
    route_id: str
    direction_id: int
    trips: int
    first: int | None
    last: int | None
    min_gap: int | None
    max_gap: int | None
    mean_gap: float | None
    median_gap: float | None
    busiest_hour: int | None
    busiest_count: int


def _check_board_args(after, limit, window) -> None:
    if isinstance(after, bool) or not isinstance(after, int):
        raise TypeError("after must be an int number of seconds")
    if after < 0:
        raise ValueError("after must not be negative")
    if limit is not None:
        if isinstance(limit, bool) or not isinstance(limit, int):
            raise TypeError("limit must be an int or None")
        if limit < 0:
            raise ValueError("limit must not be negative")
    if window is not None and window <= 0:
        raise ValueError("window must be positive")


def departure_board(feed: Feed, stop_id: str, day: date, after: int = 0,
                    limit: int | None = 10, window: int | None = None) -> list[Departure]:
    """Departures from ``stop_id`` on calendar date ``day`` at or after ``after`` seconds.

    Trips of the previous service day that run past midnight are included with their
    times shifted into ``day``.  Results are ordered by time, then route name, then trip.
    """
    _check_day(day)
    _check_board_args(after, limit, window)
    feed.get_stop(stop_id)
    previous = day - timedelta(days=1)

    found = []
    for st in feed.stop_times:
        if st.stop_id != stop_id:
            continue
        trip = feed.get_trip(st.trip_id)
        candidates = []
        if st.departure >= after and service_active(feed, trip.service_id, day):
            candidates.append((st.departure, day))
        if st.departure >= DAY_SECONDS and service_active(feed, trip.service_id, previous):
            shifted = st.departure - DAY_SECONDS
            if shifted >= after:
                candidates.append((shifted, previous))
        for when, service_date in candidates:
            if window is not None and when >= after + window:
                continue
            route = feed.get_route(trip.route_id)
            found.append(Departure(when, stop_id, trip.trip_id, route.route_id,
                                   route.short_name, trip.headsign, service_date))
    found.sort(key=lambda d: (d.time, d.route_name, d.trip_id))
    if limit is not None:
        found = found[:limit]
    return found


def departure_boards(feed: Feed, stop_ids: list[str], day: date, after: int = 0,
                     limit: int | None = 10, window: int | None = None,
                     ) -> dict[str, list[Departure]]:
    """Boards for several stops at once, keyed by stop id in the order given."""
    return {sid: departure_board(feed, sid, day, after, limit, window) for sid in stop_ids}


def format_board(feed: Feed, stop_id: str, departures: list[Departure]) -> str:
    stop = feed.get_stop(stop_id)
    lines = [f"Departures from {stop.name}"]
    if not departures:
        lines.append("  (no departures)")
    for dep in departures:
        lines.append(f"  {dep.clock:>8}  {dep.route_name:<5} {dep.headsign}")
    return "\n".join(lines)


def route_departures(feed: Feed, route_id: str, day: date, direction_id: int = 0,
                     stop_id: str | None = None) -> list[int]:
    """Sorted departure times of a route on ``day`` at ``stop_id`` (default: each trip's origin)."""
    feed.get_route(route_id)
    active = active_services(feed, day)
    wanted = {t.trip_id for t in feed.trips if t.route_id == route_id
              and t.direction_id == direction_id and t.service_id in active}
    first: dict[str, tuple[int, int]] = {}
    times = []
    for st in feed.stop_times:
        if st.trip_id not in wanted:
            continue
        if stop_id is not None:
            if st.stop_id == stop_id:
                times.append(st.departure)
            continue
        known = first.get(st.trip_id)
        if known is None or st.stop_sequence < known[0]:
            first[st.trip_id] = (st.stop_sequence, st.departure)
    if stop_id is None:
        times = [dep for _, dep in first.values()]
    times.sort()
    return times


def headway_stats(feed: Feed, route_id: str, day: date, direction_id: int = 0,
                  stop_id: str | None = None) -> HeadwayStats:
    """Gaps between consecutive departures of a route (seconds) and its busiest hour."""
    times = route_departures(feed, route_id, day, direction_id, stop_id)
    if not times:
        return HeadwayStats(route_id, direction_id, 0, None, None, None, None, None, None, None, 0)
    gaps = [b - a for a, b in zip(times, times[1:])]
    busiest_hour, busiest_count = None, 0
    for hour in range(times[0] // 3600, times[-1] // 3600 + 1):
        count = len([t for t in times if hour * 3600 <= t < (hour + 1) * 3600])
        if count > busiest_count:
            busiest_hour, busiest_count = hour, count
    spread = (min(gaps), max(gaps), round(statistics.fmean(gaps), 2),
              float(statistics.median(gaps))) if gaps else (None, None, None, None)
    return HeadwayStats(route_id, direction_id, len(times), times[0], times[-1], *spread,
                        busiest_hour, busiest_count)


def headway_report(feed: Feed, day: date) -> list[HeadwayStats]:
    """Stats for every route and direction that has trips in the feed."""
    pairs = sorted({(t.route_id, t.direction_id) for t in feed.trips})
    return [headway_stats(feed, route_id, day, direction) for route_id, direction in pairs]


def format_headways(report: list[HeadwayStats]) -> str:
    lines = [f"{'route':<8}{'dir':>4}{'trips':>7}{'first':>8}{'last':>8}{'mean':>9}{'max':>9}"]
    for row in report:
        if row.trips == 0:
            lines.append(f"{row.route_id:<8}{row.direction_id:>4}{0:>7}")
            continue
        mean = format_duration(int(row.mean_gap)) if row.mean_gap is not None else "-"
        worst = format_duration(row.max_gap) if row.max_gap is not None else "-"
        lines.append(f"{row.route_id:<8}{row.direction_id:>4}{row.trips:>7}"
                     f"{format_clock(row.first):>8}{format_clock(row.last):>8}{mean:>9}{worst:>9}")
    return "\n".join(lines)
