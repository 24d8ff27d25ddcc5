from datetime import date
from decimal import Decimal

import pytest

import subscribe as sb


def D(text):
    return Decimal(text)


def make_plans():
    return [
        sb.Plan("basic", "Basic", D("10.00")),
        sb.Plan("pro", "Pro", D("30.00"), [sb.Tier(1000, D("0")), sb.Tier(None, D("0.01"))]),
    ]


def make_customer(**overrides):
    fields = dict(customer_id="C1", name="Acme", email="ap@acme.test", plan_id="basic", seats=3,
                  started="2023-01-15")
    fields.update(overrides)
    return sb.Customer(**fields)


def test_money_rounds_half_up():
    assert sb.money("2.345") == D("2.35")
    assert sb.money(1) == D("1.00")
    assert sb.money(0.1) == D("0.10")


def test_parse_date():
    assert sb.parse_date("2024-02-29") == date(2024, 2, 29)
    assert sb.parse_date(date(2024, 1, 1)) == date(2024, 1, 1)
    with pytest.raises(ValueError):
        sb.parse_date("2024-13-01")


def test_month_bounds_december():
    assert sb.month_bounds("2023-12") == (date(2023, 12, 1), date(2024, 1, 1))
    assert sb.month_bounds("2024-02") == (date(2024, 2, 1), date(2024, 3, 1))


def test_seat_charge():
    assert make_plans()[0].seat_charge(3) == D("30.00")


def test_usage_charge_graduated():
    plan = make_plans()[1]
    assert plan.usage_charge(800) == D("0.00")
    assert plan.usage_charge(1500) == D("5.00")


def test_coupon_percent_and_fixed():
    pct = sb.Coupon("HALF", sb.CouponKind.PERCENT, D("50"))
    fixed = sb.Coupon("TEN", sb.CouponKind.FIXED, D("10"))
    assert pct.discount(D("30.00")) == D("15.00")
    assert fixed.discount(D("30.00")) == D("10.00")
    assert fixed.discount(D("4.00")) == D("4.00")


def test_coupon_expiry():
    coupon = sb.Coupon("X", sb.CouponKind.FIXED, D("5"), "2024-03-31")
    assert coupon.is_valid_on("2024-03-31")
    assert not coupon.is_valid_on("2024-04-01")


def test_find_coupon_ignores_case_and_punctuation():
    coupons = [sb.Coupon("SPRING-24", sb.CouponKind.PERCENT, D("10"))]
    assert sb.find_coupon(coupons, "spring 24") is coupons[0]
    assert sb.find_coupon(coupons, "autumn") is None
    assert sb.find_coupon(coupons, None) is None


def test_customer_active_window():
    customer = make_customer(canceled="2024-03-10")
    assert not customer.is_active_on("2023-01-14")
    assert customer.is_active_on("2023-01-15")
    assert customer.is_active_on("2024-03-09")
    assert not customer.is_active_on("2024-03-10")


def test_prorate_half_month():
    amount = sb.prorate(D("30.00"), date(2024, 4, 16), date(2024, 5, 1),
                        date(2024, 4, 1), date(2024, 5, 1))
    assert amount == D("15.00")


def test_plan_segments_with_change():
    customer = make_customer()
    changes = [sb.PlanChange("C1", "2024-04-11", "pro", 5)]
    segments = sb.plan_segments(customer, changes, date(2024, 4, 1), date(2024, 5, 1))
    assert segments == [(date(2024, 4, 1), date(2024, 4, 11), "basic", 3),
                        (date(2024, 4, 11), date(2024, 5, 1), "pro", 5)]


def test_plan_on():
    customer = make_customer()
    changes = [sb.PlanChange("C1", "2024-04-11", "pro", 5)]
    assert sb.plan_on(customer, changes, "2024-04-10") == ("basic", 3)
    assert sb.plan_on(customer, changes, "2024-04-11") == ("pro", 5)


def test_usage_for_counts_only_period():
    usage = [sb.UsageRecord("C1", "2024-03-31", 5), sb.UsageRecord("C1", "2024-04-01", 7),
             sb.UsageRecord("C2", "2024-04-02", 11), sb.UsageRecord("C1", "2024-04-30", 1)]
    assert sb.usage_for("C1", usage, date(2024, 4, 1), date(2024, 5, 1)) == 8


