"""Invoicing for a small subscription-and-goods business."""

from billing.invoicing import Biller
from billing.models import Customer, Invoice, LineItem, Payment, Product
from billing.reports import aging_report, revenue_by_country, top_customers

__all__ = [
    "Biller",
    "Customer",
    "Invoice",
    "LineItem",
    "Payment",
    "Product",
    "aging_report",
    "revenue_by_country",
    "top_customers",
]
