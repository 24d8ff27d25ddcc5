"""Order processing against the stock levels."""

from __future__ import annotations

from inventory.models import Order, RestockResult


def process_orders(orders: list[Order], stock: dict[str, int]) -> RestockResult:
    """Ship orders first-come first-served; orders that cannot be filled are backordered.

    `stock` (SKU -> units on hand) is updated in place.
    """
    result = RestockResult()
    pending = list(orders)
    missing = []
    while pending:
        order = pending.pop(0)
        have = stock.get(order.sku, 0)
        if have >= order.qty:
            stock[order.sku] = have - order.qty
            result.shipped += 1
            result.units += order.qty
        else:
            missing.append(order.sku)
    result.backordered = unique(missing)
    return result


def unique(skus: list[str]) -> list[str]:
    """`skus` without repeats, first occurrence kept."""
    seen = []
    for sku in skus:
        if sku not in seen:
            seen.append(sku)
    return seen
