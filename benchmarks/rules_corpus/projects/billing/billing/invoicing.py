"""The Biller: totals, balances and statements for a set of invoices."""

from __future__ import annotations

from datetime import date

from billing.catalog import find_customer, find_product
from billing.models import Customer, Invoice, Payment, Product
from billing.pricing import line_net, line_tax, round_cents


def format_amount(value: float, currency: str = "EUR") -> str:
    sign = "-" if value < 0 else ""
    whole = f"{abs(float(value)):,.2f}"
    return f"{sign}{whole} {currency}"


class Biller:
    def __init__(self, customers: list[Customer], products: list[Product]) -> None:
        self.customers = customers
        self.products = products

    def customer(self, customer_id: str) -> Customer:
        return find_customer(self.customers, customer_id)

    def line_amounts(self, invoice: Invoice) -> list[tuple[str, float, float]]:
        customer = self.customer(invoice.customer_id)
        rows = []
        for line in invoice.lines:
            product = find_product(self.products, line.sku)
            net = line_net(product, line.qty, customer)
            rows.append((line.sku, net, line_tax(product, net, customer)))
        return rows

    def invoice_total(self, invoice: Invoice) -> float:
        total = 0.0
        for _, net, tax in self.line_amounts(invoice):
            total += net + tax
        return round_cents(total)

    def paid(self, invoice: Invoice, payments: list[Payment]) -> float:
        received = 0.0
        for payment in payments:
            if payment.invoice_number == invoice.number:
                received += payment.amount
        return round_cents(received)

    def balances(self, invoices: list[Invoice], payments: list[Payment]) -> dict[str, float]:
        """Open amount per invoice number, in invoice order."""
        result = {}
        for invoice in invoices:
            result[invoice.number] = round_cents(
                self.invoice_total(invoice) - self.paid(invoice, payments)
            )
        return result

    def overdue(
        self, invoices: list[Invoice], payments: list[Payment], today: date
    ) -> list[tuple[Invoice, float]]:
        balances = self.balances(invoices, payments)
        late = []
        for invoice in invoices:
            if invoice.due < today and balances[invoice.number] > 0.005:
                late.append((invoice, balances[invoice.number]))
        return late

    def statement(
        self, customer_id: str, invoices: list[Invoice], payments: list[Payment]
    ) -> str:
        customer = self.customer(customer_id)
        lines = [f"Statement for {customer.display()}"]
        open_total = 0.0
        for invoice in invoices:
            if invoice.customer_id != customer_id:
                continue
            total = self.invoice_total(invoice)
            paid = self.paid(invoice, payments)
            open_total += total - paid
            lines.append(
                f"{invoice.number}  {invoice.issued.isoformat()}  "
                f"{format_amount(total):>16}  paid {format_amount(paid):>16}"
            )
        lines.append(f"Open: {format_amount(round_cents(open_total))}")
        return "\n".join(lines)
