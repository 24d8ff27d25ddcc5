"""Tariff plans: tiered unit rates, fixed monthly charges and discount codes."""

from decimal import ROUND_HALF_UP, Decimal

# One row per tier; a tier applies from `from_units` up to the next tier's start.
# Maintained by hand by the pricing team, so it is not kept in any particular order.
RATE_TABLE = [
    {"plan": "RES-E", "service": "electric", "from_units": 0, "rate": "0.1420"},
    {"plan": "RES-E", "service": "electric", "from_units": 600, "rate": "0.2150"},
    {"plan": "RES-E", "service": "electric", "from_units": 300, "rate": "0.1780"},
    {"plan": "GREEN-E", "service": "electric", "from_units": 0, "rate": "0.1610"},
    {"plan": "GREEN-E", "service": "electric", "from_units": 500, "rate": "0.1890"},
    {"plan": "BUS-E", "service": "electric", "from_units": 2000, "rate": "0.1190"},
    {"plan": "BUS-E", "service": "electric", "from_units": 0, "rate": "0.1560"},
    {"plan": "BUS-E", "service": "electric", "from_units": 8000, "rate": "0.0970"},
    {"plan": "BUS-E", "service": "electric", "from_units": 500, "rate": "0.1380"},
    {"plan": "RES-W", "service": "water", "from_units": 10, "rate": "3.4500"},
    {"plan": "RES-W", "service": "water", "from_units": 0, "rate": "2.1000"},
    {"plan": "RES-W", "service": "water", "from_units": 25, "rate": "5.2000"},
    {"plan": "BUS-W", "service": "water", "from_units": 0, "rate": "2.9500"},
    {"plan": "BUS-W", "service": "water", "from_units": 100, "rate": "2.4000"},
]

FIXED_CHARGES = {
    "RES-E": "11.50",
    "GREEN-E": "13.25",
    "BUS-E": "42.00",
    "RES-W": "8.75",
    "BUS-W": "27.40",
}

# kind "percent": value is a percentage of the bill; kind "flat": value is taken off in dollars.
DISCOUNTS = [
    {"code": "SENIOR", "kind": "percent", "value": "12.5"},
    {"code": "AUTOPAY", "kind": "flat", "value": "2.00"},
    {"code": "STAFF", "kind": "percent", "value": "25"},
    {"code": "HARDSHIP", "kind": "percent", "value": "40"},
    {"code": "PAPERLESS", "kind": "flat", "value": "1.50"},
]

TAX_RATE = "0.0725"


def known_plans():
    plans = []
    for row in RATE_TABLE:
        if row["plan"] not in plans:
            plans.append(row["plan"])
    return plans


def plan_tiers(plan):
    """Tiers of a plan sorted by their starting units."""
    tiers = [row for row in RATE_TABLE if row["plan"] == plan]
    if not tiers:
        raise KeyError(f"unknown plan {plan!r}")
    return sorted(tiers, key=lambda row: row["from_units"])


def plan_service(plan):
    return plan_tiers(plan)[0]["service"]


def tiered_charge(usage, plan):
    """Charge in dollars for `usage` units on a plan, rounded to cents."""
    usage = Decimal(usage)
    if usage < 0:
        raise ValueError("usage cannot be negative")
    tiers = plan_tiers(plan)
    total = Decimal("0")
    for i, tier in enumerate(tiers):
        start = Decimal(tier["from_units"])
        if usage <= start:
            break
        if i + 1 < len(tiers):
            end = Decimal(tiers[i + 1]["from_units"])
            upper = min(usage, end)
        else:
            upper = usage
        total += (upper - start) * Decimal(tier["rate"])
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def fixed_charge(plan):
    if plan not in FIXED_CHARGES:
        raise KeyError(f"unknown plan {plan!r}")
    return Decimal(FIXED_CHARGES[plan]).quantize(Decimal("0.01"))


def discount_amount(code, amount):
    """Discount for a code on a pre-tax amount; never more than the amount itself."""
    if not code:
        return Decimal("0.00")
    for entry in DISCOUNTS:
        if entry["code"] == code:
            if entry["kind"] == "percent":
                off = amount * Decimal(entry["value"]) / Decimal("100")
            else:
                off = Decimal(entry["value"])
            off = min(off, amount)
            return off.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    raise KeyError(f"unknown discount code {code!r}")


def tax_on(amount):
    return (amount * Decimal(TAX_RATE)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
