"""Monthly bills, loyalty credit, late fees and outstanding balances."""

from decimal import ROUND_HALF_UP, Decimal

from .loading import BillingDataError, parse_date
from .rates import discount_amount, fixed_charge, tax_on, tiered_charge

GRACE_DAYS = 5
LATE_FEE_PERCENT = "1.5"  # per started 30-day period past the grace days
LATE_FEE_MIN = "2.00"
LATE_FEE_CAP = "25.00"
LOYALTY_YEARS = 5
LOYALTY_PERCENT = "2"


class Bill:
    """One customer's charges for one month."""

    def __init__(self, customer_id, month, usage, energy, fixed, loyalty, discount, tax):
        self.customer_id = customer_id
        self.month = month
        self.usage = usage
        self.energy = energy
        self.fixed = fixed
        self.loyalty = loyalty
        self.discount = discount
        self.tax = tax

    @property
    def subtotal(self):
        return self.energy + self.fixed - self.loyalty - self.discount

    @property
    def total(self):
        return self.subtotal + self.tax

    def as_dict(self):
        return {
            "customer_id": self.customer_id,
            "month": self.month,
            "usage": self.usage,
            "energy": self.energy,
            "fixed": self.fixed,
            "loyalty": self.loyalty,
            "discount": self.discount,
            "tax": self.tax,
            "total": self.total,
        }

    def __repr__(self):
        return f"Bill({self.customer_id!r}, {self.month!r}, total={self.total})"


def find_customer(customers, customer_id):
    for customer in customers:
        if customer["customer_id"] == customer_id:
            return customer
    raise KeyError(f"no customer {customer_id!r}")


def month_of(date_text):
    d = parse_date(date_text)
    return f"{d.year:04d}-{d.month:02d}"


def month_start(month):
    if not isinstance(month, str) or len(month) != 7:
        raise BillingDataError(f"bad month {month!r}")
    return parse_date(month + "-01")


def usage_for(customer_id, readings, month):
    """Total units read for a customer in a month ('YYYY-MM')."""
    total = Decimal("0")
    for reading in readings:
        if reading["customer_id"] == customer_id and month_of(reading["read_date"]) == month:
            total += reading["usage"]
    return total


def years_with_us(customer, month):
    opened = parse_date(customer["opened"])
    start = month_start(month)
    years = start.year - opened.year
    if (start.month, start.day) < (opened.month, opened.day):
        years -= 1
    return max(years, 0)


def loyalty_credit(customer, month, energy):
    if years_with_us(customer, month) < LOYALTY_YEARS:
        return Decimal("0.00")
    credit = energy * Decimal(LOYALTY_PERCENT) / Decimal("100")
    return credit.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def monthly_bill(customer, readings, month):
    month_start(month)
    usage = usage_for(customer["customer_id"], readings, month)
    energy = tiered_charge(usage, customer["plan"])
    fixed = fixed_charge(customer["plan"])
    loyalty = loyalty_credit(customer, month, energy)
    discount = discount_amount(customer["discount_code"], energy + fixed - loyalty)
    tax = tax_on(energy + fixed - loyalty - discount)
    return Bill(customer["customer_id"], month, usage, energy, fixed, loyalty, discount, tax)


def days_overdue(invoice, as_of):
    return (parse_date(as_of) - parse_date(invoice["due"])).days


def is_unpaid(invoice, as_of):
    """True if the invoice was issued by as_of and not paid by then."""
    if parse_date(invoice["issued"]) > parse_date(as_of):
        return False
    if not invoice["paid_on"]:
        return True
    return parse_date(invoice["paid_on"]) > parse_date(as_of)


def late_fee(invoice, as_of):
    """Late fee owed on an invoice as of a date (or as of its payment, if paid by then)."""
    amount = invoice["amount"]
    if amount <= 0:
        return Decimal("0.00")
    settled = as_of
    if invoice["paid_on"] and parse_date(invoice["paid_on"]) <= parse_date(as_of):
        settled = invoice["paid_on"]
    days_late = days_overdue(invoice, settled)
    if days_late <= GRACE_DAYS:
        return Decimal("0.00")
    periods = (days_late - GRACE_DAYS + 29) // 30
    fee = amount * Decimal(LATE_FEE_PERCENT) / Decimal("100") * periods
    fee = max(fee, Decimal(LATE_FEE_MIN))
    fee = min(fee, Decimal(LATE_FEE_CAP))
    return fee.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def outstanding_for(customer_id, invoices, as_of):
    """(amount, fees) still owed by a customer as of a date."""
    owed = Decimal("0.00")
    fees = Decimal("0.00")
    for invoice in invoices:
        if invoice["customer_id"] != customer_id:
            continue
        if is_unpaid(invoice, as_of):
            owed += invoice["amount"]
            fees += late_fee(invoice, as_of)
    return owed, fees
