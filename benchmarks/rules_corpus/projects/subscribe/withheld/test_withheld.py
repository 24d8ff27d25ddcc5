import random
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest

import subscribe as sb


def D(text):
    return Decimal(text)


def plans():
    return [
        sb.Plan("basic", "Basic", D("10.00")),
        sb.Plan("pro", "Pro", D("30.00"), [sb.Tier(1000, D("0")), sb.Tier(None, D("0.01"))]),
        sb.Plan("capped", "Capped", D("7.50"), [sb.Tier(100, D("0.10")), sb.Tier(200, D("0.05"))]),
    ]


def customer(cid="C1", **kw):
    fields = dict(customer_id=cid, name=f"Name {cid}", email=f"{cid.lower()}@x.test",
                  plan_id="basic", seats=3, started="2023-01-15")
    fields.update(kw)
    return sb.Customer(**fields)


# ---------------------------------------------------------------- parsing and models

def test_parse_date_error_message_names_input():
    with pytest.raises(ValueError, match="invalid date: '2024/03/01'"):
        sb.parse_date("2024/03/01")


def test_parse_date_rejects_compact_form():
    with pytest.raises(ValueError):
        sb.parse_date("20240301")


def test_parse_date_is_lenient_about_padding_and_spaces():
    assert sb.parse_date("2024-3-1") == date(2024, 3, 1)
    assert sb.parse_date("  2024-03-01\n") == date(2024, 3, 1)


def test_normalize_code():
    assert sb.normalize_code(" Black-Friday 2024! ") == "BLACKFRIDAY2024"


def test_plan_tier_validation():
    with pytest.raises(ValueError, match="only the last tier"):
        sb.Plan("x", "X", D("1"), [sb.Tier(None, D("0")), sb.Tier(10, D("1"))])
    with pytest.raises(ValueError, match="must increase"):
        sb.Plan("x", "X", D("1"), [sb.Tier(10, D("0")), sb.Tier(10, D("1"))])


def test_usage_beyond_capped_tiers_raises():
    capped = plans()[2]
    assert capped.usage_charge(0) == D("0.00")
    assert capped.usage_charge(150) == D("12.50")
    assert capped.usage_charge(200) == D("15.00")
    with pytest.raises(ValueError, match="no tier for 201 units"):
        capped.usage_charge(201)
    with pytest.raises(ValueError):
        capped.usage_charge(-1)


def test_usage_charge_matches_per_unit_oracle():
    rng = random.Random(7)
    for _ in range(30):
        bounds = sorted(rng.sample(range(1, 400), 3))
        prices = [D(str(rng.randint(0, 300))) / 1000 for _ in range(4)]
        tiers = [sb.Tier(b, p) for b, p in zip(bounds, prices)] + [sb.Tier(None, prices[3])]
        plan = sb.Plan("r", "R", D("1"), tiers)
        units = rng.randint(0, 600)
        expected = Decimal(0)
        for k in range(1, units + 1):
            for tier in tiers:
                if tier.up_to is None or k <= tier.up_to:
                    expected += tier.unit_price
                    break
        assert plan.usage_charge(units) == expected.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def test_coupon_discount_edges():
    pct = sb.Coupon("P", sb.CouponKind.PERCENT, D("15"))
    assert pct.discount(D("0.10")) == D("0.02")  # 0.015 rounds half up
    assert pct.discount(D("0")) == D("0.00")
    assert pct.discount(D("-5")) == D("0.00")
    assert sb.Coupon("F", sb.CouponKind.FIXED, D("100")).discount(D("12.34")) == D("12.34")


def test_coupon_expiry_accepts_dates_and_mutation():
    coupon = sb.Coupon("X", sb.CouponKind.FIXED, D("5"), "2024-03-31")
    assert coupon.is_valid_on(date(2024, 3, 31))
    coupon.expires = "2024-03-30"
    assert not coupon.is_valid_on("2024-03-31")
    coupon.expires = None
    assert coupon.is_valid_on("2099-01-01")


def test_find_coupon_first_of_duplicates_and_mutation():
    coupons = [sb.Coupon("SAVE-10", sb.CouponKind.PERCENT, D("10")),
               sb.Coupon("save10", sb.CouponKind.FIXED, D("3"))]
    assert sb.find_coupon(coupons, "SAVE 10") is coupons[0]
    coupons[0].code = "OTHER"
    assert sb.find_coupon(coupons, "SAVE 10") is coupons[1]
    coupons.append(sb.Coupon("NEW-ONE", sb.CouponKind.FIXED, D("1")))
    assert sb.find_coupon(coupons, "new one") is coupons[2]
    assert sb.find_coupon(coupons, "") is None


