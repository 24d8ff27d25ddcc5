import copy
import random
from datetime import date, timedelta
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


def random_data(seed, n_customers=60, months=4):
    rng = random.Random(seed)
    plans = tf.known_plans()
    codes = ["", "", "", "SENIOR", "AUTOPAY", "STAFF", "HARDSHIP", "PAPERLESS"]
    customers, readings, invoices = [], [], []
    for i in range(n_customers):
        cid = f"K{rng.randint(0, 10 ** 6):07d}-{i}"
        opened = date(2012, 1, 1) + timedelta(days=rng.randint(0, 12 * 365))
        customers.append({"customer_id": cid, "name": f"Name {i}", "plan": rng.choice(plans),
                          "opened": opened.isoformat(), "discount_code": rng.choice(codes)})
        for m in range(1, months + 1):
            for _ in range(rng.randint(0, 3)):
                day = rng.randint(1, 28)
                readings.append({"customer_id": cid, "read_date": f"2024-{m:02d}-{day:02d}",
                                 "usage": Decimal(rng.randint(0, 40000)) / 10})
            issued = date(2024, m, 1)
            due = issued + timedelta(days=rng.choice([14, 21, 30]))
            paid = rng.choice(["", "", (due - timedelta(days=3)).isoformat(),
                               (due + timedelta(days=rng.randint(1, 80))).isoformat()])
            invoices.append({"invoice_id": f"N{len(invoices):05d}", "customer_id": cid,
                             "issued": issued.isoformat(), "due": due.isoformat(),
                             "amount": Decimal(rng.randint(0, 90000)) / 100, "paid_on": paid})
    rng.shuffle(customers)
    rng.shuffle(readings)
    rng.shuffle(invoices)
    return customers, readings, invoices


def ref_usage(cid, readings, month):
    return sum((r["usage"] for r in readings
                if r["customer_id"] == cid and r["read_date"][:7] == month), Decimal("0"))


def ref_unpaid(inv, as_of):
    return inv["issued"] <= as_of and (not inv["paid_on"] or inv["paid_on"] > as_of)


# ---------------------------------------------------------------- loading


def test_empty_and_header_only_inputs():
    assert tf.load_customers("") == []
    assert tf.load_readings("customer_id,read_date,usage\n") == []
    assert tf.load_invoices("invoice_id,customer_id,issued,due,amount,paid_on\n") == []


def test_missing_column_rejected():
    with pytest.raises(tf.BillingDataError):
        tf.load_readings("customer_id,usage\nC1,5\n")


def test_duplicate_customer_rejected():
    text = CUSTOMERS + "C2,Other,RES-E,2020-01-01,\n"
    with pytest.raises(tf.BillingDataError):
        tf.load_customers(text)


@pytest.mark.parametrize("usage", ["-1", "abc", "NaN", "Infinity", ""])
def test_bad_usage_rejected(usage):
    with pytest.raises(tf.BillingDataError):
        tf.load_readings(f"customer_id,read_date,usage\nC1,2024-01-01,{usage}\n")


def test_invoice_validation():
    head = "invoice_id,customer_id,issued,due,amount,paid_on\n"
    with pytest.raises(tf.BillingDataError):
        tf.load_invoices(head + "I1,C1,2024-02-01,2024-01-20,10.00,\n")
    with pytest.raises(tf.BillingDataError):
        tf.load_invoices(head + "I1,C1,2024-01-01,2024-01-20,ten,\n")
    with pytest.raises(tf.BillingDataError):
        tf.load_invoices(head + "I1,C1,2024-01-01,2024-01-20,10.00,2024-02-31\n")
    with pytest.raises(tf.BillingDataError):
        tf.load_invoices(head + "I1,C1,2024-01-01,2024-01-20,10.00,,extra\n")


def test_blank_rows_skipped_and_whitespace_stripped():
    text = "customer_id,read_date,usage\n C1 , 2024-01-05 , 12.5 \n,,\n"
    rows = tf.load_readings(text)
    assert len(rows) == 1
    assert rows[0]["customer_id"] == "C1"
    assert rows[0]["usage"] == Decimal("12.5")


