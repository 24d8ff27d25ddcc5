"""Plain records the billing code passes around."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class Customer:
    id: str
    name: str
    country: str
    tier: str = "standard"

    def display(self) -> str:
        return f"{self.name} ({self.id})"


@dataclass
class Product:
    sku: str
    name: str
    unit_price: float
    tax_class: str = "standard"


@dataclass
class LineItem:
    sku: str
    qty: int

    def __post_init__(self) -> None:
        if self.qty <= 0:
            raise ValueError(f"quantity must be positive, got {self.qty}")


@dataclass
class Invoice:
    number: str
    customer_id: str
    issued: date
    lines: list[LineItem] = field(default_factory=list)
    due_days: int = 30

    @property
    def due(self) -> date:
        from datetime import timedelta

        return self.issued + timedelta(days=self.due_days)


@dataclass
class Payment:
    invoice_number: str
    amount: float
    received: date
    method: str = "transfer"
