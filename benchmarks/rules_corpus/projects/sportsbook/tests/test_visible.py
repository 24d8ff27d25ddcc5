from decimal import Decimal
from fractions import Fraction

import pytest

import sportsbook as sb


@pytest.fixture(autouse=True)
def registry():
    sb.clear_markets()
    sb.register_market("M1-1X2", "Reds v Blues", ["Home", "Draw", "Away"], "2024-05-01")
    sb.register_market("M1-OU25", "Reds v Blues", ["Over 2.5", "Under 2.5"], "2024-05-01")
    sb.register_market("M2-1X2", "Greens v Whites", ["Home", "Draw", "Away"], "2024-05-02")
    yield
    sb.clear_markets()


FEED = """
# sample feed
Alpha | M1-1X2 | Home | 2.10
Alpha | M1-1X2 | Draw | 3.40
Alpha | M1-1X2 | Away | 3.60
beta  | m1-1x2 | home | 6/5
Beta | M1-1X2 | Draw | 9/4
Beta | M1-1X2 | Away | 5/2
Gamma | M1-OU25 | over 2.5 | -110
Gamma | M1-OU25 | Under 2.5 | -110
""".strip().splitlines()


def test_parse_price_notations():
    assert sb.parse_price("2.50").decimal == Fraction(5, 2)
    assert sb.parse_price("+150").decimal == Fraction(5, 2)
    assert sb.parse_price("6/4").decimal == Fraction(5, 2)
    assert sb.parse_price("-200").decimal == Fraction(3, 2)
    assert sb.parse_price(" Evs ").decimal == 2


def test_american_conversion():
    assert sb.Price("2.5").american == 150
    assert sb.Price("1.5").american == -200
    assert sb.Price(2).american == 100


def test_format_price_styles():
    price = sb.parse_price("11/4")
    assert sb.format_price(price) == "3.75"
    assert sb.format_price(price, "american") == "+275"
    assert sb.format_price(price, "fractional") == "11/4"
    assert sb.format_price(sb.Price(2), "fractional") == "evs"


def test_overround_of_three_way_market():
    prices = [sb.Price(2), sb.Price(4), sb.Price(4)]
    assert sb.overround(prices) == 0
    assert sb.overround([sb.Price("1.9"), sb.Price("1.9")]) == Fraction(1, 19)


def test_proportional_margin_removal_is_exact():
    fair = sb.remove_margin([sb.Price("1.9"), sb.Price("1.9")])
    assert fair == [Fraction(1, 2), Fraction(1, 2)]


def test_power_margin_removal_sums_to_one():
    prices = [sb.Price("1.5"), sb.Price("4.2"), sb.Price("7.0")]
    fair = sb.remove_margin(prices, "power")
    assert abs(sum(fair) - 1) < 1e-9
    proportional = sb.remove_margin(prices)
    assert fair[0] > proportional[0]
    assert fair[2] < proportional[2]


def test_clean_name():
    assert sb.clean_name("  over   2.5 ") == "Over 2.5"
    assert sb.clean_name("bet*north") == "Betnorth"


def test_register_market_twice_fails():
    with pytest.raises(ValueError):
        sb.register_market("M1-1X2", "again", ["A", "B"], "2024-05-01")


def test_parse_feed_builds_books():
    books = sb.parse_feed(FEED)
    assert sorted(books) == ["Alpha", "Beta", "Gamma"]
    assert books["Beta"].price("M1-1X2", "Home") == sb.Price("2.2")
    assert books["Gamma"].price("M1-OU25", "Over 2.5").decimal == Fraction(21, 11)
    assert books["Alpha"].price("M2-1X2", "Home") is None


def test_parse_feed_later_line_replaces_price():
    books = sb.parse_feed(FEED + ["Alpha | M1-1X2 | Home | 2.20"])
    assert books["Alpha"].price("M1-1X2", "Home") == sb.Price("2.2")
    assert len(books["Alpha"].markets) == 1


def test_parse_feed_skips_bad_lines_unless_strict():
    lines = FEED + ["Alpha | M1-1X2 | Home", "Alpha | NOPE | Home | 2.0"]
    books = sb.parse_feed(lines)
    assert len(list(books["Alpha"].quotes())) == 3
    with pytest.raises(sb.FeedError) as info:
        sb.parse_feed(lines, strict=True)
    assert info.value.line_no == 10


def test_parlay_price_is_product():
    slip = sb.Slip("S1", "Alpha", 10, [
        sb.Leg("M1-1X2", "Home", sb.Price(2)),
        sb.Leg("M2-1X2", "Away", sb.Price("3.5")),
    ])
    assert slip.price() == 7
    assert slip.potential_return() == 70


def test_slip_rejects_two_legs_on_one_market():
    slip = sb.Slip("S1", "Alpha", 10, [sb.Leg("M1-1X2", "Home", sb.Price(2))])
    with pytest.raises(sb.SlipError):
        slip.add_leg(sb.Leg("M1-1X2", "Draw", sb.Price(3)))


