"""utilbill: meter readings, dated tiered tariffs, invoices and debt reports for utilities."""

from .billing import DISCOUNT_KINDS, TAX_RATES, Biller, Discount, Invoice, Line, month_bounds
from .meters import (DEFAULT_DAILY_USE, SERVICES, SOURCES, UNIT_NAMES, Account, MeterLedger,
                     Read, Reading, normalise_account_id, parse_day, parse_readings, read_from)
from .money import (CENT, UNIT, ZERO, format_money, parse_rate, round_money, round_units,
                    split_amount, to_decimal)
from .reports import (BUCKETS, AgingRow, Payment, StatementLine, aging_report, aging_totals,
                      balance, bucket_for, collection_rate, invoice_text, open_items,
                      parse_payments, revenue_summary, statement)
from .tariffs import (BAND_DAYS, Segment, Tariff, TariffBook, Tier, band_usage, check_tariff,
                      parse_tariff, parse_tariffs)

__all__ = [
    "BAND_DAYS", "BUCKETS", "CENT", "DEFAULT_DAILY_USE", "DISCOUNT_KINDS", "SERVICES", "SOURCES",
    "TAX_RATES", "UNIT", "UNIT_NAMES", "ZERO",
    "Account", "AgingRow", "Biller", "Discount", "Invoice", "Line", "MeterLedger", "Payment",
    "Read", "Reading", "Segment", "StatementLine", "Tariff", "TariffBook", "Tier",
    "aging_report", "aging_totals", "balance", "band_usage", "bucket_for", "check_tariff",
    "collection_rate", "format_money", "invoice_text", "month_bounds", "normalise_account_id",
    "open_items", "parse_day", "parse_payments", "parse_rate", "parse_readings", "parse_tariff",
    "parse_tariffs", "read_from", "revenue_summary", "round_money", "round_units",
    "split_amount", "statement", "to_decimal",
]
