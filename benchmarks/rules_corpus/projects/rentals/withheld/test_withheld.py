import datetime as dt
import random

import pytest

from rentals import (
    DISCOUNT_PERCENT,
    TIERS,
    Agreement,
    BillingService,
    Customer,
    DamageCharge,
    Item,
    Payment,
    PricingService,
    RateCard,
    Repository,
    format_cents,
    month_bounds,
    percent_of,
)

D = dt.date


def make_shop(**pricing_options):
    repo = Repository()
    repo.add_rate_card(RateCard("drills", 1000, 4000, 1500))
    repo.add_rate_card(RateCard("mixers", 2500, 9000, 3000))
    repo.add_item(Item("I1", "Hammer drill", "drills"))
    repo.add_item(Item("I2", "Cement mixer", "mixers"))
    repo.add_customer(Customer("C1", "Ada Builders", "standard"))
    repo.add_customer(Customer("C2", "Bo Roofing", "gold"))
    pricing = PricingService(repo, **pricing_options)
    return repo, pricing, BillingService(repo, pricing)


# ---- simple reference implementation -------------------------------------------------------

def ref_round_percent(amount, percent):
    whole = amount * percent
    return whole // 100 + (1 if whole % 100 >= 50 else 0)


def ref_late_days(end, closing, grace):
    count = 0
    day = end + dt.timedelta(days=grace + 1)
    while day <= closing:
        if day.isoweekday() != 7:
            count += 1
        day += dt.timedelta(days=1)
    return count


def ref_quote(raw, a, vat, threshold, grace, as_of=None):
    cards, items, customers, agreements, damages = raw
    card = cards[items[a.item_id][1]]
    days = max(1, (a.end - a.start).days)
    weeks, rest = divmod(days, 7)
    rental = weeks * card[1] + min(rest * card[0], card[1])
    tier = "".join(ch for ch in customers[a.customer_id][1] if ch not in " _-").lower()
    lo = a.start - dt.timedelta(days=365)
    prior = sum(1 for o in agreements if o.customer_id == a.customer_id
                and o.agreement_id != a.agreement_id and lo <= o.start < a.start)
    if prior >= threshold:
        tier = TIERS[min(TIERS.index(tier) + 1, len(TIERS) - 1)]
    discount = ref_round_percent(rental, DISCOUNT_PERCENT[tier])
    closing = a.returned if a.returned is not None else as_of
    late = ref_late_days(a.end, closing, grace) * card[2]
    damage = sum(amount for aid, amount in damages if aid == a.agreement_id)
    net = rental - discount + late + damage
    return net, ref_round_percent(net, vat)


def random_shop(rng, customers=12, agreements=150, vat=20, threshold=3, grace=0):
    repo = Repository()
    cards, items, custs, damages = {}, {}, {}, []
    for cat in ("a", "b", "c"):
        daily = rng.randint(1, 50) * 100 + rng.randint(0, 99)
        card = (daily, daily * rng.randint(2, 6) + rng.randint(0, 99), rng.randint(0, 5000))
        cards[cat] = card
        repo.add_rate_card(RateCard(cat, *card))
    for n in range(9):
        items[f"I{n}"] = (f"item {n}", "abc"[n % 3])
        repo.add_item(Item(f"I{n}", f"item {n}", "abc"[n % 3]))
    for n in range(customers):
        custs[f"C{n}"] = (f"name {n}", rng.choice(["standard", "Silver", " gold", "PLAT_INUM"]))
        repo.add_customer(Customer(f"C{n}", *custs[f"C{n}"]))
    for n in rng.sample(range(agreements * 3), agreements):
        start = D(2023, 6, 1) + dt.timedelta(days=rng.randrange(500))
        end = start + dt.timedelta(days=rng.randint(0, 40))
        returned = None if rng.random() < 0.15 else end + dt.timedelta(
            days=rng.choice([0, 0, 0, 1, 3, 9, 30]) - rng.choice([0, 0, 1]))
        if returned is not None and returned < start:
            returned = start
        a = Agreement(f"A{n:04d}", rng.choice(list(custs)), rng.choice(list(items)), start,
                      end, returned)
        repo.add_agreement(a)
        if rng.random() < 0.2:
            amount = rng.randint(1, 90000)
            damages.append((a.agreement_id, amount))
            repo.add_damage(DamageCharge(a.agreement_id, amount))
    for _ in range(customers * 8):
        repo.add_payment(Payment(rng.choice(list(custs)),
                                 D(2023, 6, 1) + dt.timedelta(days=rng.randrange(560)),
                                 rng.randint(1, 200000)))
    pricing = PricingService(repo, vat_percent=vat, loyalty_threshold=threshold,
                             grace_days=grace)
    raw = (cards, items, custs, list(repo.agreements), damages)
    return repo, BillingService(repo, pricing), raw


