"""Walking transfers and earliest-arrival journeys (connection scan)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from .model import Feed, Transfer
from .service import active_services
from .timeutil import format_clock, format_duration

EARTH_RADIUS_M = 6_371_008.8
WALK_DETOUR = 1.25
UNREACHED = 10**9


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    phi1 = math.radians(lat1)
    phi2 = math.radians(lat2)
    dphi = math.radians(lat2 - lat1)
    dlam = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, h)))


def walk_seconds(distance: float, speed: float = 1.3, min_seconds: int = 60) -> int:
    return max(min_seconds, math.ceil(distance * WALK_DETOUR / speed))


def walking_transfers(feed: Feed, max_distance: float = 400.0, speed: float = 1.3,
                      min_seconds: int = 60) -> list[Transfer]:
    """Footpaths between distinct stops closer than ``max_distance`` metres.

    Both directions are listed.  Sorted by origin stop, walking time, then target stop.
    """
    if max_distance < 0:
        raise ValueError("max_distance must not be negative")
    if speed <= 0:
        raise ValueError("speed must be positive")
    transfers = []
    for a in feed.stops:
        for b in feed.stops:
            if a.stop_id == b.stop_id:
                continue
            d = distance_m(a.lat, a.lon, b.lat, b.lon)
            if d <= max_distance:
                seconds = walk_seconds(d, speed, min_seconds)
                transfers.append(Transfer(a.stop_id, b.stop_id, round(d, 1), seconds))
    transfers.sort(key=lambda t: (t.from_stop, t.walk_seconds, t.to_stop))
    return transfers


@dataclass(frozen=True)
class Connection:
    departure: int
    arrival: int
    from_stop: str
    to_stop: str
    trip_id: str
    route_id: str


@dataclass(frozen=True)
class Leg:
    kind: str
    from_stop: str
    to_stop: str
    departure: int
    arrival: int
    trip_id: str | None = None
    route_id: str | None = None


@dataclass(frozen=True)
class Journey:
    origin: str
    target: str
    departure: int
    arrival: int
    legs: tuple[Leg, ...]

    @property
    def duration(self) -> int:
        return self.arrival - self.departure

    @property
    def rides(self) -> int:
        return sum(1 for leg in self.legs if leg.kind == "ride")

    def describe(self) -> str:
        parts = [f"{self.origin} -> {self.target}: {format_duration(self.duration)}"]
        for leg in self.legs:
            what = f"ride {leg.route_id}" if leg.kind == "ride" else "walk"
            parts.append(f"  {format_clock(leg.departure)} {what} {leg.from_stop} -> "
                         f"{leg.to_stop} ({format_clock(leg.arrival)})")
        return "\n".join(parts)


def build_connections(feed: Feed, day: date) -> list[Connection]:
    """Elementary connections (one hop of one trip) of the trips running on ``day``."""
    active = active_services(feed, day)
    running = {t.trip_id: t for t in feed.trips if t.service_id in active}
    ordered = sorted(feed.stop_times, key=lambda st: (st.trip_id, st.stop_sequence))
    connections = []
    for prev, cur in zip(ordered, ordered[1:]):
        if prev.trip_id != cur.trip_id:
            continue
        trip = running.get(prev.trip_id)
        if trip is None:
            continue
        connections.append(Connection(prev.departure, cur.arrival, prev.stop_id, cur.stop_id,
                                      trip.trip_id, trip.route_id))
    connections.sort(key=lambda c: (c.departure, c.arrival, c.trip_id))
    return connections


class ConnectionScanner:
    """Answers earliest-arrival queries for one service day.

    Connections are scanned in departure order; a trip can be used once it has been
    boarded at a reached stop, and walking transfers are followed from stops reached by
    a ride (and from the origin).
    """

    def __init__(self, feed: Feed, day: date, transfers: list[Transfer] | None = None):
        self.day = day
        self.stop_ids = {s.stop_id for s in feed.stops}
        self.connections = build_connections(feed, day)
        if transfers is None:
            transfers = walking_transfers(feed)
        self.transfers = list(transfers)

    def _check(self, stop_id: str) -> None:
        if stop_id not in self.stop_ids:
            raise KeyError(f"unknown stop {stop_id!r}")

    def _walk_from(self, stop_id, time, best, via) -> None:
        for t in self.transfers:
            if t.from_stop != stop_id:
                continue
            when = time + t.walk_seconds
            if when < best.get(t.to_stop, UNREACHED):
                best[t.to_stop] = when
                via[t.to_stop] = Leg("walk", stop_id, t.to_stop, time, when)

    def _scan(self, origin: str, depart: int):
        best = {origin: depart}
        via: dict[str, Leg] = {}
        rode = {origin: depart}
        rode_via: dict[str, Leg] = {}
        self._walk_from(origin, depart, best, via)
        boarded: list[str] = []
        boarded_at: dict[str, tuple[str, int]] = {}
        for c in self.connections:
            if c.departure < depart:
                continue
            if c.trip_id not in boarded:
                if best.get(c.from_stop, UNREACHED) > c.departure:
                    continue
                boarded.append(c.trip_id)
                boarded_at[c.trip_id] = (c.from_stop, c.departure)
            if c.arrival < rode.get(c.to_stop, UNREACHED):
                board_stop, board_time = boarded_at[c.trip_id]
                leg = Leg("ride", board_stop, c.to_stop, board_time, c.arrival, c.trip_id,
                          c.route_id)
                rode[c.to_stop] = c.arrival
                rode_via[c.to_stop] = leg
                if c.arrival < best.get(c.to_stop, UNREACHED):
                    best[c.to_stop] = c.arrival
                    via[c.to_stop] = leg
                self._walk_from(c.to_stop, c.arrival, best, via)
        return best, via, rode_via

    def earliest_arrival(self, origin: str, target: str, depart: int) -> Journey | None:
        """Fastest journey leaving ``origin`` no earlier than ``depart``; None if unreachable."""
        self._check(origin)
        self._check(target)
        if depart < 0:
            raise ValueError("depart must not be negative")
        if origin == target:
            return Journey(origin, target, depart, depart, ())
        best, via, rode_via = self._scan(origin, depart)
        if target not in best:
            return None
        legs = [via[target]]
        while legs[-1].from_stop != origin:
            leg = legs[-1]
            legs.append(rode_via[leg.from_stop] if leg.kind == "walk" else via[leg.from_stop])
        legs.reverse()
        return Journey(origin, target, depart, best[target], tuple(legs))

    def reachable(self, origin: str, depart: int, deadline: int | None = None) -> dict[str, int]:
        """Earliest arrival time at every stop reachable from ``origin`` (by stop id)."""
        self._check(origin)
        if depart < 0:
            raise ValueError("depart must not be negative")
        best = self._scan(origin, depart)[0]
        return {stop: when for stop, when in sorted(best.items())
                if deadline is None or when <= deadline}


def earliest_arrival(feed: Feed, day: date, origin: str, target: str,
                     depart: int) -> Journey | None:
    """One-off query; build a :class:`ConnectionScanner` when asking many."""
    return ConnectionScanner(feed, day).earliest_arrival(origin, target, depart)