def test_find_plan_errors_and_duplicates():
    items = plans() + [sb.Plan("basic", "Basic v2", D("99"))]
    assert sb.find_plan(items, "basic").name == "Basic"
    with pytest.raises(KeyError, match="unknown plan: gold"):
        sb.find_plan(items, "gold")


def test_customer_activity_reflects_mutation():
    c = customer()
    assert c.is_active_on("2024-06-01")
    c.canceled = "2024-05-01"
    assert not c.is_active_on("2024-06-01")
    c.started = date(2024, 7, 1)
    c.canceled = None
    assert not c.is_active_on("2024-06-01")
    assert c.is_active_on(date(2024, 7, 1))


def test_month_bounds_invalid():
    with pytest.raises(ValueError, match="invalid month"):
        sb.month_bounds("2024-13")
    with pytest.raises(ValueError):
        sb.month_bounds("March")


# ---------------------------------------------------------------- pricing

def test_prorate_edges():
    start, end = date(2024, 2, 1), date(2024, 3, 1)
    assert sb.prorate(D("29.00"), date(2024, 1, 1), date(2024, 2, 1), start, end) == D("0.00")
    assert sb.prorate(D("29.00"), date(2024, 1, 20), date(2024, 2, 2), start, end) == D("1.00")
    assert sb.prorate(D("29.00"), date(2024, 1, 1), date(2024, 4, 1), start, end) == D("29.00")
    with pytest.raises(ValueError, match="at least one day"):
        sb.prorate(D("1"), start, start, start, start)


def test_plan_segments_unsorted_same_day_and_other_customers():
    c = customer()
    changes = [
        sb.PlanChange("C1", "2024-04-20", "pro", 9),
        sb.PlanChange("C2", "2024-04-05", "pro", 1),
        sb.PlanChange("C1", "2024-03-01", "pro", 2),
        sb.PlanChange("C1", "2024-04-10", "basic", 4),
        sb.PlanChange("C1", "2024-04-10", "capped", 5),
        sb.PlanChange("C1", "2024-05-01", "basic", 1),
    ]
    segments = sb.plan_segments(c, changes, date(2024, 4, 1), date(2024, 5, 1))
    assert segments == [
        (date(2024, 4, 1), date(2024, 4, 10), "pro", 2),
        (date(2024, 4, 10), date(2024, 4, 20), "capped", 5),
        (date(2024, 4, 20), date(2024, 5, 1), "pro", 9),
    ]
    assert sb.plan_on(c, changes, "2024-04-10") == ("capped", 5)
    assert sb.plan_on(c, changes, "2024-02-28") == ("basic", 3)


def test_plan_segments_active_window():
    c = customer(started="2024-04-05", canceled="2024-04-25")
    segments = sb.plan_segments(c, [], date(2024, 4, 1), date(2024, 5, 1))
    assert segments == [(date(2024, 4, 5), date(2024, 4, 25), "basic", 3)]
    gone = customer(canceled="2024-04-01")
    assert sb.plan_segments(gone, [], date(2024, 4, 1), date(2024, 5, 1)) == []
    future = customer(started="2024-05-01")
    assert sb.plan_segments(future, [], date(2024, 4, 1), date(2024, 5, 1)) == []


def test_plan_change_with_date_objects():
    c = customer(started=date(2023, 1, 1))
    changes = [sb.PlanChange("C1", date(2024, 4, 16), "pro", 1)]
    assert sb.plan_on(c, changes, date(2024, 4, 16)) == ("pro", 1)
    segments = sb.plan_segments(c, changes, date(2024, 4, 1), date(2024, 5, 1))
    assert [s[2] for s in segments] == ["basic", "pro"]


def test_usage_for_reflects_mutation():
    usage = [sb.UsageRecord("C1", "2024-04-02", 5)]
    period = (date(2024, 4, 1), date(2024, 5, 1))
    assert sb.usage_for("C1", usage, *period) == 5
    usage.append(sb.UsageRecord("C1", "2024-04-03", 6))
    usage[0].units = 10
    assert sb.usage_for("C1", usage, *period) == 16
    usage[1].day = "2024-05-01"
    assert sb.usage_for("C1", usage, *period) == 10
    assert sb.usage_for("C9", usage, *period) == 0
    assert sb.usage_for("C1", [], *period) == 0