def test_to_money_rounds_half_up():
    assert tf.to_money("2.345") == Decimal("2.35")
    assert tf.to_money("2.344") == Decimal("2.34")
    assert tf.to_money(7) == Decimal("7.00")
    with pytest.raises(tf.BillingDataError):
        tf.to_money("inf")


def test_parse_date_edge_cases():
    assert tf.parse_date(" 2024-02-29 ") == date(2024, 2, 29)
    for bad in (None, "", "2023-02-29", "2024/01/01", 20240101):
        with pytest.raises(tf.BillingDataError):
            tf.parse_date(bad)
    assert tf.parse_date("2024-02-29") == date(2024, 2, 29)


# ---------------------------------------------------------------- rates


@pytest.mark.parametrize("usage,plan,expected", [
    ("600", "RES-E", "96.00"),
    ("600.1", "RES-E", "96.02"),
    ("0.04", "RES-E", "0.01"),
    ("10000", "BUS-E", "1193.00"),
    ("500", "BUS-E", "78.00"),
    ("10", "RES-W", "21.00"),
    ("150", "BUS-W", "415.00"),
])
def test_tiered_charge_table(usage, plan, expected):
    assert tf.tiered_charge(Decimal(usage), plan) == Decimal(expected)


def test_tiered_charge_errors():
    with pytest.raises(ValueError):
        tf.tiered_charge(Decimal("-1"), "RES-E")
    with pytest.raises(KeyError):
        tf.tiered_charge(Decimal("1"), "GAS")
    with pytest.raises(KeyError):
        tf.fixed_charge("GAS")
    with pytest.raises(KeyError):
        tf.discount_amount("BOGUS", Decimal("10.00"))


def test_rate_table_changes_are_seen(monkeypatch):
    assert tf.tiered_charge(Decimal("100"), "RES-E") == Decimal("14.20")
    table = copy.deepcopy(tf.RATE_TABLE)
    for row in table:
        if row["plan"] == "RES-E" and row["from_units"] == 0:
            row["rate"] = "0.2000"
    monkeypatch.setattr("tariffs.rates.RATE_TABLE", table)
    assert tf.tiered_charge(Decimal("100"), "RES-E") == Decimal("20.00")
    table.append({"plan": "RES-E", "service": "electric", "from_units": 50, "rate": "0.1000"})
    assert tf.tiered_charge(Decimal("100"), "RES-E") == Decimal("15.00")


def test_fixed_charge_changes_are_seen(monkeypatch, data):
    customers, readings, _ = data
    before = tf.monthly_bill(customers[3], readings, "2024-05")
    monkeypatch.setitem(tf.FIXED_CHARGES, "RES-E", "20.00")
    after = tf.monthly_bill(customers[3], readings, "2024-05")
    assert before.fixed == Decimal("11.50")
    assert after.fixed == Decimal("20.00")


def test_discount_never_exceeds_amount():
    assert tf.discount_amount("PAPERLESS", Decimal("1.20")) == Decimal("1.20")
    assert tf.discount_amount("HARDSHIP", Decimal("10.01")) == Decimal("4.00")
    assert tf.discount_amount("STAFF", Decimal("0.00")) == Decimal("0.00")


# ---------------------------------------------------------------- billing


def test_years_with_us_edges():
    assert tf.years_with_us({"opened": "2025-01-01"}, "2024-05") == 0
    assert tf.years_with_us({"opened": "2016-02-29"}, "2024-03") == 8
    assert tf.years_with_us({"opened": "2016-02-29"}, "2024-02") == 7


def test_bad_month_rejected(data):
    customers, readings, invoices = data
    with pytest.raises(tf.BillingDataError):
        tf.monthly_bill(customers[0], readings, "2024-5")
    with pytest.raises(tf.BillingDataError):
        tf.build_statements(customers, readings, invoices, "2024-13", "2024-05-31")
    with pytest.raises(tf.BillingDataError):
        tf.plan_summary(customers, readings, "May")


