"""Management reports built on the Biller."""

from __future__ import annotations

from datetime import date

from billing.invoicing import Biller, format_amount
from billing.models import Invoice, Payment

AGING_BUCKETS = [(0, "current"), (1, "1-30"), (31, "31-60"), (61, "61-90"), (91, "90+")]


def bucket_for(days_late: int) -> str:
    label = AGING_BUCKETS[0][1]
    for start, name in AGING_BUCKETS:
        if days_late >= start:
            label = name
    return label


def aging_report(
    biller: Biller, invoices: list[Invoice], payments: list[Payment], today: date
) -> dict[str, float]:
    buckets = {name: 0.0 for _, name in AGING_BUCKETS}
    balances = biller.balances(invoices, payments)
    for invoice in invoices:
        open_amount = balances[invoice.number]
        if open_amount <= 0.005:
            continue
        days_late = max(0, (today - invoice.due).days)
        buckets[bucket_for(days_late)] += open_amount
    return {name: round(value, 2) for name, value in buckets.items()}


def revenue_by_country(biller: Biller, invoices: list[Invoice]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for invoice in invoices:
        country = biller.customer(invoice.customer_id).country
        totals[country] = totals.get(country, 0.0) + biller.invoice_total(invoice)
    return {country: round(value, 2) for country, value in sorted(totals.items())}


def top_customers(biller: Biller, invoices: list[Invoice], n: int = 5) -> list[tuple[str, float]]:
    """Customers by invoiced amount, largest first; ties keep first-invoiced order."""
    spend: dict[str, float] = {}
    for invoice in invoices:
        spend[invoice.customer_id] = spend.get(invoice.customer_id, 0.0) + biller.invoice_total(
            invoice
        )
    ranked = sorted(spend.items(), key=lambda kv: -kv[1])
    return [(cid, round(total, 2)) for cid, total in ranked[:n]]


def invoice_register(biller: Biller, invoices: list[Invoice]) -> list[str]:
    rows = []
    for invoice in invoices:
        customer = biller.customer(invoice.customer_id)
        rows.append(
            ";".join(
                [
                    invoice.number,
                    invoice.issued.isoformat(),
                    customer.name,
                    customer.country,
                    format_amount(biller.invoice_total(invoice)),
                ]
            )
        )
    return rows
