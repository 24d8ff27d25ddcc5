from decimal import Decimal

import pytest

import tariffs as tf

CUSTOMERS = """customer_id,name,plan,opened,discount_code
C1,Ann Lee,RES-E,2015-03-01,senior
C2,Bob Ray,RES-W,2022-08-20,
C3,Cat Poe,BUS-E,2020-01-15,AUTOPAY
C4,Dan Yu,RES-E,2023-11-30,
"""

READINGS = """customer_id,read_date,usage
C1,2024-05-03,250
C1,2024-05-20,450
C1,2024-04-28,100
C2,2024-05-11,30
C3,2024-05-31,1500
"""

INVOICES = """invoice_id,customer_id,issued,due,amount,paid_on
I1,C1,2024-03-01,2024-03-22,120.00,2024-03-20
I2,C1,2024-04-01,2024-04-22,130.00,
I3,C2,2024-02-01,2024-02-22,80.50,2024-04-10
I4,C2,2024-04-01,2024-04-22,75.25,
I5,C3,2024-01-01,2024-01-22,900.00,
I6,C4,2024-06-01,2024-06-22,40.00,
"""


@pytest.fixture
def data():
    customers = tf.load_customers(CUSTOMERS, tf.known_plans())
    return customers, tf.load_readings(READINGS), tf.load_invoices(INVOICES)


def test_load_counts(data):
    customers, readings, invoices = data
    assert [len(customers), len(readings), len(invoices)] == [4, 5, 6]
    assert customers[0]["discount_code"] == "SENIOR"
    assert readings[0]["usage"] == Decimal("250")
    assert invoices[2]["amount"] == Decimal("80.50")


def test_bad_date_rejected():
    with pytest.raises(tf.BillingDataError):
        tf.load_readings("customer_id,read_date,usage\nC1,2024-13-01,5\n")


def test_unknown_plan_rejected():
    with pytest.raises(tf.BillingDataError):
        tf.load_customers("customer_id,name,plan,opened,discount_code\nC9,X,GAS,2020-01-01,\n",
                          tf.known_plans())


def test_plan_tiers_sorted():
    assert [t["from_units"] for t in tf.plan_tiers("BUS-E")] == [0, 500, 2000, 8000]


def test_tiered_charge_residential():
    assert tf.tiered_charge(Decimal("700"), "RES-E") == Decimal("117.50")
    assert tf.tiered_charge(Decimal("300"), "RES-E") == Decimal("42.60")
    assert tf.tiered_charge(Decimal("0"), "RES-E") == Decimal("0.00")


def test_tiered_charge_water():
    assert tf.tiered_charge(Decimal("30"), "RES-W") == Decimal("98.75")


def test_discounts_and_tax():
    assert tf.discount_amount("SENIOR", Decimal("100.00")) == Decimal("12.50")
    assert tf.discount_amount("AUTOPAY", Decimal("1.00")) == Decimal("1.00")
    assert tf.discount_amount("", Decimal("50.00")) == Decimal("0.00")
    assert tf.tax_on(Decimal("100.00")) == Decimal("7.25")


def test_usage_for_month(data):
    _, readings, _ = data
    assert tf.usage_for("C1", readings, "2024-05") == Decimal("700")
    assert tf.usage_for("C1", readings, "2024-04") == Decimal("100")
    assert tf.usage_for("C4", readings, "2024-05") == Decimal("0")


def test_monthly_bill_with_loyalty_and_discount(data):
    customers, readings, _ = data
    bill = tf.monthly_bill(customers[0], readings, "2024-05")
    assert bill.energy == Decimal("117.50")
    assert bill.fixed == Decimal("11.50")
    assert bill.loyalty == Decimal("2.35")
    assert bill.discount == Decimal("15.83")
    assert bill.tax == Decimal("8.03")
    assert bill.total == Decimal("118.85")


def test_years_with_us():
    c = {"opened": "2018-06-15"}
    assert tf.years_with_us(c, "2024-05") == 5
    assert tf.years_with_us({"opened": "2019-05-02"}, "2024-05") == 4
    assert tf.years_with_us({"opened": "2019-05-01"}, "2024-05") == 5