def test_bill_without_usage_is_fixed_plus_tax(data):
    customers, readings, _ = data
    bill = tf.monthly_bill(customers[3], readings, "2024-05")
    assert bill.usage == Decimal("0")
    assert bill.total == Decimal("11.50") + Decimal("0.83")
    assert bill.as_dict()["total"] == bill.total


def test_late_fee_paid_late_uses_payment_date():
    inv = {"amount": Decimal("500.00"), "due": "2024-01-10", "paid_on": "2024-02-01"}
    assert tf.late_fee(inv, "2024-06-01") == Decimal("7.50")
    inv["paid_on"] = "2024-07-01"
    assert tf.late_fee(inv, "2024-06-01") == Decimal("25.00")
    inv["paid_on"] = ""
    assert tf.late_fee(inv, "2024-01-12") == Decimal("0.00")


def test_late_fee_period_boundaries():
    inv = {"amount": Decimal("400.00"), "due": "2024-01-01", "paid_on": ""}
    assert tf.late_fee(inv, "2024-02-05") == Decimal("6.00")   # 35 days late
    assert tf.late_fee(inv, "2024-02-06") == Decimal("12.00")  # 36 days late
    assert tf.late_fee({**inv, "amount": Decimal("0.00")}, "2024-06-01") == Decimal("0.00")


def test_is_unpaid_boundaries():
    inv = {"issued": "2024-03-01", "due": "2024-03-20", "paid_on": "2024-03-10"}
    assert tf.is_unpaid(inv, "2024-02-29") is False
    assert tf.is_unpaid(inv, "2024-03-01") is True
    assert tf.is_unpaid(inv, "2024-03-09") is True
    assert tf.is_unpaid(inv, "2024-03-10") is False


def test_usage_sees_mutated_reading(data):
    customers, readings, invoices = data
    assert tf.usage_for("C1", readings, "2024-05") == Decimal("700")
    readings[0]["usage"] = Decimal("300")
    assert tf.usage_for("C1", readings, "2024-05") == Decimal("750")
    readings[1]["read_date"] = "2024-04-30"
    assert tf.usage_for("C1", readings, "2024-05") == Decimal("300")
    assert tf.usage_for("C1", readings, "2024-04") == Decimal("550")
    readings.append({"customer_id": "C4", "read_date": "2024-05-02", "usage": Decimal("5")})
    statements = tf.build_statements(customers, readings, invoices, "2024-05", "2024-05-31")
    assert "5 kWh" in statements[3]
    assert "300 kWh" in statements[0]


def test_outstanding_sees_payment_recorded_in_place(data):
    _, _, invoices = data
    assert tf.outstanding_for("C2", invoices, "2024-05-31") == (Decimal("75.25"),
                                                                Decimal("2.26"))
    invoices[3]["paid_on"] = "2024-05-30"
    assert tf.outstanding_for("C2", invoices, "2024-05-31") == (Decimal("0.00"),
                                                                Decimal("0.00"))


# ---------------------------------------------------------------- statements


def test_statement_lines_without_extras(data):
    customers, readings, invoices = data
    statements = tf.build_statements(customers, readings, invoices, "2024-05", "2024-05-31")
    c4 = statements[3]
    assert "Loyalty" not in c4 and "Discount" not in c4 and "Past due" not in c4
    assert c4.endswith("  AMOUNT DUE               $12.33\n")
    c2 = statements[1]
    assert "Usage                    30 kL" in c2
    assert "Past due                 $75.25" in c2
    assert "Late fees                 $2.26" in c2


def test_statements_empty_customers(data):
    _, readings, invoices = data
    assert tf.build_statements([], readings, invoices, "2024-05", "2024-05-31") == []
    assert tf.build_statements([], [], [], "2024-05", "2024-05-31") == []


