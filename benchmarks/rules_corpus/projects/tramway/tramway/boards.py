"""Departure boards for a single stop."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from .network import Mode, Network, format_time, to_timedelta


@dataclass(frozen=True, order=True)
class Departure:
    time: time
    line_id: str
    trip_id: str
    destination: str
    mode: Mode

    def describe(self) -> str:
        when = format_time(self.time)
        return f"{when}  {self.line_id:<5} {self.mode.value:<4} to {self.destination}"


class DepartureBoard:
    """All departures from one stop, in time order.

    Arrivals at a line's terminus are not departures and are left out.
    """

    def __init__(self, network: Network, stop_id: str):
        if stop_id not in network:
            raise KeyError(stop_id)
        self.network = network
        self.stop_id = stop_id

    def departures(self):
        for line in self.network.lines_at(self.stop_id):
            if line.terminus == self.stop_id:
                continue
            destination = self.network.stop(line.terminus).name
            for trip, at in line.trips_from(self.stop_id, time(0)):
                yield Departure(at, line.line_id, trip.trip_id, destination, line.mode)

    def __iter__(self):
        return iter(sorted(self.departures()))

    def __len__(self):
        return len(list(self.departures()))

    def __contains__(self, line_id):
        return any(d.line_id == line_id for d in self.departures())

    def next(self, after: time, count: int = 5, mode: Mode | None = None) -> list[Departure]:
        if count < 0:
            raise ValueError("count must not be negative")
        upcoming = [d for d in self if d.time >= after and (mode is None or d.mode is mode)]
        return upcoming[:count]

    def headways(self, line_id: str) -> list[float]:
        """Minutes between consecutive departures of one line from this stop."""
        times = [d.time for d in self if d.line_id == line_id]
        gaps = []
        for earlier, later in zip(times, times[1:]):
            gap = to_timedelta(later) - to_timedelta(earlier)
            gaps.append(gap.total_seconds() / 60)
        return gaps

    def render(self, after: time, count: int = 5) -> str:
        stop = self.network.stop(self.stop_id)
        lines = [f"Departures from {stop.name} after {format_time(after)}"]
        upcoming = self.next(after, count)
        if not upcoming:
            lines.append("  no more departures today")
        for departure in upcoming:
            lines.append("  " + departure.describe())
        return "\n".join(lines)