def test_settle_single_won_and_lost():
    won = sb.Slip("S1", "Alpha", 10, [sb.Leg("M1-1X2", "Home", sb.Price("2.5"))])
    lost = sb.Slip("S2", "Alpha", 10, [sb.Leg("M1-1X2", "Away", sb.Price("3.5"))])
    results = [sb.parse_result("M1-1X2 = Home")]
    a, b = sb.settle_slips([won, lost], results)
    assert (a.status, a.returns, a.profit) == ("won", 25, 15)
    assert (b.status, b.returns, b.profit) == ("lost", 0, -10)


def test_settle_parlay_with_void_leg():
    slip = sb.Slip("S1", "Alpha", 4, [
        sb.Leg("M1-1X2", "Home", sb.Price("2.5")),
        sb.Leg("M2-1X2", "Draw", sb.Price(3)),
    ])
    results = [sb.parse_result("M1-1X2 = VOID"), sb.parse_result("M2-1X2 = Draw")]
    settlement = sb.settle_slip(slip, results)
    assert settlement.status == "won"
    assert settlement.returns == 12
    assert settlement.day == "2024-05-02"


def test_settle_pending_when_result_missing():
    slip = sb.Slip("S1", "Alpha", 4, [
        sb.Leg("M1-1X2", "Home", sb.Price("2.5")),
        sb.Leg("M2-1X2", "Draw", sb.Price(3)),
    ])
    settlement = sb.settle_slip(slip, [sb.parse_result("M1-1X2 = Home")])
    assert settlement.status == "pending"
    assert settlement.profit == 0


def test_find_arbitrage_locks_in_profit():
    lines = ["A | M1-OU25 | Over 2.5 | 2.10", "A | M1-OU25 | Under 2.5 | 1.80",
             "B | M1-OU25 | Over 2.5 | 1.85", "B | M1-OU25 | Under 2.5 | 2.05"]
    books = sb.parse_feed(lines)
    (arb,) = sb.find_arbitrage(books, total_stake=100)
    assert arb.market_id == "M1-OU25"
    assert [(leg[0], leg[1]) for leg in arb.legs] == [("Over 2.5", "A"), ("Under 2.5", "B")]
    returns = {leg[2].decimal * leg[3] for leg in arb.legs}
    assert len(returns) == 1
    assert returns.pop() - 100 == arb.profit > 0


def test_no_arbitrage_in_normal_market():
    assert sb.find_arbitrage(sb.parse_feed(FEED)) == []


def test_best_prices_picks_highest():
    best = sb.best_prices(sb.parse_feed(FEED), "M1-1X2")
    assert best["Home"] == (sb.Price("2.2"), "Beta")
    assert best["Away"] == (sb.Price("3.6"), "Alpha")


def test_kelly_fraction():
    assert sb.kelly_fraction(sb.Price(3), Fraction(1, 2)) == Fraction(1, 4)
    assert sb.kelly_fraction(sb.Price(2), Fraction(1, 3)) == 0


def test_value_bets_find_soft_price():
    lines = FEED + ["Delta | M1-1X2 | Home | 2.60", "Delta | M1-1X2 | Draw | 3.0",
                    "Delta | M1-1X2 | Away | 3.0"]
    bets = sb.value_bets(sb.parse_feed(lines), ["M1-1X2"], min_edge=0.05)
    assert [(b.bookmaker, b.selection) for b in bets] == [("Delta", "Home")]
    assert bets[0].stake > 0


def test_parse_result():
    result = sb.parse_result(" m1-1x2 = home ")
    assert result == sb.MatchResult("M1-1X2", frozenset({"Home"}), False)
    assert sb.parse_result("M2-1X2 = void").void


def _settled():
    slips = [
        sb.Slip("S1", "A", 10, [sb.Leg("M2-1X2", "Home", sb.Price(2))]),
        sb.Slip("S2", "A", 10, [sb.Leg("M1-1X2", "Home", sb.Price(3))]),
        sb.Slip("S3", "B", 5, [sb.Leg("M1-1X2", "Draw", sb.Price(3))]),
    ]
    results = [sb.parse_result("M1-1X2 = Home"), sb.parse_result("M2-1X2 = Away")]
    return sb.settle_slips(slips, results)


def test_build_ledger_running_balance():
    ledger = sb.build_ledger(_settled())
    assert [row.slip_id for row in ledger] == ["S2", "S3", "S1"]
    assert [row.house_pnl for row in ledger] == [Decimal("-20.00"), Decimal("5.00"),
                                                 Decimal("10.00")]
    assert [row.balance for row in ledger] == [Decimal("-20"), Decimal("-15"), Decimal("-5")]
    assert [row.drawdown for row in ledger] == [Decimal("20"), Decimal("15"), Decimal("5")]


def test_daily_report_and_format():
    report = sb.daily_report(_settled())
    assert [d.day for d in report] == ["2024-05-01", "2024-05-02"]
    first = report[0]
    assert (first.slips, first.won, first.lost, first.staked) == (2, 1, 1, Decimal("15.00"))
    assert first.house_pnl == Decimal("-15.00")
    assert first.hold == Decimal("-100.00")
    text = sb.format_report(report)
    assert "2024-05-02" in text and "-15.00" in text
