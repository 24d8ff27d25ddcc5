"""Personal finance: bank CSV import, payee cleanup, rule categories, budgets and reports."""

from budget.recurring import detect_recurring
from budget.reports import (
    budget_status,
    low_balance_days,
    month_over_month,
    monthly_totals,
    months_of,
    running_balances,
    top_payees,
)
from budget.rules import categorize, category_of, parse_rules, uncategorized_payees
from budget.transactions import (
    format_money,
    merge_transactions,
    normalize_payee,
    parse_amount,
    parse_date,
    parse_transactions,
    to_csv,
)

__all__ = [
    "budget_status",
    "categorize",
    "category_of",
    "detect_recurring",
    "format_money",
    "low_balance_days",
    "merge_transactions",
    "month_over_month",
    "monthly_totals",
    "months_of",
    "normalize_payee",
    "parse_amount",
    "parse_date",
    "parse_rules",
    "parse_transactions",
    "running_balances",
    "to_csv",
    "top_payees",
    "uncategorized_payees",
]
