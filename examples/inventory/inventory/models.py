"""Plain data records."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Item:
    """A stock-keeping unit in the warehouse."""

    sku: str
    name: str
    category: str
    supplier: str
    qty: int
    price: float


@dataclass
class Order:
    """A customer order line for one SKU."""

    order_id: int
    sku: str
    qty: int


@dataclass
class RestockResult:
    """What processing a batch of orders did."""

    shipped: int = 0
    units: int = 0
    backordered: list[str] = field(default_factory=list)
    """SKUs that could not be shipped, each listed once, in first-seen order."""