# ---------------------------------------------------------------- invoicing

def test_next_number_uses_max_not_last():
    ledger = []
    assert sb.next_invoice_number(ledger) == 1001
    sb.issue_invoices(ledger, [customer()], plans(), [], [], [], "2024-04")
    ledger[0].number = 5000
    ledger.insert(0, sb.Invoice(1200, "X", date(2024, 1, 1), date(2024, 2, 1),
                                date(2024, 2, 1), date(2024, 2, 15)))
    issued = sb.issue_invoices(ledger, [customer("C2"), customer("C3")], plans(), [], [], [],
                               "2024-04")
    assert [inv.number for inv in issued] == [5001, 5002]


def test_void_invoice_allows_rebilling_and_errors():
    ledger = []
    c = customer()
    sb.issue_invoices(ledger, [c], plans(), [], [], [], "2024-04")
    assert sb.already_billed(ledger, "C1", date(2024, 4, 1))
    sb.void_invoice(ledger, 1001)
    assert not sb.already_billed(ledger, "C1", date(2024, 4, 1))
    c.seats = 1
    (again,) = sb.issue_invoices(ledger, [c], plans(), [], [], [], "2024-04")
    assert again.number == 1002 and again.total == D("10.00")
    sb.record_payments(ledger, [(1002, "2024-05-02")])
    with pytest.raises(ValueError, match="already paid"):
        sb.void_invoice(ledger, 1002)
    with pytest.raises(KeyError):
        sb.void_invoice(ledger, 77)
    with pytest.raises(ValueError, match="is void"):
        ledger[0].mark_paid("2024-05-01")


def test_removed_invoice_is_billed_again():
    ledger = []
    sb.issue_invoices(ledger, [customer()], plans(), [], [], [], "2024-04")
    ledger.clear()
    issued = sb.issue_invoices(ledger, [customer()], plans(), [], [], [], "2024-04")
    assert [inv.number for inv in issued] == [1001]


def test_midmonth_change_cancel_and_coupon():
    c = customer(plan_id="pro", seats=2, canceled="2024-04-26", coupon_code="half off")
    changes = [sb.PlanChange("C1", "2024-04-11", "basic", 6)]
    usage = [sb.UsageRecord("C1", "2024-04-02", 1500), sb.UsageRecord("C1", "2024-04-28", 100)]
    coupons = [sb.Coupon("HALF-OFF", sb.CouponKind.PERCENT, D("50"), "2024-04-01")]
    lines = sb.invoice_lines(c, plans(), coupons, changes, usage, date(2024, 4, 1),
                             date(2024, 5, 1))
    assert [line.amount for line in lines] == [D("20.00"), D("30.00"), D("-25.00")]
    assert lines[0].description == "Pro seats Apr 01-Apr 10"
    assert lines[1].description == "Basic seats Apr 11-Apr 25"
    coupons[0].expires = "2024-03-31"
    lines = sb.invoice_lines(c, plans(), coupons, changes, usage, date(2024, 4, 1),
                             date(2024, 5, 1))
    assert sum(line.amount for line in lines) == D("50.00")


def test_usage_line_uses_plan_at_period_end():
    c = customer(plan_id="basic", seats=1)
    changes = [sb.PlanChange("C1", "2024-04-16", "pro", 1)]
    usage = [sb.UsageRecord("C1", "2024-04-02", 1250)]
    lines = sb.invoice_lines(c, plans(), [], changes, usage, date(2024, 4, 1), date(2024, 5, 1))
    assert lines[-1].description == "Pro usage, 1,250 units"
    assert lines[-1].amount == D("2.50")


def test_zero_seat_segment_has_no_line_and_unknown_plan_raises():
    c = customer(seats=0)
    ledger = []
    assert sb.issue_invoices(ledger, [c], plans(), [], [], [], "2024-04") == []
    bad = customer("C2", plan_id="gold")
    with pytest.raises(KeyError, match="gold"):
        sb.issue_invoices(ledger, [bad], plans(), [], [], [], "2024-04")


def test_fixed_coupon_cannot_go_negative():
    c = customer(seats=1, coupon_code="BIG")
    coupons = [sb.Coupon("big", sb.CouponKind.FIXED, D("500"))]
    (invoice,) = sb.issue_invoices([], [c], plans(), coupons, [], [], "2024-04")
    assert invoice.total == D("0.00")


