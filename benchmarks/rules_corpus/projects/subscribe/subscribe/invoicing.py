"""Monthly invoice runs, payments and plain-text invoice rendering."""

from datetime import timedelta

from .models import (
    ZERO,
    Coupon,
    Customer,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Plan,
    PlanChange,
    UsageRecord,
    parse_date,
)
from .pricing import find_coupon, find_plan, month_bounds, plan_segments, prorate, usage_for

PAYMENT_TERMS_DAYS = 14
FIRST_INVOICE_NUMBER = 1001


def next_invoice_number(ledger: list[Invoice]) -> int:
    if not ledger:
        return FIRST_INVOICE_NUMBER
    return max(invoice.number for invoice in ledger) + 1


def already_billed(ledger: list[Invoice], customer_id: str, period_start) -> bool:
    for invoice in ledger:
        if (invoice.customer_id == customer_id and invoice.period_start == period_start
                and invoice.status is not InvoiceStatus.VOID):
            return True
    return False


def invoice_lines(customer: Customer, plans: list[Plan], coupons: list[Coupon],
                  changes: list[PlanChange], usage: list[UsageRecord], period_start,
                  period_end) -> list[InvoiceLine]:
    """Seat lines per plan segment, a usage line, then a coupon discount line."""
    lines = []
    segments = plan_segments(customer, changes, period_start, period_end)
    for seg_start, seg_end, plan_id, seats in segments:
        if seats == 0:
            continue
        plan = find_plan(plans, plan_id)
        amount = prorate(plan.seat_charge(seats), seg_start, seg_end, period_start, period_end)
        last_day = seg_end - timedelta(days=1)
        label = f"{plan.name} seats {seg_start:%b %d}-{last_day:%b %d}"
        lines.append(InvoiceLine(label, seats, plan.seat_price, amount))
    if segments:
        plan = find_plan(plans, segments[-1][2])
        units = usage_for(customer.customer_id, usage, period_start, period_end)
        if units and plan.tiers:
            charge = plan.usage_charge(units)
            lines.append(InvoiceLine(f"{plan.name} usage, {units:,} units", 1, charge, charge))
    coupon = find_coupon(coupons, customer.coupon_code)
    if coupon is not None and lines and coupon.is_valid_on(period_start):
        subtotal = sum((line.amount for line in lines), ZERO)
        off = coupon.discount(subtotal)
        if off:
            lines.append(InvoiceLine(f"Coupon {coupon.code}", 1, -off, -off))
    return lines


def issue_invoices(ledger: list[Invoice], customers: list[Customer], plans: list[Plan],
                   coupons: list[Coupon], changes: list[PlanChange], usage: list[UsageRecord],
                   month: str) -> list[Invoice]:
    """Bill every customer for a calendar month, appending new invoices to the ledger.

    Customers already billed for that month (by a non-void invoice) are skipped.
    """
    period_start, period_end = month_bounds(month)
    issued = []
    for customer in customers:
        if already_billed(ledger, customer.customer_id, period_start):
            continue
        lines = invoice_lines(customer, plans, coupons, changes, usage, period_start, period_end)
        if not lines:
            continue
        invoice = Invoice(
            number=next_invoice_number(ledger),
            customer_id=customer.customer_id,
            period_start=period_start,
            period_end=period_end,
            issued=period_end,
            due=period_end + timedelta(days=PAYMENT_TERMS_DAYS),
            lines=lines,
        )
        ledger.append(invoice)
        issued.append(invoice)
    return issued


def find_invoice(ledger: list[Invoice], number: int) -> Invoice | None:
    for invoice in ledger:
        if invoice.number == number:
            return invoice
    return None


def record_payments(ledger: list[Invoice], payments: list[tuple[int, str]]) -> list[int]:
    """Mark invoices paid; returns the invoice numbers that could not be matched."""
    unmatched = []
    for number, day in payments:
        invoice = find_invoice(ledger, number)
        if invoice is None or invoice.status is InvoiceStatus.VOID:
            unmatched.append(number)
            continue
        if invoice.status is InvoiceStatus.OPEN:
            invoice.mark_paid(day)
    return unmatched


def void_invoice(ledger: list[Invoice], number: int) -> Invoice:
    invoice = find_invoice(ledger, number)
    if invoice is None:
        raise KeyError(f"no invoice {number}")
    if invoice.status is InvoiceStatus.PAID:
        raise ValueError(f"invoice {number} is already paid")
    invoice.status = InvoiceStatus.VOID
    return invoice


def render_invoice(invoice: Invoice, customer: Customer) -> str:
    """Plain-text invoice with aligned description, quantity, unit price and amount columns."""
    width = max([len("Description")] + [len(line.description) for line in invoice.lines])
    last_day = invoice.period_end - timedelta(days=1)
    text = f"INVOICE #{invoice.number}  [{invoice.status.value.upper()}]\n"
    text += f"Bill to: {customer.name} <{customer.email}> ({customer.customer_id})\n"
    text += f"Period:  {invoice.period_start.isoformat()} to {last_day.isoformat()}\n"
    text += f"Issued:  {invoice.issued.isoformat()}   Due: {invoice.due.isoformat()}\n"
    text += "\n"
    text += f"{'Description':<{width}}  {'Qty':>6}  {'Unit':>10}  {'Amount':>10}\n"
    text += "-" * (width + 32) + "\n"
    for line in invoice.lines:
        unit = f"{line.unit_price:,.2f}"
        amount = f"{line.amount:,.2f}"
        text += f"{line.description:<{width}}  {line.quantity:>6}  {unit:>10}  {amount:>10}\n"
    text += "-" * (width + 32) + "\n"
    total = f"{invoice.total:,.2f}"
    text += f"{'TOTAL':<{width}}  {'':>6}  {'':>10}  {total:>10}\n"
    if invoice.paid_on is not None:
        text += f"Paid on {parse_date(invoice.paid_on).isoformat()}\n"
    return text
