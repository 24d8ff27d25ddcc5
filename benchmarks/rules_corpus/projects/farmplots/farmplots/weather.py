"""Daily weather readings and growing-degree-day accumulation."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reading:
    day: int
    rain_mm: float
    t_min: float
    t_max: float

    @property
    def t_mean(self) -> float:
        return (self.t_min + self.t_max) / 2.0


def degree_days(t_min: float, t_max: float, base: float, cap: float) -> float:
    """Growing degree days for one day: both temperatures clamped to [base, cap]."""
    low = min(max(t_min, base), cap)
    high = min(max(t_max, base), cap)
    return (low + high) / 2.0 - base


@dataclass
class WeatherLog:
    readings: list[Reading] = field(default_factory=list)

    def __post_init__(self) -> None:
        given = self.readings
        self.readings = []
        for reading in given:
            self.add(reading)

    def add(self, reading: Reading) -> None:
        if reading.t_min > reading.t_max:
            raise ValueError(f"day {reading.day}: t_min above t_max")
        if reading.rain_mm < 0:
            raise ValueError(f"day {reading.day}: negative rainfall")
        if self.readings and reading.day <= self.readings[-1].day:
            raise ValueError(f"day {reading.day}: readings must be added in day order")
        self.readings.append(reading)

    def days(self) -> list[int]:
        return [reading.day for reading in self.readings]

    def reading_for(self, day: int) -> Reading:
        for reading in self.readings:
            if reading.day == day:
                return reading
        raise KeyError(f"no reading for day {day}")

    def gdd_between(self, first_day: int, last_day: int, base: float, cap: float) -> float:
        """Degree days accumulated from first_day to last_day inclusive (missing days add 0)."""
        total = 0.0
        for reading in self.readings:
            if reading.day > last_day:
                break
            if reading.day >= first_day:
                total += degree_days(reading.t_min, reading.t_max, base, cap)
        return total

    def recent_rain(self, day: int, window: int = 3) -> float:
        """Rain over the `window` days ending on `day`."""
        if window <= 0:
            raise ValueError("window must be positive")
        total = 0.0
        for reading in self.readings:
            if day - window < reading.day <= day:
                total += reading.rain_mm
        return total
