"""tariffs: utility billing for electricity and water customers."""

from .billing import (
    GRACE_DAYS,
    LATE_FEE_CAP,
    LATE_FEE_MIN,
    LATE_FEE_PERCENT,
    LOYALTY_PERCENT,
    LOYALTY_YEARS,
    Bill,
    days_overdue,
    find_customer,
    is_unpaid,
    late_fee,
    loyalty_credit,
    month_of,
    month_start,
    monthly_bill,
    outstanding_for,
    usage_for,
    years_with_us,
)
from .loading import (
    BillingDataError,
    load_customers,
    load_invoices,
    load_readings,
    parse_date,
    to_money,
)
from .rates import (
    DISCOUNTS,
    FIXED_CHARGES,
    RATE_TABLE,
    TAX_RATE,
    discount_amount,
    fixed_charge,
    known_plans,
    plan_service,
    plan_tiers,
    tax_on,
    tiered_charge,
)
from .reports import (
    AGING_BUCKETS,
    AgingReport,
    aging_bucket,
    aging_report,
    build_statements,
    format_aging,
    format_date,
    format_money,
    format_plan_summary,
    format_statement,
    plan_summary,
)

__all__ = [
    "AGING_BUCKETS", "AgingReport", "Bill", "BillingDataError", "DISCOUNTS", "FIXED_CHARGES",
    "GRACE_DAYS", "LATE_FEE_CAP", "LATE_FEE_MIN", "LATE_FEE_PERCENT", "LOYALTY_PERCENT",
    "LOYALTY_YEARS", "RATE_TABLE", "TAX_RATE", "aging_bucket", "aging_report",
    "build_statements", "days_overdue", "discount_amount", "find_customer", "fixed_charge",
    "format_aging", "format_date", "format_money", "format_plan_summary", "format_statement",
    "is_unpaid", "known_plans", "late_fee", "load_customers", "load_invoices", "load_readings",
    "loyalty_credit", "month_of", "month_start", "monthly_bill", "outstanding_for",
    "parse_date", "plan_service", "plan_summary", "plan_tiers", "tax_on", "tiered_charge",
    "to_money", "usage_for", "years_with_us",
]
