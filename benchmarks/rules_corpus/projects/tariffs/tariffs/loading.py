"""Reading the billing system exports: customers, meter readings and invoices (CSV text)."""

import csv
import io
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

DATE_FORMAT = "%Y-%m-%d"

CUSTOMER_FIELDS = ["customer_id", "name", "plan", "opened", "discount_code"]
READING_FIELDS = ["customer_id", "read_date", "usage"]
INVOICE_FIELDS = ["invoice_id", "customer_id", "issued", "due", "amount", "paid_on"]


class BillingDataError(ValueError):
    """Raised when an export cannot be understood."""


def parse_date(text):
    """Parse a YYYY-MM-DD string into a date."""
    try:
        return datetime.strptime(text.strip(), DATE_FORMAT).date()
    except (AttributeError, TypeError, ValueError):
        raise BillingDataError(f"bad date {text!r}") from None


def to_money(value):
    """Decimal rounded to cents (half up)."""
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise BillingDataError(f"bad amount {value!r}") from None
    if not amount.is_finite():
        raise BillingDataError(f"bad amount {value!r}")
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _read_rows(text, fields):
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        return []
    missing = [f for f in fields if f not in header]
    if missing:
        raise BillingDataError("missing columns: " + ", ".join(missing))
    rows = []
    for line_no, raw in enumerate(reader, start=2):
        row = {}
        for key, value in raw.items():
            if key is None:
                raise BillingDataError(f"line {line_no}: too many fields")
            row[key.strip()] = (value or "").strip()
        if not any(row.values()):
            continue
        row["line"] = line_no
        rows.append(row)
    return rows


def load_customers(text, known_plans=None):
    """List of customer dicts; dates are validated but kept as the original strings."""
    customers = []
    seen = []
    for row in _read_rows(text, CUSTOMER_FIELDS):
        cid = row["customer_id"]
        if not cid:
            raise BillingDataError(f"line {row['line']}: empty customer_id")
        if cid in seen:
            raise BillingDataError(f"line {row['line']}: duplicate customer {cid}")
        if known_plans is not None and row["plan"] not in known_plans:
            raise BillingDataError(f"line {row['line']}: unknown plan {row['plan']!r}")
        parse_date(row["opened"])
        row["discount_code"] = row["discount_code"].upper()
        seen.append(cid)
        customers.append(row)
    return customers


def load_readings(text):
    """List of reading dicts with usage as Decimal."""
    readings = []
    for row in _read_rows(text, READING_FIELDS):
        parse_date(row["read_date"])
        try:
            usage = Decimal(row["usage"])
        except InvalidOperation:
            raise BillingDataError(f"line {row['line']}: bad usage {row['usage']!r}") from None
        if not usage.is_finite() or usage < 0:
            raise BillingDataError(f"line {row['line']}: bad usage {row['usage']!r}")
        row["usage"] = usage
        readings.append(row)
    return readings


def load_invoices(text):
    """List of invoice dicts with amount as Decimal; paid_on is '' while unpaid."""
    invoices = []
    for row in _read_rows(text, INVOICE_FIELDS):
        issued = parse_date(row["issued"])
        due = parse_date(row["due"])
        if due < issued:
            raise BillingDataError(f"line {row['line']}: due before issued")
        if row["paid_on"]:
            parse_date(row["paid_on"])
        row["amount"] = to_money(row["amount"])
        invoices.append(row)
    return invoices

