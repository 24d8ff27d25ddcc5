"""Zones and the carrier's rate card."""

from __future__ import annotations

from parcels.addresses import normalize_postcode

# (postcode prefix, zone); the longest matching prefix wins.
ZONES = [
    ("1", "A"), ("10", "A"), ("12", "B"), ("2", "B"), ("20", "A"), ("3", "C"), ("4", "C"),
    ("40", "B"), ("5", "D"), ("6", "D"), ("7", "E"), ("8", "E"), ("80", "D"), ("9", "F"),
    ("SW", "L"), ("EC", "L"), ("W1", "L"), ("N", "M"), ("E", "M"), ("S", "M"),
]

# (zone, max weight in kg, price in EUR)
RATE_CARD = [
    ("A", 2.0, 4.90), ("A", 5.0, 6.90), ("A", 10.0, 9.40), ("A", 31.5, 15.90),
    ("B", 2.0, 5.40), ("B", 5.0, 7.60), ("B", 10.0, 10.20), ("B", 31.5, 17.50),
    ("C", 2.0, 5.90), ("C", 5.0, 8.10), ("C", 10.0, 11.30), ("C", 31.5, 18.90),
    ("D", 2.0, 6.40), ("D", 5.0, 8.90), ("D", 10.0, 12.10), ("D", 31.5, 20.40),
    ("E", 2.0, 6.90), ("E", 5.0, 9.50), ("E", 10.0, 13.00), ("E", 31.5, 21.90),
    ("F", 2.0, 7.90), ("F", 5.0, 10.90), ("F", 10.0, 14.80), ("F", 31.5, 24.50),
    ("L", 2.0, 9.90), ("L", 5.0, 13.50), ("L", 10.0, 18.00), ("L", 31.5, 29.00),
    ("M", 2.0, 8.90), ("M", 5.0, 12.50), ("M", 10.0, 16.00), ("M", 31.5, 26.00),
]

EXPRESS_SURCHARGE = 0.35
FUEL_SURCHARGE = 0.045


class NoRate(LookupError):
    pass


def zone_for(postcode: str) -> str:
    code = normalize_postcode(postcode)
    best = ""
    zone = None
    for prefix, name in ZONES:
        if code.startswith(prefix) and len(prefix) > len(best):
            best = prefix
            zone = name
    if zone is None:
        raise NoRate(f"no zone for postcode {postcode!r}")
    return zone


def rate_for(zone: str, weight_kg: float, express: bool = False) -> float:
    bands = sorted(
        [(limit, price) for z, limit, price in RATE_CARD if z == zone], key=lambda b: b[0]
    )
    if not bands:
        raise NoRate(f"unknown zone {zone!r}")
    for limit, price in bands:
        if weight_kg <= limit:
            total = price * (1 + FUEL_SURCHARGE)
            if express:
                total *= 1 + EXPRESS_SURCHARGE
            return round(total, 2)
    raise NoRate(f"{weight_kg} kg is over the carrier's limit")
