from datetime import date

import pytest

from billing import Biller, Customer, Invoice, LineItem, Payment, Product
from billing.invoicing import format_amount
from billing.pricing import volume_discount
from billing.reports import aging_report, revenue_by_country, top_customers


def setup() -> tuple[Biller, list[Invoice], list[Payment]]:
    customers = [Customer("c1", "Acme", "DE", "gold"), Customer("c2", "Bolt", "US")]
    products = [Product("p1", "Widget", 10.0), Product("p2", "Book", 20.0, "reduced")]
    invoices = [
        Invoice("i1", "c1", date(2024, 1, 1), [LineItem("p1", 2), LineItem("p2", 1)]),
        Invoice("i2", "c2", date(2024, 2, 1), [LineItem("p1", 10)]),
    ]
    payments = [Payment("i1", 10.0, date(2024, 1, 5))]
    return Biller(customers, products), invoices, payments


def test_invoice_total_applies_tier_and_tax() -> None:
    biller, invoices, _ = setup()
    # gold: 10 % off; p1 standard 19 %, p2 reduced 7 %
    assert biller.invoice_total(invoices[0]) == pytest.approx(18.0 * 1.19 + 18.0 * 1.07)


def test_volume_discount() -> None:
    assert volume_discount(1) == 0.0
    assert volume_discount(10) == 0.03
    assert volume_discount(75) == 0.05
    assert volume_discount(5000) == 0.12


def test_balances_subtract_payments() -> None:
    biller, invoices, payments = setup()
    balances = biller.balances(invoices, payments)
    assert list(balances) == ["i1", "i2"]
    assert balances["i1"] == pytest.approx(round(18.0 * 1.19 + 18.0 * 1.07 - 10.0, 2))
    assert balances["i2"] == pytest.approx(97.0)


def test_reports() -> None:
    biller, invoices, payments = setup()
    aging = aging_report(biller, invoices, payments, date(2024, 3, 15))
    assert aging["90+"] == 0.0
    assert aging["1-30"] == pytest.approx(97.0)
    assert revenue_by_country(biller, invoices) == {"DE": 40.68, "US": 97.0}
    assert top_customers(biller, invoices, 1) == [("c2", 97.0)]


def test_statement_and_format() -> None:
    biller, invoices, payments = setup()
    text = biller.statement("c1", invoices, payments)
    assert text.splitlines()[0] == "Statement for Acme (c1)"
    assert "i2" not in text
    assert text.endswith("Open: 30.68 EUR")
    assert format_amount(-1234.5) == "-1,234.50 EUR"
