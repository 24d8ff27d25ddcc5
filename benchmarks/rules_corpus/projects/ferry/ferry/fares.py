"""Fare rules: seasons, vehicle classes, peak surcharges and return discounts (in cents)."""

from datetime import date, datetime

# (first day, last day, season name) as MM-DD, inclusive on both ends.
SEASONS = [
    ("01-01", "03-31", "low"), ("04-01", "06-14", "shoulder"), ("06-15", "09-15", "high"),
    ("09-16", "10-31", "shoulder"), ("11-01", "12-18", "low"), ("12-19", "12-31", "high"),
]

SEASON_PCT = {"low": 85, "shoulder": 100, "high": 130}

# (code, lane metres used on the car deck, fare as percent of the adult fare)
VEHICLE_CLASSES = [
    ("bicycle", 0, 10), ("motorcycle", 3, 40), ("car", 5, 100), ("van", 7, 150),
    ("car+caravan", 12, 220), ("coach", 14, 300), ("truck", 16, 350),
]

CHILD_PCT = 50
PEAK_SURCHARGE_PCT = 10
RETURN_DISCOUNT_PCT = 20
RETURN_WINDOW_DAYS = 30
CANCELLATION_FEE_PCT = 10


def apply_pct(cents, pct):
    """Return ``cents * pct / 100`` rounded half up to whole cents."""
    return (cents * pct + 50) // 100


def vehicle_class(code, classes=None):
    """Look up a vehicle class tuple ``(code, metres, pct)`` by its code."""
    if classes is None:
        classes = VEHICLE_CLASSES
    for entry in classes:
        if entry[0] == code:
            return entry
    raise ValueError(f"unknown vehicle class: {code!r}")


def vehicle_length(code, classes=None):
    """Lane metres used by a vehicle class; 0 when there is no vehicle."""
    if code is None:
        return 0
    return vehicle_class(code, classes)[1]


class FareCalculator:
    """Quotes fares for a route at a given departure time."""

    def __init__(self, seasons=None, season_pct=None, vehicle_classes=None,
                 child_pct=CHILD_PCT):
        self.seasons = list(seasons if seasons is not None else SEASONS)
        self.season_pct = dict(season_pct if season_pct is not None else SEASON_PCT)
        self.vehicle_classes = list(
            vehicle_classes if vehicle_classes is not None else VEHICLE_CLASSES
        )
        self.child_pct = child_pct

    def season_for(self, when):
        """Name of the season that ``when`` (a date or datetime) falls in."""
        day = when.date() if isinstance(when, datetime) else when
        if not isinstance(day, date):
            raise TypeError("season_for expects a date or datetime")
        for start, end, name in self.seasons:
            first = datetime.strptime(f"{day.year}-{start}", "%Y-%m-%d").date()
            last = datetime.strptime(f"{day.year}-{end}", "%Y-%m-%d").date()
            if first <= day <= last:
                return name
        raise ValueError(f"no season covers {day.isoformat()}")

    def is_peak(self, departure):
        """Friday and Sunday afternoons/evenings (15:00-19:59) are peak."""
        return departure.weekday() in (4, 6) and 15 <= departure.hour < 20

    def quote(self, route, departure, adults, children=0, vehicle=None,
              return_leg=False):
        """Total fare in cents for one leg."""
        if adults < 1:
            raise ValueError("a booking needs at least one adult")
        if children < 0:
            raise ValueError("children cannot be negative")
        base = route.base_fare_cents
        subtotal = adults * base + apply_pct(children * base, self.child_pct)
        if vehicle is not None:
            pct = vehicle_class(vehicle, self.vehicle_classes)[2]
            subtotal += apply_pct(base, pct)
        season = self.season_for(departure)
        total = apply_pct(subtotal, self.season_pct[season])
        if self.is_peak(departure):
            total = apply_pct(total, 100 + PEAK_SURCHARGE_PCT)
        if return_leg:
            total = apply_pct(total, 100 - RETURN_DISCOUNT_PCT)
        return total
