"""Warehouse inventory: items, allow-list filtering, restocking and CSV reports."""

from inventory.catalog import keep_allowed, suppliers
from inventory.models import Item, Order, RestockResult
from inventory.report import render_csv
from inventory.restock import process_orders

__all__ = [
    "Item",
    "Order",
    "RestockResult",
    "keep_allowed",
    "process_orders",
    "render_csv",
    "suppliers",
]