def test_statement_sees_customer_edit(data):
    customers, readings, invoices = data
    first = tf.build_statements(customers, readings, invoices, "2024-05", "2024-05-31")
    customers[2]["discount_code"] = ""
    customers[2]["name"] = "Catherine Poe"
    second = tf.build_statements(customers, readings, invoices, "2024-05", "2024-05-31")
    assert "AUTOPAY" in first[2] and "AUTOPAY" not in second[2]
    assert second[2].startswith("STATEMENT C3 - Catherine Poe")
    assert first[0] == second[0]


def test_statements_match_reference_on_random_data():
    customers, readings, invoices = random_data(7)
    got = tf.build_statements(customers, readings, invoices, "2024-03", "2024-04-15")
    expected = []
    for c in sorted(customers, key=lambda c: c["customer_id"]):
        bill = tf.monthly_bill(c, readings, "2024-03")
        assert bill.usage == ref_usage(c["customer_id"], readings, "2024-03")
        owed = sum((i["amount"] for i in invoices
                    if i["customer_id"] == c["customer_id"] and ref_unpaid(i, "2024-04-15")),
                   Decimal("0.00"))
        balance = tf.outstanding_for(c["customer_id"], invoices, "2024-04-15")
        assert balance[0] == owed
        expected.append(tf.format_statement(c, bill, balance, "2024-04-15"))
    assert got == expected


def test_large_random_usage_matches_reference():
    customers, readings, _ = random_data(11, n_customers=150, months=6)
    for c in customers[:40]:
        for month in ("2024-01", "2024-04", "2024-06", "2024-07"):
            assert tf.usage_for(c["customer_id"], readings, month) == ref_usage(
                c["customer_id"], readings, month)


# ---------------------------------------------------------------- aging


def test_aging_ties_sorted_by_invoice_id():
    customers = [{"customer_id": "A", "name": "Al"}, {"customer_id": "B", "name": "Bo"}]
    invoices = [
        {"invoice_id": iid, "customer_id": cid, "issued": "2024-01-01", "due": due,
         "amount": Decimal("10.00"), "paid_on": ""}
        for iid, cid, due in [("Z9", "A", "2024-02-01"), ("A1", "B", "2024-02-01"),
                              ("M5", "A", "2024-01-15"), ("B2", "B", "2024-03-05")]
    ]
    report = tf.aging_report(customers, invoices, "2024-03-05")
    assert [e["invoice_id"] for e in report.buckets["31-60"]] == ["M5", "A1", "Z9"]
    assert [e["invoice_id"] for e in report.buckets["current"]] == ["B2"]
    assert report.count() == 4


def test_aging_empty(data):
    customers, _, _ = data
    report = tf.aging_report(customers, [], "2024-05-31")
    assert report.grand_total() == Decimal("0.00")
    assert report.count() == 0
    text = tf.format_aging(report)
    assert text.endswith("TOTAL $0.00\n")
    assert text.count("0 invoices, $0.00") == 5


def test_aging_unknown_customer_raises(data):
    customers, _, invoices = data
    with pytest.raises(KeyError):
        tf.aging_report(customers[1:], invoices, "2024-05-31")
    # C1's invoices are paid or not yet issued on this date, so C1 is not needed.
    report = tf.aging_report(customers[1:], invoices, "2024-03-21")
    assert [e["invoice_id"] for e in report.buckets["31-60"]] == ["I5"]


def test_aging_duplicate_customer_ids_use_first(data):
    customers, _, invoices = data
    clone = dict(customers[2], name="Shadow")
    report = tf.aging_report(customers + [clone], invoices, "2024-05-31")
    assert report.buckets["90+"][0]["name"] == "Cat Poe"
    assert tf.find_customer(customers + [clone], "C3")["name"] == "Cat Poe"


