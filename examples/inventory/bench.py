"""Workload: filter a catalogue by an allow-list, process a day of orders, render a report.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random

from inventory import Order, keep_allowed, process_orders, render_csv, suppliers
from inventory.catalog import cheapest
from inventory.models import Item
from inventory.report import category_totals

CATEGORIES = ["tools", "garden", "kitchen", "toys", "books", "sports", "office", "pets"]


def make_items(rng: random.Random, n: int) -> list[Item]:
    return [
        Item(
            sku=f"SKU-{i:06d}",
            name=f"item {i}",
            category=rng.choice(CATEGORIES),
            supplier=f"supplier-{rng.randrange(900):03d}",
            qty=rng.randrange(0, 60),
            price=round(rng.uniform(0.5, 250.0), 2),
        )
        for i in range(n)
    ]


def main() -> None:
    rng = random.Random(20240611)
    items = make_items(rng, 5000)
    allowed = [item.sku for item in rng.sample(items, 2000)]
    kept = keep_allowed(items, allowed)
    names = suppliers(items)
    stock = {item.sku: item.qty for item in items}
    orders = [
        Order(order_id=i, sku=rng.choice(items).sku, qty=rng.randrange(1, 12)) for i in range(20000)
    ]
    result = process_orders(orders, stock)
    report = render_csv(kept)
    low = cheapest(kept)
    totals = category_totals(kept)
    print(f"kept {len(kept)} of {len(items)} items from {len(names)} suppliers")
    print(f"shipped {result.shipped} orders, {result.units} units")
    print(f"backordered {len(result.backordered)} skus, first {result.backordered[:3]}")
    print(f"cheapest {low.sku if low else None}")
    print(f"totals {sorted(totals.items())}")
    print(f"report {len(report)} bytes sha256 {hashlib.sha256(report.encode()).hexdigest()[:16]}")


if __name__ == "__main__":
    main()
