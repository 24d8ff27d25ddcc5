"""Member and casual fares with ride-time bands. All money is in integer cents."""

import math
from collections import namedtuple

Band = namedtuple("Band", "up_to_minutes cents_per_minute")

DURATION_BANDS = (
    ("under 15 min", 0, 15),
    ("15-30 min", 15, 30),
    ("30-45 min", 30, 45),
    ("45-90 min", 45, 90),
    ("over 90 min", 90, None),
)


class Tariff:
    """Unlock fee plus per-minute rates by band; the last band has no upper limit."""

    __slots__ = ("name", "unlock_cents", "bands", "ebike_cents_per_minute")

    def __init__(self, name, unlock_cents, bands, ebike_cents_per_minute=0):
        bands = [Band(*b) for b in bands]
        if not bands:
            raise ValueError("a tariff needs at least one band")
        open_ended = [b for b in bands if b.up_to_minutes is None]
        if len(open_ended) != 1:
            raise ValueError("exactly one band must be open-ended")
        if min(unlock_cents, ebike_cents_per_minute, *(b.cents_per_minute for b in bands)) < 0:
            raise ValueError("fees and rates must not be negative")
        self.name = name
        self.unlock_cents = unlock_cents
        self.bands = bands
        self.ebike_cents_per_minute = ebike_cents_per_minute

    def ordered_bands(self):
        return sorted(
            self.bands,
            key=lambda b: math.inf if b.up_to_minutes is None else b.up_to_minutes,
        )

    def billable_minutes(self, minutes):
        if minutes < 0:
            raise ValueError("negative ride time")
        return math.ceil(minutes)

    def time_cents(self, minutes):
        billable = self.billable_minutes(minutes)
        cents = 0
        previous = 0
        for band in self.ordered_bands():
            limit = billable if band.up_to_minutes is None else min(billable, band.up_to_minutes)
            if limit > previous:
                cents += (limit - previous) * band.cents_per_minute
                previous = limit
            if previous >= billable:
                break
        return cents

    def ride_cents(self, minutes, bike_type="classic"):
        cents = self.unlock_cents + self.time_cents(minutes)
        if bike_type == "electric":
            cents += self.billable_minutes(minutes) * self.ebike_cents_per_minute
        return cents


MEMBER = Tariff("member", 0, [(45, 0), (90, 15), (None, 25)], ebike_cents_per_minute=10)
CASUAL = Tariff("casual", 100, [(30, 20), (None, 30)], ebike_cents_per_minute=15)
TARIFFS = {"member": MEMBER, "casual": CASUAL}


def trip_price(trip, tariffs=None):
    tariffs = TARIFFS if tariffs is None else tariffs
    try:
        tariff = tariffs[trip.rider]
    except KeyError:
        raise KeyError(f"no tariff for rider type {trip.rider!r}") from None
    return tariff.ride_cents(trip.duration_minutes, trip.bike_type)


def revenue_by_rider(trips, tariffs=None):
    """rider type -> (trips, cents)."""
    totals = {}
    for trip in trips:
        count, cents = totals.get(trip.rider, (0, 0))
        totals[trip.rider] = (count + 1, cents + trip_price(trip, tariffs))
    return totals


def duration_band(minutes):
    for label, low, high in DURATION_BANDS:
        if minutes >= low and (high is None or minutes < high):
            return label
    raise ValueError(f"negative ride time {minutes}")


def duration_band_counts(trips):
    """Band label -> number of trips, for every band (zero counts included), in band order."""
    counts = {label: 0 for label, _, _ in DURATION_BANDS}
    for trip in trips:
        counts[duration_band(trip.duration_minutes)] += 1
    return counts


def format_cents(cents):
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"
