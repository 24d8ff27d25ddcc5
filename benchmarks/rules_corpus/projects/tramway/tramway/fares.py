"""Fare zones and ticket prices (integer cents)."""

from __future__ import annotations

import enum
from datetime import timedelta

from .network import Mode, Network
from .planner import Journey


class Rider(enum.Enum):
    ADULT = "adult"
    CHILD = "child"
    SENIOR = "senior"


DISCOUNT_PERCENT = {Rider.ADULT: 0, Rider.CHILD: 50, Rider.SENIOR: 30}


class FareTable:
    """Prices by number of zones touched, zones being numbered rings.

    ``bands`` is a list of (max_zones, cents); a journey touching N zones pays the price of the
    first band whose max_zones >= N. A ticket is valid for ``validity_minutes``; longer
    journeys need one more ticket per started period. Bus-only journeys get ``bus_discount``
    cents off each ticket (never below zero).
    """

    def __init__(self, network: Network, bands, validity_minutes: int = 90,
                 bus_discount: int = 0):
        bands = sorted(bands)
        if not bands:
            raise ValueError("need at least one fare band")
        if any(cents < 0 or zones < 1 for zones, cents in bands):
            raise ValueError("bad fare band")
        self.network = network
        self.bands = bands
        self.validity = timedelta(minutes=validity_minutes)
        self.bus_discount = bus_discount

    def zones_touched(self, journey: Journey) -> set[int]:
        zones = set()
        for leg in journey:
            if leg.mode is Mode.WALK:
                zones.add(self.network.stop(leg.from_stop).zone)
                zones.add(self.network.stop(leg.to_stop).zone)
                continue
            line = self.network.line(leg.line_id)
            stops = line.stops
            start, end = line.index_of(leg.from_stop), line.index_of(leg.to_stop)
            for stop_id in stops[start:end + 1]:
                zones.add(self.network.stop(stop_id).zone)
        return zones

    def zone_count(self, journey: Journey) -> int:
        zones = self.zones_touched(journey)
        return max(zones) - min(zones) + 1

    def base_price(self, zone_count: int) -> int:
        for max_zones, cents in self.bands:
            if zone_count <= max_zones:
                return cents
        raise ValueError(f"no fare for {zone_count} zones")

    def tickets_needed(self, journey: Journey) -> int:
        elapsed = journey.duration
        count = 1
        while elapsed > self.validity * count:
            count += 1
        return count

    def price(self, journey: Journey, rider: Rider = Rider.ADULT) -> int:
        ticket = self.base_price(self.zone_count(journey))
        rides = [leg for leg in journey if leg.mode is not Mode.WALK]
        if rides and all(leg.mode is Mode.BUS for leg in rides):
            ticket = max(ticket - self.bus_discount, 0)
        discount = DISCOUNT_PERCENT[rider]
        # round the discounted ticket up to a multiple of 10 cents
        ticket = -(-ticket * (100 - discount) // 1000) * 10
        return ticket * self.tickets_needed(journey)