def test_record_payments_duplicates_void_and_late_append():
    ledger = []
    cs = [customer(), customer("C2")]
    sb.issue_invoices(ledger, cs, plans(), [], [], [], "2024-03")
    sb.void_invoice(ledger, 1002)
    unmatched = sb.record_payments(ledger, [(1001, "2024-04-03"), (1001, "2024-04-20"),
                                            (1002, "2024-04-03")])
    assert unmatched == [1002]
    assert ledger[0].paid_on == date(2024, 4, 3)
    sb.issue_invoices(ledger, cs, plans(), [], [], [], "2024-04")
    assert sb.record_payments(ledger, [(1004, "2024-05-09"), (1003, "2024-05-10")]) == []
    assert [inv.status for inv in ledger[2:]] == [sb.InvoiceStatus.PAID] * 2


def test_render_invoice_columns_align():
    ledger = []
    c = customer(coupon_code="TEN", plan_id="pro", seats=1234)
    coupons = [sb.Coupon("TEN", sb.CouponKind.PERCENT, D("10"))]
    sb.issue_invoices(ledger, [c], plans(), coupons, [], [sb.UsageRecord("C1", "2024-04-09",
                                                                           2000)], "2024-04")
    sb.record_payments(ledger, [(1001, "2024-05-02")])
    text = sb.render_invoice(ledger[0], c)
    rows = text.splitlines()
    table = rows[5:-1]
    assert len({len(row) for row in table}) == 1
    assert "37,020.00" in text and "[PAID]" in text
    assert rows[-1] == "Paid on 2024-05-02"


def test_invoice_totals_match_bruteforce_oracle():
    rng = random.Random(99)
    plan_list = plans()[:2] + [sb.Plan("team", "Team", D("12.99"),
                                       [sb.Tier(50, D("0.5")), sb.Tier(None, D("0.1"))])]
    coupons = [sb.Coupon("A-1", sb.CouponKind.PERCENT, D("20"), "2024-06-15"),
               sb.Coupon("B-2", sb.CouponKind.FIXED, D("7.5"))]
    customers, changes, usage = [], [], []
    for i in range(40):
        start = date(2024, 1, 1) + timedelta(days=rng.randint(0, 250))
        cancel = None
        if rng.random() < 0.4:
            cancel = (start + timedelta(days=rng.randint(1, 200))).isoformat()
        code = rng.choice([None, "a 1", "b-2", "zz"])
        customers.append(customer(f"R{i}", plan_id=rng.choice(plan_list).plan_id,
                                  seats=rng.randint(0, 20), started=start.isoformat(),
                                  canceled=cancel, coupon_code=code))
        for _ in range(rng.randint(0, 4)):
            eff = start + timedelta(days=rng.randint(0, 200))
            changes.append(sb.PlanChange(f"R{i}", eff.isoformat(),
                                         rng.choice(plan_list).plan_id, rng.randint(0, 9)))
    for _ in range(400):
        day = date(2024, 1, 1) + timedelta(days=rng.randint(0, 330))
        usage.append(sb.UsageRecord(f"R{rng.randint(0, 39)}", day.isoformat(),
                                    rng.randint(1, 90)))

    def tier_price(plan, units):
        total, k = Decimal(0), 0
        for tier in plan.tiers:
            while k < units and (tier.up_to is None or k < tier.up_to):
                k += 1
                total += tier.unit_price
        return total.quantize(D("0.01"), rounding=ROUND_HALF_UP)

    def oracle(c, first, last):
        days = (last - first).days
        own = sorted((ch for ch in changes if ch.customer_id == c.customer_id),
                     key=lambda ch: ch.effective)
        lo = max(first, date.fromisoformat(c.started))
        hi = last if c.canceled is None else min(last, date.fromisoformat(c.canceled))
        if lo >= hi:
            return None
        cuts = sorted({date.fromisoformat(ch.effective) for ch in own} | {lo, hi})
        cuts = [d for d in cuts if lo <= d <= hi]
        total, state = Decimal(0), None
        for a, b in zip(cuts, cuts[1:]):
            state = (c.plan_id, c.seats)
            for ch in own:
                if date.fromisoformat(ch.effective) <= a:
                    state = (ch.plan_id, ch.seats)
            plan = next(p for p in plan_list if p.plan_id == state[0])
            full = plan.seat_price * state[1]
            total += (full * (b - a).days / days).quantize(D("0.01"), rounding=ROUND_HALF_UP)
        plan = next(p for p in plan_list if p.plan_id == state[0])
        units = sum(u.units for u in usage if u.customer_id == c.customer_id
                    and first <= date.fromisoformat(u.day) < last)
        if plan.tiers:
            total += tier_price(plan, units)
        norm = "".join(ch for ch in (c.coupon_code or "").upper() if ch.isalnum())
        for cp in coupons:
            if norm and cp.code.replace("-", "") == norm:
                if cp.expires is None or first.isoformat() <= cp.expires:
                    total -= cp.discount(total)
        return total

    ledger = []
    for month in range(1, 11):
        first = date(2024, month, 1)
        last = date(2024, month + 1, 1)
        issued = sb.issue_invoices(ledger, customers, plan_list, coupons, changes, usage,
                                   f"2024-{month:02d}")
        got = {inv.customer_id: inv.total for inv in issued}
        for c in customers:
            expected = oracle(c, first, last)
            if expected is None or c.customer_id not in got:
                assert c.customer_id not in got or expected is not None
                continue
            assert got[c.customer_id] == expected, (c.customer_id, month)
    numbers = [inv.number for inv in ledger]
    assert numbers == list(range(1001, 1001 + len(ledger)))


