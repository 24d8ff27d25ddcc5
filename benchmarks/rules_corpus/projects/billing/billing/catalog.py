"""Looking things up in the product list and the customer list."""

from __future__ import annotations

from billing.models import Customer, Product

TAX_RATES = {
    "DE": {"standard": 0.19, "reduced": 0.07, "zero": 0.0},
    "FR": {"standard": 0.20, "reduced": 0.055, "zero": 0.0},
    "NL": {"standard": 0.21, "reduced": 0.09, "zero": 0.0},
    "US": {"standard": 0.0, "reduced": 0.0, "zero": 0.0},
    "GB": {"standard": 0.20, "reduced": 0.05, "zero": 0.0},
}


class UnknownItem(KeyError):
    """Raised when an invoice refers to a product or customer we do not have."""


def find_product(products: list[Product], sku: str) -> Product:
    for product in products:
        if product.sku == sku:
            return product
    raise UnknownItem(f"unknown sku {sku!r}")


def find_customer(customers: list[Customer], customer_id: str) -> Customer:
    for customer in customers:
        if customer.id == customer_id:
            return customer
    raise UnknownItem(f"unknown customer {customer_id!r}")


def tax_rate(country: str, tax_class: str) -> float:
    rates = TAX_RATES.get(country)
    if rates is None:
        return 0.0
    return rates.get(tax_class, rates["standard"])


def validate_catalog(products: list[Product]) -> list[str]:
    """Human-readable problems with a product list (used by the admin screen)."""
    problems = []
    for product in products:
        if product.unit_price < 0:
            problems.append(f"{product.sku}: negative price")
        if not product.name.strip():
            problems.append(f"{product.sku}: empty name")
        if product.tax_class not in ("standard", "reduced", "zero"):
            problems.append(f"{product.sku}: unknown tax class {product.tax_class}")
    return problems
