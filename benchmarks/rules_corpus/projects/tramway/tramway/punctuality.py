"""Service punctuality from a log of observed arrival times."""

from __future__ import annotations

import math
from datetime import time, timedelta

from .network import Network, parse_time, to_timedelta

EARLY_LIMIT = timedelta(minutes=-1)
LATE_LIMIT = timedelta(minutes=5)


class Observation:
    def __init__(self, trip_id: str, stop_id: str, observed: time):
        self.trip_id = trip_id
        self.stop_id = stop_id
        self.observed = observed


class DelayStats:
    """Delay statistics over a list of delays (timedelta, positive = late)."""

    def __init__(self, name: str, delays):
        self.name = name
        self._delays = list(delays)

    def __len__(self):
        return len(self._delays)

    @property
    def minutes(self) -> list[float]:
        return [d.total_seconds() / 60 for d in self._delays]

    @property
    def mean(self) -> float:
        if not self._delays:
            return 0.0
        return sum(self.minutes) / len(self.minutes)

    @property
    def on_time_ratio(self) -> float:
        if not self._delays:
            return 1.0
        on_time = [d for d in self._delays if EARLY_LIMIT <= d <= LATE_LIMIT]
        return len(on_time) / len(self._delays)

    @property
    def worst(self) -> float:
        return max(self.minutes, default=0.0)

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile of the delays in minutes."""
        if not 0 < p <= 100:
            raise ValueError("percentile must be in (0, 100]")
        if not self._delays:
            return 0.0
        ordered = sorted(self.minutes)
        rank = math.ceil(p / 100 * len(ordered))
        return ordered[rank - 1]


class PunctualityLog:
    def __init__(self, network: Network):
        self.network = network
        self._observations: list[Observation] = []

    def record(self, trip_id: str, stop_id: str, observed: time) -> Observation:
        trip = self.network.trip(trip_id)
        if stop_id not in trip.line:
            raise ValueError(f"trip {trip_id} does not call at {stop_id}")
        observation = Observation(trip_id, stop_id, observed)
        self._observations.append(observation)
        return observation

    def load(self, lines) -> int:
        """Read 'trip_id,stop_id,HH:MM[:SS]' lines; blank lines and # comments are skipped."""
        count = 0
        for raw in lines:
            text = raw.strip()
            if not text or text.startswith("#"):
                continue
            trip_id, stop_id, observed = (part.strip() for part in text.split(","))
            self.record(trip_id, stop_id, parse_time(observed))
            count += 1
        return count

    def __iter__(self):
        return iter(self._observations)

    def __len__(self):
        return len(self._observations)

    def __contains__(self, trip_id):
        return any(o.trip_id == trip_id for o in self._observations)

    def delays(self):
        """Yield (observation, line_id, delay) for each observation."""
        for observation in self._observations:
            trip = self.network.trip(observation.trip_id)
            scheduled = trip.time_at(observation.stop_id)
            delay = to_timedelta(observation.observed) - to_timedelta(scheduled)
            yield observation, trip.line.line_id, delay

    def line_stats(self, line_id: str) -> DelayStats:
        self.network.line(line_id)
        return DelayStats(line_id, (d for _, lid, d in self.delays() if lid == line_id))

    def report(self) -> list[DelayStats]:
        """Stats for every line with observations, worst mean delay first."""
        stats = [self.line_stats(line.line_id) for line in self.network.lines]
        stats = [s for s in stats if len(s)]
        stats.sort(key=lambda s: (-s.mean, s.name))
        return stats

    def worst_stops(self, count: int = 5) -> list[tuple[str, float]]:
        """Stops with the highest mean delay in minutes (ties by stop id)."""
        per_stop: dict[str, list[timedelta]] = {}
        for observation, _, delay in self.delays():
            per_stop.setdefault(observation.stop_id, []).append(delay)
        means = [(stop_id, DelayStats(stop_id, ds).mean) for stop_id, ds in per_stop.items()]
        means.sort(key=lambda item: (-item[1], item[0]))
        return means[:count]
