"""CSV rendering."""

from __future__ import annotations

from inventory.models import Item

HEADER = "sku,name,category,supplier,qty,price\n"


def render_csv(items: list[Item]) -> str:
    """The items as CSV text with a header line."""
    out = HEADER
    for item in items:
        out += (
            f"{item.sku},{item.name},{item.category},{item.supplier},{item.qty},{item.price:.2f}\n"
        )
    return out


def category_totals(items: list[Item]) -> dict[str, int]:
    """Units on hand per category."""
    totals: dict[str, int] = {}
    for item in items:
        totals[item.category] = totals.get(item.category, 0) + item.qty
    return totals
