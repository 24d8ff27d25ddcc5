import datetime

import pytest

import loyalty
from loyalty import (
    Customer,
    Redemption,
    make_promotion,
    make_transaction,
)

D = datetime.date


def txn(tid, cid, day, amount, category="grocery"):
    return make_transaction(tid, cid, day, amount, category)


def test_add_months_clamps_to_month_end():
    assert loyalty.add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert loyalty.add_months(D(2023, 3, 31), -1) == D(2023, 2, 28)
    assert loyalty.add_months(D(2023, 11, 15), 3) == D(2024, 2, 15)


def test_window_start_is_day_after_same_date_last_year():
    assert loyalty.window_start(D(2024, 6, 30)) == D(2023, 7, 1)


def test_make_transaction_validates():
    with pytest.raises(ValueError):
        make_transaction("T1", "C1", D(2024, 1, 1), -5, "grocery")
    with pytest.raises(ValueError):
        make_transaction("T1", "C1", D(2024, 1, 1), 500, "toys")
    t = make_transaction("T1", "C1", "2024-01-02", 500, "fuel")
    assert t.day == D(2024, 1, 2)


def test_base_points_rounds_down():
    assert loyalty.base_points(199) == 1
    assert loyalty.base_points(99) == 0


def test_category_multiplier_applied():
    rules = loyalty.build_rules()
    assert loyalty.points_for(txn("T1", "C1", D(2024, 1, 1), 12_345), rules) == 123
    assert loyalty.points_for(txn("T2", "C1", D(2024, 1, 1), 10_000, "electronics"), rules) == 150
    assert loyalty.points_for(txn("T3", "C1", D(2024, 1, 1), 10_100, "fuel"), rules) == 50


def test_promotion_window_is_inclusive_and_filters_categories():
    promo = make_promotion("spring", D(2024, 3, 1), D(2024, 3, 10), 2, ["grocery"])
    rules = loyalty.build_rules([promo])
    assert loyalty.points_for(txn("T1", "C1", D(2024, 3, 10), 10_000), rules) == 200
    assert loyalty.points_for(txn("T2", "C1", D(2024, 3, 11), 10_000), rules) == 100
    assert loyalty.points_for(txn("T3", "C1", D(2024, 3, 5), 10_000, "home"), rules) == 125


def test_daily_cap_limits_points_per_day():
    txns = [txn("T1", "C1", D(2024, 1, 5), 150_000), txn("T2", "C1", D(2024, 1, 5), 100_000),
            txn("T3", "C1", D(2024, 1, 6), 10_000)]
    earned = loyalty.earn_for_customer(txns, daily_cap=2_000)
    assert [e.points for e in earned] == [1_500, 500, 150]  # Gold by day two


def test_tier_bonus_uses_previous_day_tier():
    txns = [txn("T1", "C1", D(2024, 1, 5), 60_000), txn("T2", "C1", D(2024, 1, 5), 10_000),
            txn("T3", "C1", D(2024, 1, 6), 10_000)]
    earned = loyalty.earn_for_customer(txns, daily_cap=None)
    assert [e.points for e in earned] == [600, 100, 125]


def test_earn_all_orders_by_customer_and_rejects_duplicates():
    txns = [txn("T2", "C2", D(2024, 1, 1), 1_000), txn("T1", "C1", D(2024, 1, 2), 2_000)]
    assert [e.txn_id for e in loyalty.earn_all(txns)] == ["T1", "T2"]
    with pytest.raises(ValueError):
        loyalty.earn_all(txns + [txn("T1", "C3", D(2024, 1, 3), 100)])


def test_rolling_spend_window_edges():
    txns = [txn("T1", "C1", D(2023, 6, 30), 100), txn("T2", "C1", D(2023, 7, 1), 200),
            txn("T3", "C1", D(2024, 6, 30), 400), txn("T4", "C2", D(2024, 1, 1), 800)]
    assert loyalty.rolling_spend(txns, "C1", D(2024, 6, 30)) == 600


def test_tier_for_spend_thresholds():
    assert loyalty.tier_for_spend(0).name == "Bronze"
    assert loyalty.tier_for_spend(50_000).name == "Silver"
    assert loyalty.tier_for_spend(149_999).name == "Silver"
    assert loyalty.tier_for_spend(400_000).name == "Platinum"


def test_next_tier_gap():
    assert loyalty.next_tier_gap(45_000) == ("Silver", 5_000)
    assert loyalty.next_tier_gap(500_000) is None