def test_aging_sees_mutations(data):
    customers, _, invoices = data
    before = tf.aging_report(customers, invoices, "2024-05-31")
    invoices[1]["paid_on"] = "2024-05-01"
    customers[2]["name"] = "Renamed"
    invoices[4]["amount"] = Decimal("100.00")
    after = tf.aging_report(customers, invoices, "2024-05-31")
    assert [e["invoice_id"] for e in before.buckets["31-60"]] == ["I2", "I4"]
    assert [e["invoice_id"] for e in after.buckets["31-60"]] == ["I4"]
    assert after.buckets["90+"][0]["name"] == "Renamed"
    assert after.buckets["90+"][0]["fee"] == Decimal("7.50")


def test_aging_matches_reference_on_random_data():
    customers, _, invoices = random_data(3, n_customers=80, months=5)
    as_of = "2024-06-10"
    report = tf.aging_report(customers, invoices, as_of)
    expected = {name: [] for name in tf.AGING_BUCKETS}
    names = {c["customer_id"]: c["name"] for c in customers}
    for inv in invoices:
        if not ref_unpaid(inv, as_of):
            continue
        days = (date.fromisoformat(as_of) - date.fromisoformat(inv["due"])).days
        expected[tf.aging_bucket(days)].append((-days, inv["invoice_id"], names[
            inv["customer_id"]], inv["amount"]))
    for name in tf.AGING_BUCKETS:
        got = [(-e["days"], e["invoice_id"], e["name"], e["amount"])
               for e in report.buckets[name]]
        assert got == sorted(expected[name])
    assert report.grand_total() == sum(
        (e["amount"] + e["fee"] for b in report.buckets.values() for e in b), Decimal("0.00"))


# ---------------------------------------------------------------- plan summary


def test_plan_summary_empty():
    assert tf.plan_summary([], [], "2024-05") == {}


def test_plan_summary_equal_shares_all_large():
    customers = [{"customer_id": f"E{i:02d}", "name": "x", "plan": "RES-W",
                  "opened": "2023-01-01", "discount_code": ""} for i in range(20)]
    readings = [{"customer_id": c["customer_id"], "read_date": "2024-05-05",
                 "usage": Decimal("12")} for c in customers]
    summary = tf.plan_summary(customers, readings, "2024-05")
    assert summary["RES-W"]["large"] == [f"E{i:02d}" for i in range(20)]
    customers.append(dict(customers[0], customer_id="E99"))
    summary = tf.plan_summary(customers, readings, "2024-05")
    assert summary["RES-W"]["customers"] == 21
    assert summary["RES-W"]["large"] == []  # every share now just under 5%


def test_plan_summary_sees_plan_change(data):
    customers, readings, _ = data
    before = tf.plan_summary(customers, readings, "2024-05")
    customers[3]["plan"] = "GREEN-E"
    after = tf.plan_summary(customers, readings, "2024-05")
    assert before["RES-E"]["customers"] == 2 and "GREEN-E" not in before
    assert after["RES-E"]["customers"] == 1 and after["GREEN-E"]["customers"] == 1
    assert after["RES-E"]["large"] == ["C1"]
    readings[0]["usage"] = Decimal("0")
    again = tf.plan_summary(customers, readings, "2024-05")
    assert again["RES-E"]["usage"] == Decimal("450")


def test_plan_summary_matches_reference_on_random_data():
    customers, readings, _ = random_data(5, n_customers=120, months=3)
    summary = tf.plan_summary(customers, readings, "2024-02")
    bills = {c["customer_id"]: tf.monthly_bill(c, readings, "2024-02") for c in customers}
    assert list(summary) == sorted({c["plan"] for c in customers})
    for plan, row in summary.items():
        own = [c for c in customers if c["plan"] == plan]
        revenue = sum((bills[c["customer_id"]].total for c in own), Decimal("0.00"))
        assert row["customers"] == len(own)
        assert row["revenue"] == revenue
        assert row["usage"] == sum((ref_usage(c["customer_id"], readings, "2024-02")
                                    for c in own), Decimal("0"))
        large = sorted(c["customer_id"] for c in own
                       if bills[c["customer_id"]].total * 100 >= revenue * 5)
        assert row["large"] == large
    text = tf.format_plan_summary(summary, "2024-02")
    assert text.count("\n") == len(summary) + 1