# ---- tests ----------------------------------------------------------------------------------

def test_empty_repository():
    repo = Repository()
    billing = BillingService(repo, PricingService(repo))
    assert billing.month_end_run(2024, 1) == []
    assert billing.overdue_report(D(2024, 1, 1)) == []
    assert billing.revenue_by_category(2024, 1) == []
    assert repo.categories() == []
    with pytest.raises(KeyError):
        billing.statement("C1", 2024, 1)


def test_record_validation_errors():
    repo, pricing, billing = make_shop()
    with pytest.raises(ValueError):
        Agreement("A1", "C1", "I1", D(2024, 3, 5), D(2024, 3, 4))
    with pytest.raises(ValueError):
        Agreement("A1", "C1", "I1", D(2024, 3, 5), D(2024, 3, 6), D(2024, 3, 4))
    with pytest.raises(ValueError):
        DamageCharge("A1", 0)
    with pytest.raises(ValueError):
        Payment("C1", D(2024, 1, 1), -5)
    with pytest.raises(ValueError):
        RateCard("x", 100, -1, 10)
    with pytest.raises(ValueError):
        PricingService(repo, vat_percent=-1)
    with pytest.raises(ValueError):
        repo.add_customer(Customer("C1", "again"))
    with pytest.raises(ValueError):
        repo.add_item(Item("I2", "again", "drills"))
    with pytest.raises(KeyError):
        repo.add_agreement(Agreement("A1", "C9", "I1", D(2024, 3, 5), D(2024, 3, 6)))
    with pytest.raises(KeyError):
        repo.add_agreement(Agreement("A1", "C1", "I9", D(2024, 3, 5), D(2024, 3, 6)))
    repo.add_agreement(Agreement("A1", "C1", "I1", D(2024, 3, 5), D(2024, 3, 6)))
    with pytest.raises(ValueError):
        repo.add_agreement(Agreement("A1", "C2", "I2", D(2024, 3, 5), D(2024, 3, 6)))
    with pytest.raises(KeyError):
        repo.add_damage(DamageCharge("A9", 100))
    with pytest.raises(KeyError):
        repo.add_payment(Payment("C9", D(2024, 1, 1), 5))
    with pytest.raises(ValueError):
        repo.record_return("A1", D(2024, 3, 4))
    with pytest.raises(KeyError):
        repo.record_return("A9", D(2024, 3, 9))
    assert len(repo.agreements) == 1 and repo.agreements[0].returned is None


def test_service_errors():
    repo, pricing, billing = make_shop()
    a = repo.add_agreement(Agreement("A1", "C1", "I1", D(2024, 3, 5), D(2024, 3, 6)))
    with pytest.raises(ValueError):
        pricing.late_days(a)
    with pytest.raises(ValueError):
        billing.statement("C1", 2024, 13)
    with pytest.raises(ValueError):
        billing.revenue_by_category(2024, 0)
    with pytest.raises(KeyError):
        billing.statement("nobody", 2024, 3)
    repo.add_item(Item("I3", "Laser level", "surveying"))
    b = repo.add_agreement(Agreement("A2", "C1", "I3", D(2024, 3, 5), D(2024, 3, 6),
                                     D(2024, 3, 6)))
    with pytest.raises(KeyError):
        pricing.quote(b)
    repo.get_customer("C2").tier = "diamond"
    c = repo.add_agreement(Agreement("A3", "C2", "I1", D(2024, 3, 5), D(2024, 3, 6),
                                     D(2024, 3, 6)))
    with pytest.raises(ValueError):
        pricing.quote(c)


