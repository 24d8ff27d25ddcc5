"""Payments, balances, statements, the debt aging report and invoice text."""

from collections import namedtuple
from datetime import timedelta

from .meters import normalise_account_id, parse_day, split_fields
from .money import ZERO, format_money, round_money

BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")

Payment = namedtuple("Payment", "account_id day amount reference")
AgingRow = namedtuple("AgingRow", "account_id current days_1_30 days_31_60 days_61_90 "
                                  "over_90 total credit")
StatementLine = namedtuple("StatementLine", "day description debit credit balance")


def parse_payments(text):
    """Parse 'ACCOUNT ; YYYY-MM-DD ; AMOUNT ; REFERENCE' lines ('#' starts a comment)."""
    payments = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        fields = split_fields(line)
        if len(fields) != 4:
            raise ValueError(f"line {number}: expected 4 fields, got {len(fields)}")
        try:
            amount = round_money(fields[2])
            payment = Payment(normalise_account_id(fields[0]), parse_day(fields[1]),
                              amount, fields[3])
        except ValueError as exc:
            raise ValueError(f"line {number}: {exc}") from None
        if amount <= 0:
            raise ValueError(f"line {number}: payment must be positive")
        payments.append(payment)
    return payments


def bucket_for(days_overdue):
    """Index into BUCKETS for an invoice that is `days_overdue` past its due date."""
    if days_overdue <= 0:
        return 0
    if days_overdue <= 30:
        return 1
    if days_overdue <= 60:
        return 2
    if days_overdue <= 90:
        return 3
    return 4


def open_items(invoices, payments, account_id, as_of):
    """Unpaid invoices of an account on `as_of` and any unallocated credit.

    Payments received on or before `as_of` settle the oldest invoices first.
    """
    owed = sorted([i for i in invoices if i.account_id == account_id and i.issued <= as_of],
                  key=lambda i: (i.issued, i.number))
    paid = sum((p.amount for p in payments if p.account_id == account_id and p.day <= as_of),
               ZERO)
    items = []
    for invoice in owed:
        applied = min(paid, invoice.total)
        paid -= applied
        if invoice.total - applied > 0:
            items.append((invoice, invoice.total - applied))
    return items, paid


def aging_report(invoices, payments, as_of):
    """One AgingRow per account that owes money or holds credit on `as_of`.

    Rows come largest debt first; equal debts are ordered by account id.
    """
    accounts = sorted({i.account_id for i in invoices} | {p.account_id for p in payments})
    rows = []
    for account_id in accounts:
        items, credit = open_items(invoices, payments, account_id, as_of)
        buckets = [ZERO] * len(BUCKETS)
        for invoice, unpaid in items:
            buckets[bucket_for((as_of - invoice.due).days)] += unpaid
        total = sum(buckets, ZERO)
        if total == 0 and credit == 0:
            continue
        rows.append(AgingRow(account_id, *buckets, total, credit))
    rows.sort(key=lambda r: (-r.total, r.account_id))
    return rows


def aging_totals(rows):
    totals = dict.fromkeys(BUCKETS, ZERO)
    for row in rows:
        for name, amount in zip(BUCKETS, row[1:6]):
            totals[name] += amount
    totals["credit"] = sum((row.credit for row in rows), ZERO)
    return totals


def balance(invoices, payments, account_id, as_of=None):
    """Amount owed (negative when in credit)."""
    billed = sum((i.total for i in invoices if i.account_id == account_id
                  and (as_of is None or i.issued <= as_of)), ZERO)
    paid = sum((p.amount for p in payments if p.account_id == account_id
                and (as_of is None or p.day <= as_of)), ZERO)
    return billed - paid


def statement(invoices, payments, account_id):
    """Invoices and payments of an account in date order with a running balance."""
    events = []
    for invoice in invoices:
        if invoice.account_id == account_id:
            events.append((invoice.issued, 0, invoice.number,
                           f"Invoice {invoice.number}", invoice.total, ZERO))
    for payment in payments:
        if payment.account_id == account_id:
            events.append((payment.day, 1, payment.reference,
                           f"Payment {payment.reference}", ZERO, payment.amount))
    events.sort(key=lambda e: e[:3])
    lines = []
    for i, event in enumerate(events):
        debits = sum((e[4] for e in events[:i + 1]), ZERO)
        credits = sum((e[5] for e in events[:i + 1]), ZERO)
        lines.append(StatementLine(event[0], event[3], event[4], event[5], debits - credits))
    return lines


def revenue_summary(invoices):
    """Totals per (service, YYYY-MM of the period start), in key order."""
    summary = {}
    for invoice in invoices:
        key = (invoice.service, f"{invoice.start:%Y-%m}")
        entry = summary.setdefault(key, {"invoices": 0, "net": ZERO, "tax": ZERO,
                                         "discount": ZERO})
        entry["invoices"] += 1
        entry["net"] += invoice.subtotal - invoice.discount
        entry["tax"] += invoice.tax
        entry["discount"] += invoice.discount
    return {key: summary[key] for key in sorted(summary)}


def invoice_text(invoice, width=72):
    """A plain-text rendering of an invoice."""
    if width < 40:
        raise ValueError("width too small")
    number = invoice.number or "QUOTE"
    out = [f"{number}  {invoice.account_id}  ({invoice.service})",
           f"Period {invoice.start:%d %b %Y} to {invoice.end - timedelta(days=1):%d %b %Y}"
           f"{'  [ESTIMATED]' if invoice.estimated else ''}",
           "-" * width]
    for line in invoice.lines:
        amount = format_money(line.amount)
        text = line.description[: width - len(amount) - 1]
        out.append(f"{text:<{width - len(amount)}}{amount}")
    out.append("-" * width)
    for label, value in (("Subtotal", invoice.subtotal), ("Discount", -invoice.discount),
                         ("Tax", invoice.tax), ("Total due", invoice.total)):
        out.append(f"{label:<{width - 16}}{format_money(value):>16}")
    out.append(f"Due by {invoice.due:%d %b %Y}")
    return "\n".join(out)


def collection_rate(invoices, payments, as_of):
    """Share of the amount billed by `as_of` that has been paid, as a Decimal percentage."""
    billed = sum((i.total for i in invoices if i.issued <= as_of), ZERO)
    if billed == 0:
        return ZERO
    paid = sum((p.amount for p in payments if p.day <= as_of), ZERO)
    return round_money(min(paid, billed) * 100 / billed)