# ---------------------------------------------------------------- reports

def test_mrr_includes_idle_plans_and_reflects_mutation():
    cs = [customer(coupon_code="TEN"), customer("C2", plan_id="pro", seats=1)]
    coupons = [sb.Coupon("TEN", sb.CouponKind.PERCENT, D("10"), "2024-02-29")]
    mrr = sb.mrr_by_plan(cs, plans(), coupons, [], "2024-02-01")
    assert mrr == {"basic": D("27.00"), "pro": D("30.00"), "capped": D("0.00")}
    assert sb.mrr_by_plan(cs, plans(), coupons, [], "2024-03-01")["basic"] == D("30.00")
    cs[0].coupon_code = None
    cs[1].canceled = "2024-02-01"
    mrr = sb.mrr_by_plan(cs, plans(), coupons, [], "2024-02-01")
    assert mrr == {"basic": D("30.00"), "pro": D("0.00"), "capped": D("0.00")}


def test_mrr_follows_plan_changes_and_unknown_plan():
    cs = [customer()]
    changes = [sb.PlanChange("C1", "2024-02-01", "pro", 2)]
    assert sb.mrr_by_plan(cs, plans(), [], changes, "2024-02-01")["pro"] == D("60.00")
    changes.append(sb.PlanChange("C1", "2024-02-01", "capped", 2))
    assert sb.mrr_by_plan(cs, plans(), [], changes, "2024-02-01")["capped"] == D("15.00")
    changes.append(sb.PlanChange("C1", "2024-01-20", "gold", 2))
    assert sb.monthly_recurring(cs[0], plans(), [], changes, "2024-02-01") == ("capped",
                                                                              D("15.00"))
    with pytest.raises(KeyError):
        sb.mrr_by_plan(cs, plans(), [], changes, "2024-01-25")


def test_churn_stats_empty_and_boundary():
    assert sb.churn_stats([], "2024-02") == {"active": 0, "new": 0, "churned": 0,
                                             "churn_pct": D("0.00")}
    cs = [customer(canceled="2024-03-01"), customer("C2"), customer("C3", canceled="2024-02-01")]
    feb = sb.churn_stats(cs, "2024-02")
    assert feb == {"active": 2, "new": 0, "churned": 1, "churn_pct": D("50.00")}
    assert sb.churn_stats(cs, "2024-03")["churned"] == 0


def test_revenue_report_matches_oracle():
    rng = random.Random(5)
    plan_list = plans()
    coupons = [sb.Coupon("X", sb.CouponKind.PERCENT, D("33"), "2024-05-31")]
    cs = []
    for i in range(60):
        start = date(2023, 6, 1) + timedelta(days=rng.randint(0, 400))
        cancel = None
        if rng.random() < 0.3:
            cancel = (start + timedelta(days=rng.randint(1, 300))).isoformat()
        cs.append(customer(f"M{i}", plan_id=rng.choice(plan_list).plan_id,
                           seats=rng.randint(0, 12), started=start.isoformat(), canceled=cancel,
                           coupon_code=rng.choice([None, "x"])))
    months = [f"2024-{m:02d}" for m in range(1, 10)]
    rows = sb.revenue_report(cs, plan_list, coupons, [], months)
    assert [row["month"] for row in rows] == months
    previous = None
    for row in rows:
        first = date.fromisoformat(row["month"] + "-01")
        total = Decimal("0.00")
        active = 0
        for c in cs:
            if date.fromisoformat(c.started) <= first and (
                    c.canceled is None or first < date.fromisoformat(c.canceled)):
                active += 1
                price = next(p for p in plan_list if p.plan_id == c.plan_id).seat_price
                amount = price * c.seats
                if c.coupon_code and first <= date(2024, 5, 31):
                    amount -= (amount * D("0.33")).quantize(D("0.01"), rounding=ROUND_HALF_UP)
                total += amount
        assert row["mrr"] == total
        assert row["active"] == active
        assert row["mrr_change"] == (D("0.00") if previous is None else total - previous)
        previous = total
    assert sb.revenue_report(cs, plan_list, coupons, [], []) == []