def test_month_bounds_and_money():
    assert month_bounds(2024, 2) == (D(2024, 2, 1), D(2024, 2, 29))
    assert month_bounds(2023, 2) == (D(2023, 2, 1), D(2023, 2, 28))
    assert month_bounds(2024, 12) == (D(2024, 12, 1), D(2024, 12, 31))
    with pytest.raises(ValueError):
        month_bounds(2024, 0)
    rng = random.Random(7)
    values = [0, 1, -1, 99, 100, -100, 99999, 100000, -123456789, 10 ** 15]
    values += [rng.randint(-10 ** 12, 10 ** 12) for _ in range(300)]
    for v in values:
        units, cents = divmod(abs(v), 100)
        assert format_cents(v) == ("-" if v < 0 else "") + f"{units:,}.{cents:02d}"
    for _ in range(300):
        amount, pct = rng.randint(-10 ** 6, 10 ** 6), rng.randint(0, 40)
        assert percent_of(amount, pct) == ref_round_percent(amount, pct)


def test_late_days_against_reference():
    rng = random.Random(11)
    repo, _, _ = make_shop()
    for grace in (0, 1, 3):
        pricing = PricingService(repo, grace_days=grace)
        for n in range(400):
            end = D(2024, 1, 1) + dt.timedelta(days=rng.randrange(400))
            closing = end + dt.timedelta(days=rng.randint(-5, 200))
            a = Agreement(f"X{n}", "C1", "I1", end - dt.timedelta(days=5), end)
            a.returned = closing if rng.random() < 0.5 else None
            expected = ref_late_days(end, closing, grace)
            assert pricing.late_days(a, closing) == expected
            assert pricing.late_fee(a, closing) == expected * 1500


def test_rental_charge_against_reference():
    repo, pricing, _ = make_shop()
    for days in range(0, 120):
        a = Agreement(f"R{days}", "C1", "I2", D(2024, 1, 1), D(2024, 1, 1) +
                      dt.timedelta(days=days))
        weeks, rest = divmod(max(days, 1), 7)
        assert pricing.rental_charge(a) == weeks * 9000 + min(rest * 2500, 9000)


def test_loyalty_window_boundaries():
    repo, _, _ = make_shop()
    pricing = PricingService(repo, loyalty_threshold=2)
    repo.get_customer("C2").tier = "platinum"
    repo.add_agreement(Agreement("A1", "C1", "I1", D(2023, 3, 1), D(2023, 3, 2)))
    repo.add_agreement(Agreement("A2", "C1", "I1", D(2023, 6, 1), D(2023, 6, 2)))
    repo.add_agreement(Agreement("A3", "C2", "I1", D(2023, 6, 1), D(2023, 6, 2)))
    repo.add_agreement(Agreement("A4", "C2", "I1", D(2023, 7, 1), D(2023, 7, 2)))
    same_day = repo.add_agreement(Agreement("A5", "C1", "I1", D(2024, 2, 29), D(2024, 3, 1)))
    edge = repo.add_agreement(Agreement("A6", "C1", "I1", D(2024, 2, 29), D(2024, 3, 2)))
    # 2023-03-01 is exactly 365 days before 2024-02-29; same-day starts do not count
    assert pricing.prior_rentals(edge) == 2
    assert pricing.effective_tier(edge) == "silver"
    later = repo.add_agreement(Agreement("A7", "C1", "I1", D(2024, 3, 1), D(2024, 3, 2)))
    assert pricing.prior_rentals(later) == 3  # A1 has dropped out, A5 and A6 came in
    assert pricing.prior_rentals(same_day) == 2
    top = repo.add_agreement(Agreement("A8", "C2", "I1", D(2023, 8, 1), D(2023, 8, 2)))
    assert pricing.effective_tier(top) == "platinum"


