"""Billing for an equipment rental shop: rate cards, loyalty tiers, late fees and statements."""

from .billing import (
    BillingService,
    OverdueLine,
    Statement,
    StatementLine,
    format_cents,
    month_bounds,
)
from .pricing import DISCOUNT_PERCENT, PricingService, Quote, percent_of
from .records import (
    TIERS,
    Agreement,
    Customer,
    DamageCharge,
    Item,
    Payment,
    RateCard,
    Repository,
)

__all__ = [
    "DISCOUNT_PERCENT", "TIERS", "Agreement", "BillingService", "Customer", "DamageCharge",
    "Item", "OverdueLine", "Payment", "PricingService", "Quote", "RateCard", "Repository",
    "Statement", "StatementLine", "format_cents", "month_bounds", "percent_of",
]
