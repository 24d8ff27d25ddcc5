"""Catalogue queries."""

from __future__ import annotations

from inventory.models import Item


def keep_allowed(items: list[Item], allowed: list[str]) -> list[Item]:
    """Items whose SKU is on the allow-list, in catalogue order."""
    kept = []
    for item in items:
        if item.sku in allowed:
            kept.append(item)
    return kept


def suppliers(items: list[Item]) -> list[str]:
    """Distinct supplier names in first-seen order."""
    names = []
    for item in items:
        if item.supplier not in names:
            names.append(item.supplier)
    return names


def cheapest(items: list[Item]) -> Item | None:
    """The lowest-priced item (the first one on ties), or None for no items."""
    if not items:
        return None
    return sorted(items, key=lambda item: item.price)[0]
