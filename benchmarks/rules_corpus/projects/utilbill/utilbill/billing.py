"""Turning consumption into invoices: proration, discounts and tax."""

from collections import namedtuple
from datetime import date, timedelta
from decimal import Decimal

from .meters import UNIT_NAMES
from .money import ZERO, round_money, round_units, to_decimal
from .tariffs import band_usage

TAX_RATES = {"electric": Decimal("0.05"), "water": Decimal("0")}
DISCOUNT_KINDS = ("percent", "fixed")

Discount = namedtuple("Discount", "account_id kind value start end label")
Line = namedtuple("Line", "description units amount")
Invoice = namedtuple(
    "Invoice",
    "number account_id service start end issued due lines subtotal discount tax total estimated",
)


def month_bounds(year, month):
    """[first day of the month, first day of the next month)."""
    if not 1 <= month <= 12:
        raise ValueError(f"bad month {month}")
    start = date(year, month, 1)
    end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return start, end


def _period_label(start, end):
    last = end - timedelta(days=1)
    return f"{start:%d %b}-{last:%d %b %Y}"


class Biller:
    """Bills ledger accounts against a tariff book and keeps the invoices it issued."""

    def __init__(self, ledger, book, tax_rates=None, due_days=28, first_number=1):
        if due_days < 0:
            raise ValueError("due_days must not be negative")
        self.ledger = ledger
        self.book = book
        self.tax_rates = dict(TAX_RATES if tax_rates is None else tax_rates)
        self.due_days = due_days
        self.discounts = []
        self.invoices = []
        self._next_number = first_number

    def add_discount(self, discount):
        if not isinstance(discount, Discount):
            raise TypeError("expected a Discount")
        self.ledger.account(discount.account_id)
        if discount.kind not in DISCOUNT_KINDS:
            raise ValueError(f"unknown discount kind {discount.kind!r}")
        value = to_decimal(discount.value)
        if value <= 0 or (discount.kind == "percent" and value > 100):
            raise ValueError(f"bad discount value {discount.value!r}")
        if discount.end <= discount.start:
            raise ValueError("discount must end after it starts")
        self.discounts.append(discount._replace(value=value))

    def discounts_for(self, account_id, start, end):
        return [d for d in self.discounts
                if d.account_id == account_id and d.start < end and d.end > start]

    def quote(self, account_id, start, end, issued=None):
        """Work out the invoice for [start, end) without issuing it (number is None)."""
        account = self.ledger.account(account_id)
        if start < account.opened:
            raise ValueError(f"{account_id} was not open on {start}")
        units, first, last = self.ledger.consumption(account_id, start, end)
        if units < 0:
            raise ValueError(f"{account_id}: negative consumption")
        segments = self.book.segments(account.tariff_code, start, end)
        if segments[0].tariff.service != account.service:
            raise ValueError(f"{account.tariff_code} does not supply {account.service}")
        unit_name = UNIT_NAMES[account.service]
        total_days = (end - start).days

        lines = []
        allotted = Decimal(0)
        for i, seg in enumerate(segments):
            days = (seg.end - seg.start).days
            if i == len(segments) - 1:
                seg_units = units - allotted
            else:
                seg_units = round_units(units * days / total_days)
            allotted += seg_units
            label = f"{seg.tariff.code} {_period_label(seg.start, seg.end)}"
            for band, price in band_usage(seg.tariff, seg_units, days):
                lines.append(Line(f"{label}: {band} {unit_name} @ {price}", band,
                                  round_money(band * price)))
            lines.append(Line(f"{label}: standing charge {days} days @ {seg.tariff.standing}",
                              Decimal(days), round_money(seg.tariff.standing * days)))
        subtotal = sum((line.amount for line in lines), ZERO)

        discount = ZERO
        offers = sorted(self.discounts_for(account_id, start, end),
                        key=lambda d: (d.kind != "percent", d.start, d.label))
        for offer in offers:
            if offer.kind == "percent":
                amount = round_money((subtotal - discount) * offer.value / 100)
            else:
                amount = min(round_money(offer.value), subtotal - discount)
            discount += amount
            lines.append(Line(f"Discount: {offer.label}", Decimal(0), ZERO - amount))

        taxable = subtotal - discount
        tax = round_money(taxable * self.tax_rates.get(account.service, Decimal(0)))
        issued = end if issued is None else issued
        return Invoice(
            number=None,
            account_id=account_id,
            service=account.service,
            start=start,
            end=end,
            issued=issued,
            due=issued + timedelta(days=self.due_days),
            lines=tuple(lines),
            subtotal=subtotal,
            discount=discount,
            tax=tax,
            total=taxable + tax,
            estimated="estimated" in (first.kind, last.kind),
        )

    def bill(self, account_id, start, end, issued=None):
        """Issue and record the invoice for [start, end)."""
        for invoice in self.invoices:
            if invoice.account_id == account_id and invoice.start < end and invoice.end > start:
                raise ValueError(f"{account_id} already billed for part of that period "
                                 f"({invoice.number})")
        invoice = self.quote(account_id, start, end, issued)
        invoice = invoice._replace(number=f"INV-{self._next_number:06d}")
        self._next_number += 1
        self.invoices.append(invoice)
        return invoice

    def bill_period(self, start, end, issued=None):
        """Bill every account open during [start, end), in account order.

        Accounts that opened part way through are billed from their opening day.
        """
        issued_now = []
        for account in self.ledger.accounts:
            if account.opened >= end:
                continue
            begin = max(start, account.opened)
            issued_now.append(self.bill(account.account_id, begin, end, issued))
        return issued_now

    def bill_month(self, year, month, issued=None):
        start, end = month_bounds(year, month)
        return self.bill_period(start, end, issued)

    def invoice(self, number):
        for invoice in self.invoices:
            if invoice.number == number:
                return invoice
        raise KeyError(number)

    def invoices_for(self, account_id):
        return sorted((i for i in self.invoices if i.account_id == account_id),
                      key=lambda i: (i.start, i.number))
