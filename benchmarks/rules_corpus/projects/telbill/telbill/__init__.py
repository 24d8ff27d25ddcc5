"""telbill: rating and billing of telephone call detail records."""

from .cdr import (
    FIELDS,
    KINDS,
    CdrError,
    format_cdr_line,
    normalize_number,
    parse_cdr_line,
    parse_cdr_lines,
    parse_timestamp,
)
from .invoice import (
    Ledger,
    build_statement,
    build_statements,
    country_name,
    daily_usage,
    format_duration,
    format_money,
    format_usage,
    invoice_lines,
    parse_month,
    peak_share,
    render_statement,
    statement_totals,
    to_money,
    usage_by_country,
    usage_by_hour,
)
from .rates import (
    RateDeckError,
    billable_seconds,
    call_charge,
    find_rate,
    is_peak,
    parse_rate_deck,
    rate_table,
)
from .rating import (
    RatingError,
    bundle_applies,
    bundle_usage,
    get_account,
    home_country,
    rate_calls,
    total_charges,
)
from .tables import COUNTRY_NAMES, HOLIDAYS, PEAK_HOURS, PLANS, ROUNDING_MODES, TAX_RATES

__all__ = [
    "FIELDS", "KINDS", "CdrError", "format_cdr_line", "normalize_number", "parse_cdr_line",
    "parse_cdr_lines", "parse_timestamp", "Ledger", "build_statement", "build_statements",
    "format_duration", "format_money", "invoice_lines", "render_statement", "statement_totals",
    "to_money", "RateDeckError", "billable_seconds", "call_charge", "find_rate", "is_peak",
    "parse_rate_deck", "rate_table", "RatingError", "bundle_applies", "bundle_usage",
    "get_account", "home_country", "rate_calls", "total_charges", "COUNTRY_NAMES", "HOLIDAYS",
    "PEAK_HOURS", "PLANS", "ROUNDING_MODES", "TAX_RATES", "country_name", "daily_usage",
    "format_usage", "parse_month", "peak_share", "usage_by_country", "usage_by_hour",
]