def test_issue_invoices_full_month():
    ledger = []
    customers = [make_customer(), make_customer(customer_id="C2", plan_id="pro", seats=1)]
    usage = [sb.UsageRecord("C2", "2024-04-03", 1200)]
    issued = sb.issue_invoices(ledger, customers, make_plans(), [], [], usage, "2024-04")
    assert [inv.number for inv in issued] == [1001, 1002]
    assert issued[0].total == D("30.00")
    assert issued[1].total == D("32.00")
    assert issued[1].due == date(2024, 5, 15)
    assert ledger == issued


def test_issue_invoices_skips_already_billed():
    ledger = []
    customers = [make_customer()]
    sb.issue_invoices(ledger, customers, make_plans(), [], [], [], "2024-04")
    again = sb.issue_invoices(ledger, customers, make_plans(), [], [], [], "2024-04")
    assert again == []
    assert len(ledger) == 1


def test_invoice_with_coupon_line():
    coupons = [sb.Coupon("TEN", sb.CouponKind.FIXED, D("10"))]
    ledger = []
    customers = [make_customer(coupon_code="ten")]
    (invoice,) = sb.issue_invoices(ledger, customers, make_plans(), coupons, [], [], "2024-04")
    assert invoice.lines[-1].description == "Coupon TEN"
    assert invoice.total == D("20.00")


def test_record_payments():
    ledger = []
    sb.issue_invoices(ledger, [make_customer()], make_plans(), [], [], [], "2024-04")
    unmatched = sb.record_payments(ledger, [(1001, "2024-05-03"), (42, "2024-05-03")])
    assert unmatched == [42]
    assert ledger[0].status is sb.InvoiceStatus.PAID
    assert ledger[0].paid_on == date(2024, 5, 3)


def test_render_invoice_contains_total():
    ledger = []
    customer = make_customer()
    sb.issue_invoices(ledger, [customer], make_plans(), [], [], [], "2024-04")
    text = sb.render_invoice(ledger[0], customer)
    assert text.startswith("INVOICE #1001  [OPEN]")
    assert "Period:  2024-04-01 to 2024-04-30" in text
    assert text.rstrip().endswith("30.00")


def test_mrr_by_plan():
    customers = [make_customer(), make_customer(customer_id="C2", plan_id="pro", seats=2),
                 make_customer(customer_id="C3", canceled="2024-01-01")]
    mrr = sb.mrr_by_plan(customers, make_plans(), [], [], "2024-02-01")
    assert mrr == {"basic": D("30.00"), "pro": D("60.00")}


def test_churn_stats():
    customers = [make_customer(), make_customer(customer_id="C2", canceled="2024-02-20"),
                 make_customer(customer_id="C3", started="2024-02-05")]
    stats = sb.churn_stats(customers, "2024-02")
    assert stats == {"active": 2, "new": 1, "churned": 1, "churn_pct": D("50.00")}


def test_revenue_report_rows():
    customers = [make_customer(), make_customer(customer_id="C2", started="2024-02-10")]
    rows = sb.revenue_report(customers, make_plans(), [], [], ["2024-02", "2024-03"])
    assert [row["mrr"] for row in rows] == [D("30.00"), D("60.00")]
    assert rows[1]["mrr_change"] == D("30.00")
    assert "2024-03" in sb.format_revenue_report(rows)


def test_dunning_list_orders_most_overdue_first():
    ledger = []
    customers = [make_customer(), make_customer(customer_id="C2", seats=9)]
    sb.issue_invoices(ledger, customers, make_plans(), [], [], [], "2024-03")
    sb.issue_invoices(ledger, customers, make_plans(), [], [], [], "2024-04")
    entries = sb.dunning_list(ledger, customers, "2024-05-20")
    assert [e["number"] for e in entries] == [1002, 1001, 1004, 1003]
    assert entries[0]["level"] is sb.DunningLevel.FINAL
    assert entries[2]["level"] is sb.DunningLevel.REMINDER


def test_void_invoice():
    ledger = []
    sb.issue_invoices(ledger, [make_customer()], make_plans(), [], [], [], "2024-04")
    sb.void_invoice(ledger, 1001)
    assert ledger[0].status is sb.InvoiceStatus.VOID
    assert sb.dunning_list(ledger, [make_customer()], "2024-09-01") == []
