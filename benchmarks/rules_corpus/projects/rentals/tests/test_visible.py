import datetime as dt

import pytest

from rentals import (
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
    percent_of,
)

D = dt.date


def make_shop():
    repo = Repository()
    repo.add_rate_card(RateCard("drills", 1000, 4000, 1500))
    repo.add_rate_card(RateCard("mixers", 2500, 9000, 3000))
    repo.add_item(Item("I1", "Hammer drill", "drills"))
    repo.add_item(Item("I2", "Cement mixer", "mixers"))
    repo.add_customer(Customer("C1", "Ada Builders", "standard"))
    repo.add_customer(Customer("C2", "Bo Roofing", " Gold "))
    pricing = PricingService(repo, vat_percent=20)
    return repo, pricing, BillingService(repo, pricing)


def test_rental_charge_daily_and_weekly():
    repo, pricing, _ = make_shop()
    nine = repo.add_agreement(Agreement("A1", "C1", "I1", D(2024, 3, 4), D(2024, 3, 13)))
    five = repo.add_agreement(Agreement("A2", "C1", "I1", D(2024, 3, 4), D(2024, 3, 9)))
    same = repo.add_agreement(Agreement("A3", "C1", "I2", D(2024, 3, 4), D(2024, 3, 4)))
    assert pricing.rental_days(nine) == 9
    assert pricing.rental_charge(nine) == 4000 + 2000
    assert pricing.rental_charge(five) == 4000
    assert pricing.rental_charge(same) == 2500


def test_late_days_skip_sundays():
    repo, pricing, _ = make_shop()
    a = repo.add_agreement(Agreement("A1", "C1", "I1", D(2024, 3, 4), D(2024, 3, 13),
                                     D(2024, 3, 18)))
    assert pricing.late_days(a) == 4
    assert pricing.late_fee(a) == 6000
    on_time = repo.add_agreement(Agreement("A2", "C1", "I1", D(2024, 3, 4), D(2024, 3, 13),
                                           D(2024, 3, 12)))
    assert pricing.late_days(on_time) == 0
    graced = PricingService(repo, grace_days=2)
    assert graced.late_days(a) == 2


def test_tiers_and_discounts():
    repo, pricing, _ = make_shop()
    assert pricing.normalize_tier(" Gold ") == "gold"
    assert pricing.normalize_tier("PLAT-inum") == "platinum"
    with pytest.raises(ValueError):
        pricing.normalize_tier("diamond")
    a = repo.add_agreement(Agreement("A1", "C2", "I2", D(2024, 3, 4), D(2024, 3, 11),
                                     D(2024, 3, 11)))
    q = pricing.quote(a)
    assert (q.rental, q.discount, q.net, q.vat, q.total) == (9000, 900, 8100, 1620, 9720)


def test_loyalty_bump_after_threshold():
    repo, _, _ = make_shop()
    pricing = PricingService(repo, loyalty_threshold=2)
    first = repo.add_agreement(Agreement("A1", "C1", "I1", D(2024, 1, 1), D(2024, 1, 2)))
    repo.add_agreement(Agreement("A2", "C1", "I1", D(2024, 2, 1), D(2024, 2, 2)))
    third = repo.add_agreement(Agreement("A3", "C1", "I1", D(2024, 3, 1), D(2024, 3, 2)))
    assert pricing.effective_tier(first) == "standard"
    assert pricing.prior_rentals(third) == 2
    assert pricing.effective_tier(third) == "silver"


def test_percent_and_money_format():
    assert percent_of(1050, 20) == 210
    assert percent_of(1025, 2) == 21
    assert percent_of(1, 50) == 1
    assert format_cents(123456789) == "1,234,567.89"
    assert format_cents(5) == "0.05"
    assert format_cents(-100000) == "-1,000.00"


def test_statement_balances():
    repo, _, billing = make_shop()
    repo.add_agreement(Agreement("A1", "C1", "I1", D(2024, 2, 20), D(2024, 2, 22),
                                 D(2024, 2, 22)))
    repo.add_agreement(Agreement("A2", "C1", "I2", D(2024, 3, 4), D(2024, 3, 5),
                                 D(2024, 3, 5)))
    repo.add_damage(DamageCharge("A2", 5000, "dented drum"))
    repo.add_payment(Payment("C1", D(2024, 3, 10), 1000))
    st = billing.statement("C1", 2024, 3)
    assert st.opening == 2400
    assert [line.quote.agreement_id for line in st.lines] == ["A2"]
    assert st.charges == (2500 + 5000) * 120 // 100
    assert st.paid == 1000
    assert st.closing == 2400 + 9000 - 1000


def test_render_statement():
    repo, _, billing = make_shop()
    repo.add_agreement(Agreement("A1", "C2", "I2", D(2024, 3, 4), D(2024, 3, 5),
                                 D(2024, 3, 5)))
    repo.add_payment(Payment("C2", D(2024, 3, 30), 123456))
    text = billing.render_statement(billing.statement("C2", 2024, 3))
    assert text.startswith("Statement 2024-03 for Bo Roofing (C2)")
    assert "Cement mixer" in text and "2024-03-04..2024-03-05" in text
    assert "payment 2024-03-30" in text and "-1,234.56" in text


def test_month_end_run_skips_idle_customers():
    repo, _, billing = make_shop()
    repo.add_agreement(Agreement("A1", "C2", "I1", D(2024, 3, 4), D(2024, 3, 5),
                                 D(2024, 3, 5)))
    assert [s.customer_id for s in billing.month_end_run(2024, 3)] == ["C2"]
    assert [s.customer_id for s in billing.month_end_run(2024, 4)] == ["C2"]
    assert billing.month_end_run(2024, 2) == []


def test_overdue_report():
    repo, _, billing = make_shop()
    repo.add_agreement(Agreement("A1", "C1", "I1", D(2024, 3, 4), D(2024, 3, 6)))
    repo.add_agreement(Agreement("A2", "C1", "I2", D(2024, 3, 4), D(2024, 3, 9)))
    repo.add_agreement(Agreement("A3", "C2", "I1", D(2024, 3, 4), D(2024, 3, 20)))
    rows = [r.as_tuple() for r in billing.overdue_report(D(2024, 3, 12))]
    assert rows == [
        ("A1", "Ada Builders", "Hammer drill", "2024-03-06", 6, 7500, 13500),
        ("A2", "Ada Builders", "Cement mixer", "2024-03-09", 3, 6000, 13500),
    ]


def test_revenue_by_category():
    repo, _, billing = make_shop()
    repo.add_agreement(Agreement("A1", "C1", "I1", D(2024, 3, 4), D(2024, 3, 5),
                                 D(2024, 3, 5)))
    repo.add_agreement(Agreement("A2", "C2", "I1", D(2024, 3, 4), D(2024, 3, 5),
                                 D(2024, 4, 1)))
    assert billing.revenue_by_category(2024, 3) == [("drills", 1, 1000, 200),
                                                    ("mixers", 0, 0, 0)]