def test_quote_sees_later_changes():
    repo, pricing, billing = make_shop()
    a = repo.add_agreement(Agreement("A1", "C1", "I1", D(2024, 3, 4), D(2024, 3, 11),
                                     D(2024, 3, 11)))
    assert pricing.quote(a).total == 4800
    repo.get_customer("C1").tier = "Platinum"
    assert pricing.quote(a).discount == 600
    repo.add_damage(DamageCharge("A1", 1000))
    repo.add_damage(DamageCharge("A1", 500))
    assert pricing.quote(a).damage == 1500
    repo.add_rate_card(RateCard("drills", 1000, 5000, 1500))
    assert pricing.quote(a).rental == 5000
    assert [c.category for c in repo.rate_cards].count("drills") == 1
    repo.record_return("A1", D(2024, 3, 12))
    assert pricing.quote(a).late == 1500
    repo.get_item("I1").category = "mixers"
    assert pricing.quote(a).rental == 9000


def test_statements_follow_repository_changes():
    repo, _, billing = make_shop()
    repo.add_agreement(Agreement("A1", "C1", "I1", D(2024, 3, 4), D(2024, 3, 5),
                                 D(2024, 3, 5)))
    first = billing.statement("C1", 2024, 3)
    assert first.charges == 1200 and first.closing == 1200
    repo.add_agreement(Agreement("A2", "C1", "I2", D(2024, 2, 4), D(2024, 2, 5),
                                 D(2024, 2, 5)))
    repo.add_payment(Payment("C1", D(2024, 3, 31), 200))
    second = billing.statement("C1", 2024, 3)
    assert second.opening == 3000 and second.paid == 200 and second.closing == 4000
    repo.add_damage(DamageCharge("A1", 100))
    assert billing.statement("C1", 2024, 3).charges == 1320
    assert first.charges == 1200
    april = [s.customer_id for s in billing.month_end_run(2024, 4)]
    assert april == ["C1"]
    repo.add_customer(Customer("C0", "Early Bird"))
    repo.add_payment(Payment("C0", D(2024, 4, 2), 50))
    assert [s.customer_id for s in billing.month_end_run(2024, 4)] == ["C0", "C1"]


def test_statement_line_order_ties():
    repo, _, billing = make_shop()
    for aid, day in (("A9", 7), ("A3", 7), ("A5", 5), ("A10", 7), ("A1", 9)):
        repo.add_agreement(Agreement(aid, "C1", "I1", D(2024, 3, 1), D(2024, 3, 2),
                                     D(2024, 3, day)))
    st = billing.statement("C1", 2024, 3)
    assert [line.quote.agreement_id for line in st.lines] == ["A5", "A10", "A3", "A9", "A1"]
    assert [line.returned.day for line in st.lines] == [5, 7, 7, 7, 9]
    repo.add_payment(Payment("C1", D(2024, 3, 20), 5))
    repo.add_payment(Payment("C1", D(2024, 3, 2), 7))
    repo.add_payment(Payment("C1", D(2024, 4, 1), 9))
    assert billing.statement("C1", 2024, 3).payments == [(D(2024, 3, 2), 7),
                                                         (D(2024, 3, 20), 5)]


def test_overdue_ties_and_returns():
    repo, _, billing = make_shop()
    repo.add_agreement(Agreement("B2", "C2", "I1", D(2024, 3, 1), D(2024, 3, 6)))
    repo.add_agreement(Agreement("B1", "C1", "I1", D(2024, 3, 1), D(2024, 3, 6)))
    repo.add_agreement(Agreement("B3", "C1", "I1", D(2024, 3, 1), D(2024, 3, 12)))
    repo.add_agreement(Agreement("B4", "C1", "I1", D(2024, 3, 1), D(2024, 3, 6),
                                 D(2024, 3, 8)))
    rows = billing.overdue_report(D(2024, 3, 12))
    assert [(r.agreement_id, r.late_fee, r.customer_exposure) for r in rows] == [
        ("B1", 7500, 7500), ("B2", 7500, 7500)]
    assert billing.overdue_report(D(2024, 3, 6)) == []
    later = billing.overdue_report(D(2024, 3, 14))
    assert [(r.agreement_id, r.customer_exposure) for r in later] == [
        ("B1", 10500 + 3000), ("B2", 10500), ("B3", 13500)]
    repo.record_return("B1", D(2024, 3, 13))
    assert [r.agreement_id for r in billing.overdue_report(D(2024, 3, 14))] == ["B2", "B3"]