def test_tier_changes_up_and_down():
    txns = [txn("T1", "C1", D(2023, 3, 10), 60_000)]
    assert loyalty.tier_changes(txns, "C1", D(2023, 3, 1), D(2023, 3, 31)) == [
        (D(2023, 3, 10), "Bronze", "Silver")]
    assert loyalty.tier_changes(txns, "C1", D(2024, 3, 1), D(2024, 3, 31)) == [
        (D(2024, 3, 10), "Silver", "Bronze")]


def _earnings(*specs):
    return [loyalty.Earning(tid, cid, day, pts) for tid, cid, day, pts in specs]


def test_ledger_spends_oldest_lots_first():
    earnings = _earnings(("T1", "C1", D(2024, 1, 1), 300), ("T2", "C1", D(2024, 2, 1), 500))
    result = loyalty.run_ledger(earnings, [Redemption("C1", D(2024, 3, 1), 400, "x")],
                                D(2024, 3, 31))
    assert result.outcomes[0].accepted
    assert [(lot.lot_id, lot.points) for lot in result.lots] == [("T2", 400)]


def test_ledger_rejects_when_balance_short():
    earnings = _earnings(("T1", "C1", D(2024, 1, 1), 300))
    result = loyalty.run_ledger(earnings, [Redemption("C1", D(2024, 3, 1), 500, "x")],
                                D(2024, 3, 31))
    out = result.outcomes[0]
    assert not out.accepted and out.shortfall == 200
    assert result.lots[0].points == 300


def test_ledger_expires_lots():
    earnings = _earnings(("T1", "C1", D(2022, 1, 1), 300), ("T2", "C1", D(2024, 1, 1), 100))
    result = loyalty.run_ledger(earnings, [Redemption("C1", D(2023, 7, 1), 200, "x")],
                                D(2024, 3, 31))
    assert not result.outcomes[0].accepted
    assert [(lot.lot_id, lot.points) for lot in result.expired] == [("T1", 300)]
    assert result.expired[0].expires == D(2023, 7, 1)


def test_reward_cost_unknown():
    assert loyalty.reward_cost("coffee") == 300
    with pytest.raises(KeyError):
        loyalty.reward_cost("yacht")


def _small_world():
    customers = [Customer("C1", "Ada Moss", D(2024, 1, 1)),
                 Customer("C2", "Ben Nash", D(2024, 1, 1))]
    txns = [txn("T1", "C1", D(2024, 1, 5), 20_000), txn("T2", "C1", D(2024, 2, 3), 5_000, "home"),
            txn("T3", "C2", D(2024, 1, 9), 1_000)]
    earnings = loyalty.earn_all(txns)
    ledger = loyalty.run_ledger(earnings, [Redemption("C1", D(2024, 2, 10), 150, "coffee")],
                                D(2024, 2, 29))
    return customers, txns, earnings, ledger


def test_statement_for_month():
    customers, txns, earnings, ledger = _small_world()
    stmt = loyalty.statement_for(customers[0], txns, earnings, ledger, 2024, 2)
    assert stmt.spend == 5_000
    assert stmt.earned == 62
    assert stmt.redeemed == 150
    assert stmt.closing == 200 + 62 - 150
    assert stmt.tier == "Bronze"


def test_monthly_statements_skip_inactive():
    customers, txns, earnings, ledger = _small_world()
    feb = loyalty.monthly_statements(customers, txns, earnings, ledger, 2024, 2)
    assert [s.customer_id for s in feb] == ["C1", "C2"]
    empty = loyalty.monthly_statements(customers, txns, earnings, ledger, 2023, 12)
    assert empty == []


def test_render_statement():
    customers, txns, earnings, ledger = _small_world()
    stmt = loyalty.statement_for(customers[0], txns, earnings, ledger, 2024, 1)
    text = loyalty.render_statement(stmt)
    assert text.startswith("Statement 2024-01 for Ada Moss (C1)")
    assert "200.00" in text


def test_programme_summary():
    customers, txns, earnings, ledger = _small_world()
    summary = loyalty.programme_summary(customers, txns, earnings, ledger, D(2024, 2, 29))
    assert summary["members"] == 2
    assert summary["spend"] == 26_000
    assert summary["issued"] == 272
    assert summary["redeemed"] == 150
    assert summary["outstanding"] == 122
    assert summary["leaders"][0] == ("Ada Moss", 262)
    assert "Programme summary" in loyalty.render_summary(summary)


def test_category_breakdown_and_money():
    txns = [txn("T1", "C1", D(2024, 1, 1), 500, "fuel"), txn("T2", "C1", D(2024, 1, 1), 700),
            txn("T3", "C2", D(2024, 1, 2), 200, "fuel")]
    assert loyalty.category_breakdown(txns) == [("fuel", 700, 2), ("grocery", 700, 1)]
    assert loyalty.format_money(123_456_78) == "123,456.78"
    assert loyalty.format_money(-5) == "-0.05"
