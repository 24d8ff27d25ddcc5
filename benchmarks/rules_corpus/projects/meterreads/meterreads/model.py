"""Readings, meters and time-of-day tariffs."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Reading:
    """Energy (kWh) used by one meter in the interval that starts at ``at``."""

    meter_id: str
    at: datetime
    kwh: float

    def __post_init__(self) -> None:
        if not self.meter_id:
            raise ValueError("a reading needs a meter id")
        if not isinstance(self.at, datetime):
            raise TypeError(f"reading time must be a datetime, not {type(self.at).__name__}")
        if not math.isfinite(self.kwh) or self.kwh < 0:
            raise ValueError(f"bad kWh value {self.kwh!r} for meter {self.meter_id}")


@dataclass
class Meter:
    """A customer meter; postcode and tariff can change when a property is re-let."""

    meter_id: str
    postcode: str
    tariff: str = "standard"
    label: str = ""

    @property
    def district(self) -> str:
        """Outward part of the postcode: ``"SW1A 1AA"`` -> ``"SW1A"``."""
        parts = self.postcode.split()
        return parts[0].upper() if parts else "?"


@dataclass(frozen=True)
class TariffBand:
    """A price that applies from ``start_hour`` up to ``end_hour`` (may wrap midnight)."""

    name: str
    start_hour: int
    end_hour: int
    pence_per_kwh: float

    def __post_init__(self) -> None:
        for hour in (self.start_hour, self.end_hour):
            if not isinstance(hour, int) or not 0 <= hour <= 24:
                raise ValueError(f"band {self.name!r}: hour {hour!r} outside 0..24")
        if self.start_hour == self.end_hour:
            raise ValueError(f"band {self.name!r} is empty")
        if not math.isfinite(self.pence_per_kwh) or self.pence_per_kwh < 0:
            raise ValueError(f"band {self.name!r}: bad price {self.pence_per_kwh!r}")

    def covers(self, hour: int) -> bool:
        if self.start_hour < self.end_hour:
            return self.start_hour <= hour < self.end_hour
        return hour >= self.start_hour or hour < self.end_hour


@dataclass(frozen=True)
class Tariff:
    """A set of bands that together cover every hour of the day exactly once."""

    name: str
    bands: tuple[TariffBand, ...]
    standing_pence_per_day: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "bands", tuple(self.bands))
        if not self.bands:
            raise ValueError(f"tariff {self.name!r} has no bands")
        for hour in range(24):
            hits = [band.name for band in self.bands if band.covers(hour)]
            if len(hits) != 1:
                raise ValueError(
                    f"tariff {self.name!r}: hour {hour} is covered by {len(hits)} bands {hits}"
                )
        if self.standing_pence_per_day < 0:
            raise ValueError(f"tariff {self.name!r}: negative standing charge")

    def band_for(self, when: datetime) -> TariffBand:
        for band in sorted(self.bands, key=lambda b: b.start_hour):
            if band.covers(when.hour):
                return band
        raise LookupError(f"tariff {self.name!r} has no band for {when:%H:%M}")

    def price(self, when: datetime, kwh: float) -> float:
        """Energy cost in pence of ``kwh`` used in the interval starting at ``when``."""
        return kwh * self.band_for(when).pence_per_kwh
