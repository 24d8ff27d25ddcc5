"""Pay rates, premiums and the tax tables (kept in code; they change once a year)."""

from __future__ import annotations

RATES = [
    ("A1", 14.50), ("A2", 16.20), ("B1", 18.75), ("B2", 21.40), ("C1", 25.00), ("C2", 29.90),
    ("D1", 34.00), ("D2", 41.25), ("E1", 52.00),
]

PREMIUMS = {"regular": 1.0, "holiday": 2.0, "sick": 1.0, "night": 1.25}
OVERTIME_AFTER = 40.0
OVERTIME_FACTOR = 1.5

# (lower bound of the band, marginal rate), monthly
TAX_BANDS = [(5000.0, 0.42), (0.0, 0.0), (1200.0, 0.14), (2500.0, 0.24), (9000.0, 0.45)]
SOCIAL_RATE = 0.093
SOCIAL_CAP = 7300.0


class UnknownRate(KeyError):
    pass


def hourly_rate(code):
    for rate_code, rate in RATES:
        if rate_code == code:
            return rate
    raise UnknownRate(code)


def income_tax(gross):
    bands = sorted(TAX_BANDS)
    tax = 0.0
    for i, (lower, rate) in enumerate(bands):
        upper = bands[i + 1][0] if i + 1 < len(bands) else float("inf")
        if gross > lower:
            tax += (min(gross, upper) - lower) * rate
    return round(tax, 2)


def social_security(gross):
    return round(min(gross, SOCIAL_CAP) * SOCIAL_RATE, 2)