def test_late_fee_rules():
    inv = {"amount": Decimal("100.00"), "due": "2024-01-10", "paid_on": ""}
    assert tf.late_fee(inv, "2024-01-15") == Decimal("0.00")
    assert tf.late_fee(inv, "2024-01-16") == Decimal("2.00")
    big = {"amount": Decimal("500.00"), "due": "2024-01-10", "paid_on": ""}
    assert tf.late_fee(big, "2024-03-10") == Decimal("15.00")
    huge = {"amount": Decimal("1000.00"), "due": "2024-01-10", "paid_on": ""}
    assert tf.late_fee(huge, "2024-04-19") == Decimal("25.00")


def test_is_unpaid(data):
    _, _, invoices = data
    flags = [tf.is_unpaid(inv, "2024-05-31") for inv in invoices]
    assert flags == [False, True, False, True, True, False]


def test_outstanding_for(data):
    _, _, invoices = data
    assert tf.outstanding_for("C1", invoices, "2024-05-31") == (Decimal("130.00"),
                                                                Decimal("3.90"))
    assert tf.outstanding_for("C4", invoices, "2024-05-31") == (Decimal("0.00"),
                                                                Decimal("0.00"))


def test_find_customer(data):
    customers, _, _ = data
    assert tf.find_customer(customers, "C3")["name"] == "Cat Poe"
    with pytest.raises(KeyError):
        tf.find_customer(customers, "C99")


def test_aging_report_buckets(data):
    customers, _, invoices = data
    report = tf.aging_report(customers, invoices, "2024-05-31")
    assert [e["invoice_id"] for e in report.buckets["31-60"]] == ["I2", "I4"]
    assert [e["invoice_id"] for e in report.buckets["90+"]] == ["I5"]
    assert report.buckets["current"] == []
    assert report.buckets["90+"][0]["fee"] == Decimal("25.00")
    assert report.grand_total() == Decimal("130.00") + Decimal("3.90") + Decimal(
        "75.25") + Decimal("2.26") + Decimal("900.00") + Decimal("25.00")


def test_aging_bucket_edges():
    assert [tf.aging_bucket(d) for d in (-3, 0, 1, 30, 31, 60, 61, 90, 91)] == [
        "current", "current", "1-30", "1-30", "31-60", "31-60", "61-90", "61-90", "90+"]


def test_format_aging(data):
    customers, _, invoices = data
    text = tf.format_aging(tf.aging_report(customers, invoices, "2024-05-31"))
    assert text.startswith("AGING REPORT as of 31 May 2024\n")
    assert "[31-60] 2 invoices, $211.41" in text
    assert text.endswith("TOTAL $1,136.41\n")


def test_statement_text(data):
    customers, readings, invoices = data
    statements = tf.build_statements(customers, readings, invoices, "2024-05", "2024-05-31")
    assert len(statements) == 4
    first = statements[0]
    assert first.startswith("STATEMENT C1 - Ann Lee\n")
    assert "Loyalty credit           -$2.35" in first
    assert "Discount SENIOR         -$15.83" in first
    assert "AMOUNT DUE              $252.75" in first


def test_statements_sorted_by_id(data):
    customers, readings, invoices = data
    statements = tf.build_statements(customers[::-1], readings, invoices, "2024-05",
                                     "2024-05-31")
    assert [s.split()[1] for s in statements] == ["C1", "C2", "C3", "C4"]


def test_plan_summary(data):
    customers, readings, _ = data
    summary = tf.plan_summary(customers, readings, "2024-05")
    assert list(summary) == ["BUS-E", "RES-E", "RES-W"]
    assert summary["RES-E"]["customers"] == 2
    assert summary["RES-E"]["usage"] == Decimal("700")
    assert summary["RES-E"]["large"] == ["C1", "C4"]


def test_format_money():
    assert tf.format_money(Decimal("1234.5")) == "$1,234.50"
    assert tf.format_money(Decimal("-2.35")) == "-$2.35"
