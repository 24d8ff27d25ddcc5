"""Workload: a quarter of invoices and payments; balances, aging, statements and registers.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta

from billing import Biller, Customer, Invoice, LineItem, Payment, Product
from billing.reports import aging_report, invoice_register, revenue_by_country, top_customers

COUNTRIES = ["DE", "FR", "NL", "US", "GB", "IT"]
TIERS = ["standard", "standard", "silver", "gold", "platinum"]
TAX = ["standard", "standard", "reduced", "zero"]


def make_data(rng: random.Random):
    customers = [
        Customer(f"C{i:05d}", f"Customer {i}", rng.choice(COUNTRIES), rng.choice(TIERS))
        for i in range(600)
    ]
    products = [
        Product(f"P{i:05d}", f"Product {i}", round(rng.uniform(1, 400), 2), rng.choice(TAX))
        for i in range(900)
    ]
    start = date(2024, 1, 1)
    invoices = []
    for i in range(1400):
        lines = [
            LineItem(rng.choice(products).sku, rng.choice([1, 2, 5, 12, 60, 120, 700]))
            for _ in range(rng.randint(1, 5))
        ]
        issued = start + timedelta(days=rng.randrange(90))
        invoices.append(Invoice(f"INV-{i:06d}", rng.choice(customers).id, issued, lines))
    payments = []
    for invoice in invoices:
        if rng.random() < 0.7:
            payments.append(
                Payment(invoice.number, round(rng.uniform(10, 3000), 2), invoice.issued)
            )
    rng.shuffle(payments)
    return customers, products, invoices, payments


def main() -> None:
    rng = random.Random(4711)
    customers, products, invoices, payments = make_data(rng)
    biller = Biller(customers, products)
    today = date(2024, 5, 15)
    balances = biller.balances(invoices, payments)
    aging = aging_report(biller, invoices, payments, today)
    overdue = biller.overdue(invoices, payments, today)
    countries = revenue_by_country(biller, invoices)
    top = top_customers(biller, invoices, 5)
    register = invoice_register(biller, invoices)
    statements = [biller.statement(c.id, invoices, payments) for c in customers[:40]]
    digest = hashlib.sha256("\n".join(register + statements).encode()).hexdigest()[:16]
    print(f"open total {round(sum(balances.values()), 2)} over {len(balances)} invoices")
    print(f"aging {aging}")
    print(f"overdue {len(overdue)}")
    print(f"countries {countries}")
    print(f"top {top}")
    print(f"register+statements sha256 {digest}")


if __name__ == "__main__":
    main()
