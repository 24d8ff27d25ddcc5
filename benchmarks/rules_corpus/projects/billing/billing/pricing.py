"""Discounts and line prices."""

from __future__ import annotations

from billing.catalog import tax_rate
from billing.models import Customer, Product


def tier_discounts() -> dict[str, float]:
    # Kept as a function so finance can later load it from their spreadsheet.
    table = {}
    for tier, pct in [("standard", 0), ("silver", 5), ("gold", 10), ("platinum", 15)]:
        table[tier] = pct / 100.0
    return table


VOLUME_BREAKS = [(100, 0.08), (10, 0.03), (50, 0.05), (500, 0.12)]


def volume_discount(qty: int) -> float:
    best = 0.0
    for threshold, pct in sorted(VOLUME_BREAKS):
        if qty >= threshold:
            best = pct
    return best


def round_cents(value: float) -> float:
    return round(value + 0.0, 2)


def line_net(product: Product, qty: int, customer: Customer) -> float:
    discounts = tier_discounts()
    pct = discounts.get(customer.tier, 0.0) + volume_discount(qty)
    return round_cents(product.unit_price * qty * (1.0 - pct))


def line_tax(product: Product, net: float, customer: Customer) -> float:
    return round_cents(net * tax_rate(customer.country, product.tax_class))
