"""subscribe: SaaS subscription billing with prorated invoices, MRR, churn and dunning."""

from .invoicing import (
    FIRST_INVOICE_NUMBER,
    PAYMENT_TERMS_DAYS,
    already_billed,
    find_invoice,
    invoice_lines,
    issue_invoices,
    next_invoice_number,
    record_payments,
    render_invoice,
    void_invoice,
)
from .models import (
    CENT,
    ZERO,
    Coupon,
    CouponKind,
    Customer,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Plan,
    PlanChange,
    Tier,
    UsageRecord,
    money,
    normalize_code,
    parse_date,
)
from .pricing import (
    find_coupon,
    find_plan,
    month_bounds,
    plan_on,
    plan_segments,
    prorate,
    usage_for,
)
from .reports import (
    DunningLevel,
    churn_stats,
    dunning_level,
    dunning_list,
    find_customer,
    format_dunning,
    format_revenue_report,
    monthly_recurring,
    mrr_by_plan,
    revenue_report,
)

__all__ = [
    "CENT", "ZERO", "FIRST_INVOICE_NUMBER", "PAYMENT_TERMS_DAYS",
    "Coupon", "CouponKind", "Customer", "DunningLevel", "Invoice", "InvoiceLine",
    "InvoiceStatus", "Plan", "PlanChange", "Tier", "UsageRecord",
    "already_billed", "churn_stats", "dunning_level", "dunning_list", "find_coupon",
    "find_customer", "find_invoice", "find_plan", "format_dunning", "format_revenue_report",
    "invoice_lines", "issue_invoices", "money", "month_bounds", "monthly_recurring",
    "mrr_by_plan", "next_invoice_number", "normalize_code", "parse_date", "plan_on",
    "plan_segments", "prorate", "record_payments", "render_invoice", "revenue_report",
    "usage_for", "void_invoice",
]
