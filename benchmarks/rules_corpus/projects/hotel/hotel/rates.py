"""Rate plans: a base price per room type, weekday factors, seasons and long-stay discounts.

plan: {"code": "BAR", "prices": {"DBL": 120.0}, "weekday_factors": {"fri": 1.15},
       "seasons": [{"name": "summer", "start": "2024-06-15", "end": "2024-08-31", "factor": 1.3}],
       "min_nights": 1, "long_stay": {"nights": 7, "pct": 10}}
"""

from __future__ import annotations

from datetime import date

from hotel.dates import in_season, stay_nights, weekday_name

CURRENCY = "EUR"


def find_plan(plans: list[dict], code: str) -> dict:
    for plan in plans:
        if plan["code"] == code:
            return plan
    raise KeyError(f"unknown rate plan {code!r}")


def season_factor(plan: dict, night: date) -> float:
    for season in plan.get("seasons", []):
        if in_season(night, season):
            return season["factor"]
    return 1.0


def nightly_rate(plan: dict, type_code: str, night: date) -> float:
    prices = plan["prices"]
    if type_code not in prices:
        raise KeyError(f"plan {plan['code']} has no price for {type_code!r}")
    factor = plan.get("weekday_factors", {}).get(weekday_name(night), 1.0)
    return round(prices[type_code] * factor * season_factor(plan, night), 2)


def quote_stay(plan: dict, type_code: str, check_in: str, check_out: str) -> float:
    nights = stay_nights(check_in, check_out)
    if len(nights) < plan.get("min_nights", 1):
        raise ValueError(f"plan {plan['code']} needs at least {plan['min_nights']} nights")
    total = 0.0
    for night in nights:
        total += nightly_rate(plan, type_code, night)
    long_stay = plan.get("long_stay")
    if long_stay and len(nights) >= long_stay["nights"]:
        total = total * (100 - long_stay["pct"]) / 100
    return round(total, 2)


def booking_total(booking: dict, plans: list[dict]) -> float:
    plan = find_plan(plans, booking["rate_plan"])
    return quote_stay(plan, booking["room_type"], booking["check_in"], booking["check_out"])


def cheapest_plan(plans: list[dict], type_code: str, check_in: str,
                  check_out: str) -> tuple[str, float] | None:
    """(plan code, total) of the lowest quote; ties go to the smaller code."""
    quotes = []
    for plan in plans:
        if type_code not in plan["prices"]:
            continue
        try:
            total = quote_stay(plan, type_code, check_in, check_out)
        except ValueError:
            if len(stay_nights(check_in, check_out)) < plan.get("min_nights", 1):
                continue
            raise
        quotes.append((total, plan["code"]))
    if not quotes:
        return None
    quotes.sort()
    return quotes[0][1], quotes[0][0]


def format_price(amount: float) -> str:
    return f"{amount:,.2f} {CURRENCY}"