def test_revenue_follows_changes():
    repo, _, billing = make_shop()
    repo.add_agreement(Agreement("A1", "C1", "I1", D(2024, 3, 4), D(2024, 3, 5),
                                 D(2024, 3, 5)))
    assert billing.revenue_by_category(2024, 3)[0] == ("drills", 1, 1000, 200)
    repo.add_rate_card(RateCard("augers", 100, 400, 10))
    repo.add_item(Item("I7", "Post auger", "augers"))
    repo.add_agreement(Agreement("A2", "C2", "I7", D(2024, 3, 4), D(2024, 3, 5),
                                 D(2024, 3, 31)))
    assert billing.revenue_by_category(2024, 3) == [
        ("augers", 1, 100 - 10 + 22 * 10, 62), ("drills", 1, 1000, 200), ("mixers", 0, 0, 0)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_statements_against_reference(seed):
    rng = random.Random(seed)
    vat, threshold, grace = rng.choice([0, 5, 20, 21]), rng.randint(1, 4), rng.randint(0, 2)
    repo, billing, raw = random_shop(rng, vat=vat, threshold=threshold, grace=grace)
    for year, month in ((2023, 7), (2024, 1), (2024, 6), (2024, 11)):
        first, last = month_bounds(year, month)
        run = {s.customer_id: s for s in billing.month_end_run(year, month)}
        for cid in sorted(raw[2]):
            mine = [a for a in raw[3] if a.customer_id == cid and a.returned is not None]
            totals = {a.agreement_id: sum(ref_quote(raw, a, vat, threshold, grace))
                      for a in mine}
            pays = [p for p in repo.payments if p.customer_id == cid]
            opening = sum(totals[a.agreement_id] for a in mine if a.returned < first)
            opening -= sum(p.amount_cents for p in pays if p.paid_on < first)
            billed = sorted((a.returned, a.agreement_id) for a in mine
                            if first <= a.returned <= last)
            charges = sum(totals[aid] for _, aid in billed)
            paid = sum(p.amount_cents for p in pays if first <= p.paid_on <= last)
            st = billing.statement(cid, year, month)
            assert st.opening == opening
            assert [line.quote.agreement_id for line in st.lines] == [aid for _, aid in billed]
            assert (st.charges, st.paid, st.closing) == (charges, paid, opening + charges - paid)
            if billed or paid or opening:
                assert run[cid].summary() == st.summary()
            else:
                assert cid not in run


def test_random_reports_against_reference():
    rng = random.Random(99)
    repo, billing, raw = random_shop(rng, customers=8, agreements=200, threshold=2, grace=1)
    as_of = D(2024, 12, 1)
    fees = {}
    for a in raw[3]:
        if a.returned is None and a.end < as_of:
            fees[a.agreement_id] = ref_late_days(a.end, as_of, 1) * raw[0][raw[1][a.item_id][1]][2]
    rows = billing.overdue_report(as_of)
    assert sorted(r.agreement_id for r in rows) == sorted(fees)
    assert [(-r.late_fee, r.agreement_id) for r in rows] == sorted(
        (-fee, aid) for aid, fee in fees.items())
    for r in rows:
        a = repo.get_agreement(r.agreement_id)
        assert r.late_fee == fees[a.agreement_id]
        assert r.days_overdue == (as_of - a.end).days
        assert r.customer_exposure == sum(
            fees[o.agreement_id] for o in raw[3]
            if o.agreement_id in fees and o.customer_id == a.customer_id)
    for month in range(1, 13):
        first, last = month_bounds(2024, month)
        expected = []
        for cat in sorted(raw[0]):
            quotes = [ref_quote(raw, a, 20, 2, 1) for a in raw[3]
                      if a.returned is not None and first <= a.returned <= last
                      and raw[1][a.item_id][1] == cat]
            expected.append((cat, len(quotes), sum(q[0] for q in quotes),
                             sum(q[1] for q in quotes)))
        assert billing.revenue_by_category(2024, month) == expected
