import copy
import random
from datetime import date, timedelta

import pytest

from billing import Biller, Customer, Invoice, LineItem, Payment, Product
from billing.catalog import UnknownItem, find_customer, find_product
from billing.invoicing import format_amount
from billing.pricing import line_net, tier_discounts, volume_discount
from billing.reports import aging_report, bucket_for, invoice_register, top_customers


def test_duplicate_sku_uses_first_product() -> None:
    products = [Product("p", "first", 1.0), Product("p", "second", 99.0)]
    assert find_product(products, "p").name == "first"
    biller = Biller([Customer("c", "C", "US")], products)
    inv = Invoice("i", "c", date(2024, 1, 1), [LineItem("p", 3)])
    assert biller.invoice_total(inv) == 3.0


def test_duplicate_customer_uses_first() -> None:
    customers = [Customer("c", "One", "DE"), Customer("c", "Two", "US")]
    assert find_customer(customers, "c").name == "One"


def test_unknown_sku_and_customer_raise_keyerror() -> None:
    biller = Biller([Customer("c", "C", "US")], [Product("p", "P", 1.0)])
    with pytest.raises(KeyError):
        biller.invoice_total(Invoice("i", "c", date(2024, 1, 1), [LineItem("zz", 1)]))
    with pytest.raises(UnknownItem):
        biller.invoice_total(Invoice("i", "nobody", date(2024, 1, 1), [LineItem("p", 1)]))
    with pytest.raises(ValueError):
        LineItem("p", 0)


def test_catalog_changes_after_construction_are_seen() -> None:
    products = [Product("p", "P", 1.0)]
    customers = [Customer("c", "C", "US")]
    biller = Biller(customers, products)
    inv = Invoice("i", "c", date(2024, 1, 1), [LineItem("p", 1)])
    assert biller.invoice_total(inv) == 1.0
    products[0] = Product("p", "P", 5.0)
    customers.append(Customer("d", "D", "US"))
    assert biller.invoice_total(inv) == 5.0
    assert biller.customer("d").name == "D"


def test_tier_and_volume_edges() -> None:
    assert tier_discounts() == {"standard": 0.0, "silver": 0.05, "gold": 0.10, "platinum": 0.15}
    table = tier_discounts()
    table["gold"] = 0.9
    assert tier_discounts()["gold"] == 0.10
    assert [volume_discount(q) for q in (9, 10, 49, 50, 99, 100, 499, 500)] == [
        0.0, 0.03, 0.03, 0.05, 0.05, 0.08, 0.08, 0.12,
    ]
    unknown = Customer("c", "C", "US", "diamond")
    assert line_net(Product("p", "P", 2.0), 1, unknown) == 2.0


def test_payments_for_other_invoices_and_overpayment() -> None:
    biller = Biller([Customer("c", "C", "US")], [Product("p", "P", 10.0)])
    invoices = [Invoice("a", "c", date(2024, 1, 1), [LineItem("p", 1)])]
    payments = [
        Payment("zzz", 500.0, date(2024, 1, 2)),
        Payment("a", 6.0, date(2024, 1, 2)),
        Payment("a", 6.0, date(2024, 1, 3)),
    ]
    assert biller.balances(invoices, payments) == {"a": -2.0}
    assert biller.overdue(invoices, payments, date(2025, 1, 1)) == []


def test_inputs_not_mutated() -> None:
    rng = random.Random(5)
    customers = [Customer(f"c{i}", f"n{i}", rng.choice(["DE", "US"])) for i in range(5)]
    products = [Product(f"p{i}", f"n{i}", float(i + 1)) for i in range(6)]
    invoices = [
        Invoice(f"i{k}", rng.choice(customers).id, date(2024, 1, 1) + timedelta(days=k),
                [LineItem(rng.choice(products).sku, rng.randint(1, 120))])
        for k in range(20)
    ]
    payments = [Payment(f"i{k}", 3.0, date(2024, 2, 1)) for k in range(0, 20, 3)]
    before = copy.deepcopy((customers, products, invoices, payments))
    biller = Biller(customers, products)
    biller.balances(invoices, payments)
    aging_report(biller, invoices, payments, date(2024, 6, 1))
    top_customers(biller, invoices, 3)
    invoice_register(biller, invoices)
    assert (customers, products, invoices, payments) == before


def test_top_customers_ties_keep_first_invoiced() -> None:
    biller = Biller(
        [Customer("a", "A", "US"), Customer("b", "B", "US"), Customer("c", "C", "US")],
        [Product("p", "P", 10.0)],
    )
    invoices = [
        Invoice("1", "b", date(2024, 1, 1), [LineItem("p", 1)]),
        Invoice("2", "a", date(2024, 1, 1), [LineItem("p", 1)]),
        Invoice("3", "c", date(2024, 1, 1), [LineItem("p", 2)]),
    ]
    assert top_customers(biller, invoices, 3) == [("c", 20.0), ("b", 10.0), ("a", 10.0)]
    assert top_customers(biller, [], 3) == []


def test_aging_buckets_boundaries() -> None:
    assert [bucket_for(d) for d in (0, 1, 30, 31, 60, 61, 90, 91, 400)] == [
        "current", "1-30", "1-30", "31-60", "31-60", "61-90", "61-90", "90+", "90+",
    ]


def test_larger_random_consistency() -> None:
    rng = random.Random(99)
    customers = [Customer(f"c{i}", f"n{i}", rng.choice(["DE", "FR", "XX"]),
                          rng.choice(["standard", "gold"])) for i in range(30)]
    products = [Product(f"p{i}", f"n{i}", round(rng.uniform(1, 50), 2),
                        rng.choice(["standard", "reduced", "zero", "weird"])) for i in range(40)]
    invoices = [
        Invoice(f"i{k}", rng.choice(customers).id, date(2024, 1, 1),
                [LineItem(rng.choice(products).sku, rng.randint(1, 600)) for _ in range(3)])
        for k in range(60)
    ]
    biller = Biller(customers, products)
    total = sum(biller.invoice_total(i) for i in invoices)
    balances = biller.balances(invoices, [])
    assert sum(balances.values()) == pytest.approx(total)
    regs = invoice_register(biller, invoices)
    assert len(regs) == 60 and all(r.count(";") == 4 for r in regs)
    assert format_amount(0) == "0.00 EUR"
    assert format_amount(1e6, "USD") == "1,000,000.00 USD"
