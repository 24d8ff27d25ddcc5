from decimal import Decimal
from fractions import Fraction

import pytest

import acca

D = Decimal


def sel(event, runner, odds, places=0, fraction=Fraction(1, 4), struck_at=0):
    return acca.Selection(event, runner, odds, places, fraction, struck_at)


def test_parse_fractional_and_evens():
    assert acca.parse_odds("5/2") == D("3.5")
    assert acca.parse_odds("5-2") == D("3.5")
    assert acca.parse_odds("evs") == D(2)
    assert acca.parse_odds(" EVENS ") == D(2)


def test_parse_favourite_marks():
    assert acca.parse_odds("7/4F") == D("2.75")
    assert acca.parse_odds("11/8JF") == D("2.375")


def test_parse_american_and_decimal():
    assert acca.parse_odds("+150") == D("2.5")
    assert acca.parse_odds("-200") == D("1.5")
    assert acca.parse_odds("3.25") == D("3.25")
    assert acca.parse_odds(D("4")) == D(4)


def test_parse_rejects_nonsense():
    with pytest.raises(acca.OddsError):
        acca.parse_odds("banana")
    with pytest.raises(acca.OddsError):
        acca.parse_odds("1.0")


def test_to_fractional_snaps_to_ladder():
    assert acca.to_fractional(D("3.5")) == "5/2"
    assert acca.to_fractional(D("2")) == "evs"
    assert acca.to_fractional(D("3.4")) == "5/2"
    assert acca.to_fractional("1.91") == "10/11"


def test_to_american():
    assert acca.to_american(D("2.5")) == 150
    assert acca.to_american(D("1.5")) == -200
    assert acca.to_american(D("2")) == 100


def test_format_odds_styles():
    assert acca.format_odds("5/2", "decimal") == "3.50"
    assert acca.format_odds("5/2", "american") == "+250"
    assert acca.format_odds("5/2", "fractional") == "5/2"


def test_overround_of_fair_book_is_zero():
    assert acca.overround(["evs", "evs"]) == 0


def test_line_counts_for_full_covers():
    assert acca.line_count("trixie", 3) == 4
    assert acca.line_count("patent", 3) == 7
    assert acca.line_count("yankee", 4) == 11
    assert acca.line_count("lucky15", 4) == 15
    assert acca.line_count("heinz", 6) == 57
    assert acca.line_count("goliath", 8) == 247
    assert acca.line_count("lucky15", 4, each_way=True) == 30


def test_build_lines_yankee():
    picks = [sel(f"E{i}", f"R{i}", "2/1") for i in range(4)]
    slip = acca.Slip("S1", "yankee", picks, "1")
    lines = acca.build_lines(slip)
    assert len(lines) == 11
    assert [len(line.legs) for line in lines] == [2] * 6 + [3] * 4 + [4]
    assert acca.total_stake(slip) == D("11")


def test_double_potential_return():
    slip = acca.Slip("S1", "double", [sel("A", "x", "1/1"), sel("B", "y", "2/1")], "5")
    assert acca.potential_return(slip) == D("30.00")


def test_each_way_single_lines():
    pick = sel("A", "x", "8/1", places=3, fraction=Fraction(1, 5))
    slip = acca.Slip("S1", "single", [pick], "10", each_way=True)
    lines = acca.build_lines(slip)
    assert [line.part for line in lines] == ["win", "place"]
    assert pick.place_odds == D("2.6")
    assert acca.total_stake(slip) == D("20")


def test_slip_validation():
    with pytest.raises(ValueError):
        acca.Slip("S1", "yankee", [sel("A", "x", "2/1")], "1")
    with pytest.raises(ValueError):
        acca.Slip("S1", "double", [sel("A", "x", "2/1"), sel("A", "y", "3/1")], "1")
    with pytest.raises(ValueError):
        acca.Slip("S1", "single", [sel("A", "x", "2/1")], "0")


def test_settle_winning_single():
    settler = acca.Settler([acca.Result("A", {"x": 1, "y": 2})])
    slip = acca.Slip("S1", "single", [sel("A", "x", "5/2")], "4")
    result = settler.settle(slip)
    assert result.returns == D("14.00")
    assert result.status == "won"
    assert result.profit == D("10.00")


def test_settle_losing_single():
    settler = acca.Settler([acca.Result("A", {"x": 1, "y": 2})])
    result = settler.settle(acca.Slip("S1", "single", [sel("A", "y", "5/2")], "4"))
    assert result.returns == 0
    assert result.status == "lost"


def test_each_way_placed_only():
    settler = acca.Settler([acca.Result("A", {"w": 1, "x": 2, "y": 3})])
    pick = sel("A", "x", "10/1", places=3)
    result = settler.settle(acca.Slip("S1", "single", [pick], "5", each_way=True))
    assert result.returns == D("17.50")
    assert result.status == "won"
    assert result.stake == D("10")


def test_dead_heat_halves_the_stake():
    settler = acca.Settler([acca.Result("A", {"x": 1, "y": 1, "z": 3})])
    result = settler.settle(acca.Slip("S1", "single", [sel("A", "x", "3/1")], "10"))
    assert result.returns == D("20.00")


def test_rule4_deduction_applies_to_winnings():
    nr = acca.NonRunner("z", "2/1", withdrawn_at=50)
    settler = acca.Settler([acca.Result("A", {"x": 1, "y": 2}, [nr])])
    result = settler.settle(acca.Slip("S1", "single", [sel("A", "x", "4/1", struck_at=10)], "10"))
    # 2/1 shot withdrawn: 30p in the pound off the 40 winnings
    assert result.returns == D("38.00")


def test_non_runner_selection_is_void():
    nr = acca.NonRunner("x", "5/1", withdrawn_at=50)
    settler = acca.Settler([acca.Result("A", {"y": 1}, [nr])])
    result = settler.settle(acca.Slip("S1", "single", [sel("A", "x", "5/1")], "10"))
    assert result.returns == D("10.00")
    assert result.status == "void"


def test_missing_result_raises():
    settler = acca.Settler()
    with pytest.raises(acca.SettlementError):
        settler.settle(acca.Slip("S1", "single", [sel("A", "x", "5/1")], "10"))


def test_liability_report_single_event():
    event = acca.Event("A", "Race", {"x": "2/1", "y": "3/1"})
    slips = [
        acca.Slip("S1", "single", [event.selection("x")], "10"),
        acca.Slip("S2", "single", [event.selection("y")], "5"),
    ]
    rows = acca.liability_report([event], slips)
    assert [(row.runner, row.payout, row.net) for row in rows] == [
        ("x", D("30.00"), D("15.00")),
        ("y", D("20.00"), D("5.00")),
    ]


def test_format_money():
    assert acca.format_money(D("1234.5")) == "£1,234.50"
    assert acca.format_money(D("-3")) == "-£3.00"


def test_statement_running_balance():
    settlements = [
        acca.Settlement("S1", D("10"), D("0"), 1, 0, "lost"),
        acca.Settlement("S2", D("5"), D("20"), 1, 1, "won"),
    ]
    rows = acca.statement(settlements)
    assert rows[0].endswith("£10.00")
    assert rows[1].endswith("-£5.00")


def test_receipt_mentions_each_selection():
    picks = [sel("A", "Alpha", "5/2"), sel("B", "Bravo", "evs")]
    text = acca.slip_receipt(acca.Slip("S9", "double", picks, "2"))
    assert text[0].startswith("S9 Double: 1 x £2.00")
    assert "Alpha [A] @ 5/2" in text[1]
    assert "Bravo [B] @ evs" in text[2]
