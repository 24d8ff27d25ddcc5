"""Earliest-arrival journey planning (label-setting search over stops)."""

from __future__ import annotations

from datetime import time, timedelta

from .network import Mode, Network, format_time, to_time, to_timedelta


class Leg:
    def __init__(self, mode: Mode, from_stop: str, to_stop: str, depart: time, arrive: time,
                 line_id: str | None = None, trip_id: str | None = None):
        self.mode = mode
        self.from_stop = from_stop
        self.to_stop = to_stop
        self.depart = depart
        self.arrive = arrive
        self.line_id = line_id
        self.trip_id = trip_id

    @property
    def duration(self) -> timedelta:
        return to_timedelta(self.arrive) - to_timedelta(self.depart)


class Journey:
    def __init__(self, legs, requested: time):
        self._legs = list(legs)
        self.requested = requested

    def __iter__(self):
        return iter(self._legs)

    def __len__(self):
        return len(self._legs)

    def __contains__(self, stop_id):
        return any(leg.from_stop == stop_id or leg.to_stop == stop_id for leg in self._legs)

    @property
    def origin(self) -> str:
        return self._legs[0].from_stop

    @property
    def destination(self) -> str:
        return self._legs[-1].to_stop

    @property
    def departure(self) -> time:
        return self._legs[0].depart

    @property
    def arrival(self) -> time:
        return self._legs[-1].arrive

    @property
    def duration(self) -> timedelta:
        """Door-to-door time counted from the requested departure."""
        return to_timedelta(self.arrival) - to_timedelta(self.requested)

    @property
    def transfers(self) -> int:
        rides = sum(1 for leg in self._legs if leg.mode is not Mode.WALK)
        return max(rides - 1, 0)

    def summary(self) -> str:
        parts = [leg.line_id or "walk" for leg in self._legs]
        return (f"{self.origin}->{self.destination} {format_time(self.departure)}-"
                f"{format_time(self.arrival)} via {'/'.join(parts)}")


class JourneyPlanner:
    """Textbook label-setting search.

    Each stop carries a label: the earliest known arrival time. The unsettled stop with the
    smallest label (ties broken by stop id) is settled next; from it we board the first trip of
    every line that leaves no earlier than the label plus the transfer time (no transfer time at
    the origin) and walk every link no longer than ``max_walk``.
    """

    def __init__(self, network: Network, transfer_minutes: int = 2, max_walk_minutes: int = 10):
        if transfer_minutes < 0 or max_walk_minutes < 0:
            raise ValueError("minutes must not be negative")
        self.network = network
        self.transfer = timedelta(minutes=transfer_minutes)
        self.max_walk = timedelta(minutes=max_walk_minutes)

    def _search(self, origin: str, depart: time, destination: str | None = None):
        if origin not in self.network:
            raise KeyError(origin)
        if destination is not None and destination not in self.network:
            raise KeyError(destination)
        labels = {origin: depart}
        came_by: dict[str, Leg] = {}
        settled = set()
        while True:
            open_labels = [(t, stop_id) for stop_id, t in labels.items() if stop_id not in settled]
            if not open_labels:
                break
            now, current = min(open_labels)
            settled.add(current)
            if current == destination:
                break
            ready = to_timedelta(now)
            if current != origin:
                ready += self.transfer
            if ready < timedelta(days=1):
                ready_time = to_time(ready)
                for line in self.network.lines_at(current):
                    index = line.index_of(current)
                    if index == len(line.stops) - 1:
                        continue
                    for trip, board_at in line.trips_from(current, ready_time):
                        times = trip.times
                        stops = line.stops
                        for later in range(index + 1, len(stops)):
                            stop_id = stops[later]
                            if stop_id in settled:
                                continue
                            if stop_id not in labels or times[later] < labels[stop_id]:
                                labels[stop_id] = times[later]
                                came_by[stop_id] = Leg(line.mode, current, stop_id, board_at,
                                                       times[later], line.line_id, trip.trip_id)
                        break
            for walk in self.network.walks_from(current):
                if walk.duration > self.max_walk or walk.to_stop in settled:
                    continue
                arrive = to_timedelta(now) + walk.duration
                if arrive >= timedelta(days=1):
                    continue
                arrive_time = to_time(arrive)
                if walk.to_stop not in labels or arrive_time < labels[walk.to_stop]:
                    labels[walk.to_stop] = arrive_time
                    came_by[walk.to_stop] = Leg(Mode.WALK, current, walk.to_stop, now,
                                                arrive_time)
        return labels, came_by, settled

    def earliest_arrival(self, origin: str, destination: str, depart: time) -> Journey | None:
        """Best journey, or None if the destination cannot be reached today."""
        if origin == destination:
            raise ValueError("origin and destination are the same stop")
        labels, came_by, settled = self._search(origin, depart, destination)
        if destination not in settled:
            return None
        legs = []
        stop_id = destination
        while stop_id != origin:
            leg = came_by[stop_id]
            legs.append(leg)
            stop_id = leg.from_stop
        legs.reverse()
        return Journey(legs, depart)

    def reachable(self, origin: str, depart: time, within_minutes: int) -> dict[str, time]:
        """Stops reachable within the given minutes, with their earliest arrival times."""
        labels, _, _ = self._search(origin, depart)
        deadline = to_timedelta(depart) + timedelta(minutes=within_minutes)
        return {stop_id: t for stop_id, t in sorted(labels.items())
                if to_timedelta(t) <= deadline}
