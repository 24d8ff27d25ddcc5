"""Domain objects for subscription billing: plans, coupons, customers and invoices."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
_CODE_JUNK = re.compile(r"[^A-Z0-9]")


class CouponKind(Enum):
    PERCENT = "percent"
    FIXED = "fixed"


class InvoiceStatus(Enum):
    OPEN = "open"
    PAID = "paid"
    VOID = "void"


def money(value) -> Decimal:
    """Round an int, str, float or Decimal amount to cents (half-up)."""
    if isinstance(value, float):
        value = str(value)
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_date(value) -> date:
    """Accept a 'YYYY-MM-DD' string (or a date) and return a date."""
    if isinstance(value, date):
        return value
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise ValueError(f"invalid date: {value!r}") from None


def normalize_code(code: str) -> str:
    """Coupon codes are matched ignoring case, spaces and punctuation."""
    return _CODE_JUNK.sub("", code.upper())


@dataclass
class Tier:
    up_to: int | None
    unit_price: Decimal


@dataclass
class Plan:
    plan_id: str
    name: str
    seat_price: Decimal
    tiers: list[Tier] = field(default_factory=list)

    def __post_init__(self):
        previous = 0
        for index, tier in enumerate(self.tiers):
            if tier.up_to is None:
                if index != len(self.tiers) - 1:
                    raise ValueError(f"plan {self.plan_id}: only the last tier may be open-ended")
            elif tier.up_to <= previous:
                raise ValueError(f"plan {self.plan_id}: tier bounds must increase")
            else:
                previous = tier.up_to

    def seat_charge(self, seats: int) -> Decimal:
        if seats < 0:
            raise ValueError("seats cannot be negative")
        return money(self.seat_price * seats)

    def usage_charge(self, units: int) -> Decimal:
        """Graduated pricing: each tier prices only the units that fall inside it."""
        if units < 0:
            raise ValueError("usage cannot be negative")
        total = Decimal(0)
        floor = 0
        for tier in self.tiers:
            if units <= floor:
                break
            ceiling = units if tier.up_to is None else min(units, tier.up_to)
            total += (ceiling - floor) * tier.unit_price
            floor = ceiling
        if units > floor:
            raise ValueError(f"plan {self.plan_id} has no tier for {units} units")
        return money(total)


@dataclass
class Coupon:
    code: str
    kind: CouponKind
    value: Decimal
    expires: str | None = None

    def is_valid_on(self, day) -> bool:
        return self.expires is None or parse_date(day) <= parse_date(self.expires)

    def discount(self, amount: Decimal) -> Decimal:
        if amount <= 0:
            return ZERO
        if self.kind is CouponKind.PERCENT:
            off = money(amount * self.value / 100)
        else:
            off = money(self.value)
        return min(off, amount)


@dataclass
class Customer:
    customer_id: str
    name: str
    email: str
    plan_id: str
    seats: int
    started: str
    canceled: str | None = None
    coupon_code: str | None = None

    def is_active_on(self, day) -> bool:
        day = parse_date(day)
        if day < parse_date(self.started):
            return False
        return self.canceled is None or day < parse_date(self.canceled)


@dataclass
class PlanChange:
    customer_id: str
    effective: str
    plan_id: str
    seats: int


@dataclass
class UsageRecord:
    customer_id: str
    day: str
    units: int


@dataclass
class InvoiceLine:
    description: str
    quantity: int
    unit_price: Decimal
    amount: Decimal


@dataclass
class Invoice:
    number: int
    customer_id: str
    period_start: date
    period_end: date
    issued: date
    due: date
    lines: list[InvoiceLine] = field(default_factory=list)
    status: InvoiceStatus = InvoiceStatus.OPEN
    paid_on: date | None = None

    @property
    def total(self) -> Decimal:
        return money(sum((line.amount for line in self.lines), ZERO))

    def days_overdue(self, as_of) -> int:
        if self.status is not InvoiceStatus.OPEN:
            return 0
        return max(0, (parse_date(as_of) - self.due).days)

    def mark_paid(self, day) -> None:
        if self.status is InvoiceStatus.VOID:
            raise ValueError(f"invoice {self.number} is void")
        self.status = InvoiceStatus.PAID
        self.paid_on = parse_date(day)