def test_dunning_ties_grace_and_unknown_customer():
    due = date(2024, 4, 15)
    ledger = []
    for number, cid, amount in [(7, "A", "50.00"), (3, "B", "50.00"), (5, "A", "80.00"),
                                (9, "Z", "50.00")]:
        ledger.append(sb.Invoice(number, cid, date(2024, 3, 1), date(2024, 4, 1),
                                 date(2024, 4, 1), due,
                                 [sb.InvoiceLine("x", 1, D(amount), D(amount))]))
    ledger.append(sb.Invoice(11, "A", date(2024, 3, 1), date(2024, 4, 1), date(2024, 4, 1),
                             date(2024, 4, 20), [sb.InvoiceLine("x", 1, D("1"), D("1"))]))
    cs = [customer("A"), customer("B")]
    entries = sb.dunning_list(ledger, cs, "2024-04-25", grace_days=5)
    assert [e["number"] for e in entries] == [5, 3, 7, 9]
    assert entries[-1]["name"] == "(unknown)" and entries[-1]["email"] == ""
    assert entries[0]["level"] is sb.DunningLevel.REMINDER
    assert sb.dunning_list(ledger, cs, "2024-04-20", grace_days=5) == []
    with pytest.raises(ValueError, match="grace_days"):
        sb.dunning_list(ledger, cs, "2024-04-25", grace_days=-1)


def test_dunning_reflects_payments_and_renames():
    ledger = []
    cs = [customer(), customer("C2")]
    sb.issue_invoices(ledger, cs, plans(), [], [], [], "2024-03")
    first = sb.dunning_list(ledger, cs, "2024-05-15")
    assert [e["days_overdue"] for e in first] == [30, 30]
    assert first[0]["level"] is sb.DunningLevel.FINAL
    sb.record_payments(ledger, [(1001, "2024-05-16")])
    cs[1].name = "Renamed"
    second = sb.dunning_list(ledger, cs, "2024-05-15")
    assert [(e["number"], e["name"]) for e in second] == [(1002, "Renamed")]
    assert sb.dunning_level(13) is sb.DunningLevel.REMINDER
    assert sb.dunning_level(14) is sb.DunningLevel.WARNING
    assert "1 overdue, 30.00 outstanding" in sb.format_dunning(second)
    assert sb.format_dunning([]) == "No overdue invoices."


def test_dunning_random_against_sorted_oracle():
    rng = random.Random(3)
    ledger = []
    for n in range(300):
        due = date(2024, 1, 1) + timedelta(days=rng.randint(0, 90))
        amount = D(str(rng.choice([10, 20, 30]))) + D("0.50")
        inv = sb.Invoice(rng.randint(1, 10_000), f"C{n % 7}", due, due, due, due,
                         [sb.InvoiceLine("x", 1, amount, amount)])
        if rng.random() < 0.3:
            inv.status = rng.choice([sb.InvoiceStatus.PAID, sb.InvoiceStatus.VOID])
        ledger.append(inv)
    as_of = date(2024, 3, 15)
    entries = sb.dunning_list(ledger, [customer(f"C{k}") for k in range(5)], as_of, 2)
    expected = [inv for inv in ledger if inv.status is sb.InvoiceStatus.OPEN
                and (as_of - inv.due).days > 2]
    expected.sort(key=lambda inv: inv.number)
    expected.sort(key=lambda inv: inv.total, reverse=True)
    expected.sort(key=lambda inv: (as_of - inv.due).days, reverse=True)
    assert [(e["number"], e["amount"]) for e in entries] == [
        (inv.number, inv.total) for inv in expected]
