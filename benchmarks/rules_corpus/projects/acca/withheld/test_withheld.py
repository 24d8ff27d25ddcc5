import copy
import math
import random
from decimal import Decimal
from fractions import Fraction

import pytest

import acca

D = Decimal
EXACT_PRICES = ["1/2", "4/5", "evs", "6/4", "7/4", "2/1", "9/4", "5/2", "3/1", "7/2", "4/1",
                "9/2", "5/1", "6/1", "8/1", "10/1", "12/1", "20/1"]
# withdrawn runner's price -> pence in the pound, restated from the published table
R4_PENCE = {"20/1": 0, "9/1": 10, "4/1": 20, "2/1": 30, "evs": 45, "1/9": 90}


# ---------------------------------------------------------------- oracles

def oracle_decimal(text):
    text = text.strip().lower()
    if text == "evs":
        return Fraction(2)
    top, bottom = text.split("/")
    return 1 + Fraction(int(top), int(bottom))


def oracle_combos(items, size):
    n = len(items)
    picks = []
    for mask in range(1 << n):
        idx = tuple(i for i in range(n) if mask >> i & 1)
        if len(idx) == size:
            picks.append(idx)
    picks.sort()
    return [tuple(items[i] for i in idx) for idx in picks]


def oracle_lines(slip):
    out = []
    for size in acca.line_sizes(slip.bet_type, len(slip.selections)):
        for legs in oracle_combos(slip.selections, size):
            for part in (["win", "place"] if slip.each_way else ["win"]):
                out.append((legs, part))
    return out


def floor_cents(value):
    return D(math.floor(value * 100)) / 100


def oracle_leg(sel, result, part):
    if result.abandoned or sel.runner in [nr.runner for nr in result.non_runners]:
        return Fraction(1)
    pos = result.placings.get(sel.runner)
    paying = 1 if part == "win" else sel.places
    if pos is None or pos > paying:
        return Fraction(0)
    tied = [r for r, p in result.placings.items() if p == pos]
    spots = len([q for q in range(pos, pos + len(tied)) if q <= paying])
    share = Fraction(spots, len(tied))
    pence = min(90, sum(R4_PENCE[nr.price] for nr in result.non_runners
                        if nr.withdrawn_at > sel.struck_at))
    winnings = Fraction(sel.odds) - 1
    if part == "place":
        winnings *= sel.place_fraction
    winnings *= Fraction(100 - pence, 100)
    return (1 + winnings) * share


def oracle_settle(slip, results):
    by_event = {r.event_id: r for r in results}
    total = D(0)
    for legs, part in oracle_lines(slip):
        value = Fraction(slip.unit_stake)
        for leg in legs:
            value *= oracle_leg(leg, by_event[leg.event_id], part)
        total += floor_cents(value)
    return total


def oracle_potential(legs, part, stake):
    value = Fraction(stake)
    for leg in legs:
        winnings = Fraction(leg.odds) - 1
        if part == "place":
            winnings *= leg.place_fraction
        value *= 1 + winnings
    return floor_cents(value)


def random_card(rng, n_events=6):
    events = []
    for e in range(n_events):
        size = rng.randint(4, 9)
        prices = {f"H{e}_{i}": rng.choice(EXACT_PRICES) for i in range(size)}
        places = rng.choice([0, 2, 3]) if size >= 5 else 0
        events.append(acca.Event(f"E{e}", f"Event {e}", prices, places,
                                 rng.choice([Fraction(1, 4), Fraction(1, 5)])))
    return events


def random_slips(rng, card, count, kinds):
    slips = []
    for n in range(count):
        bet_type = rng.choice(kinds)
        needed = acca.BET_TYPES[bet_type][0] or rng.randint(2, 3)
        events = rng.sample(card, needed)
        struck = rng.randint(0, 10)
        picks = [e.selection(rng.choice(e.runners), struck_at=struck) for e in events]
        each_way = all(e.places for e in events) and rng.random() < 0.5
        slips.append(acca.Slip(f"S{n}", bet_type, picks, rng.choice(["0.10", "1", "2.50", "5"]),
                               each_way))
    return slips


def random_results(rng, card, with_rule4=True):
    results = []
    for event in card:
        runners = list(event.runners)
        rng.shuffle(runners)
        non_runners = []
        if with_rule4 and rng.random() < 0.5:
            nr = runners.pop()
            non_runners.append(acca.NonRunner(nr, rng.choice(list(R4_PENCE)), rng.randint(0, 10)))
        positions = list(range(1, len(runners) + 1))
        if rng.random() < 0.4:
            spot = rng.randint(0, min(3, len(runners) - 2))
            positions[spot + 1] = positions[spot]
        results.append(acca.Result(event.event_id, dict(zip(runners, positions)), non_runners,
                                   abandoned=rng.random() < 0.05))
    return results


def sel(event, runner, odds, places=0, fraction=Fraction(1, 4), struck_at=0):
    return acca.Selection(event, runner, odds, places, fraction, struck_at)


# ---------------------------------------------------------------- odds

def test_parse_odds_type_errors():
    for bad in [None, [], True, b"5/2", object()]:
        with pytest.raises(TypeError):
            acca.parse_odds(bad)


def test_parse_odds_value_errors():
    assert issubclass(acca.OddsError, ValueError)
    for bad in ["", "0/1", "5/0", "+50", "-99", "1", "0.5", "abc", "5//2", "nan", "f", "jf",
                D("NaN"), D("Infinity"), D(1), 1, 0.99]:
        with pytest.raises(acca.OddsError):
            acca.parse_odds(bad)
        with pytest.raises(acca.OddsError):
            acca.parse_odds(bad)


def test_parse_odds_spellings_agree_and_repeat():
    spellings = ["5/2", " 5 / 2 ", "5-2", "5/2F", "5/2jf", "5\u20442", "3.5", "3.50", "+250",
                 D("3.5"), 3.5]
    values = [acca.parse_odds(s) for s in spellings]
    again = [acca.parse_odds(s) for s in spellings]
    assert values == again
    assert all(v == D("3.5") for v in values)
    assert all(isinstance(v, Decimal) for v in values)


def test_parse_odds_evens_variants_and_fav_marks():
    for text in ["evs", "EVS", "Evens", "even", "evsF", "EVSJF"]:
        assert acca.parse_odds(text) == D(2)
    assert acca.parse_odds("-110") == 1 + D(100) / D(110)


def test_to_fractional_roundtrips_every_ladder_price():
    for text in acca.STANDARD_FRACTIONS:
        expected = "evs" if text == "1/1" else text
        assert acca.to_fractional(acca.parse_odds(text)) == expected
        assert acca.to_fractional(text) == expected


def test_to_fractional_tie_prefers_shorter_price():
    assert acca.to_fractional(D("3.125")) == "2/1"
    assert acca.to_fractional(D("1.01")) == "1/10"
    assert acca.to_fractional(D("5000")) == "500/1"


def test_to_fractional_matches_oracle_on_random_prices():
    ladder = [(oracle_decimal(t), t) for t in acca.STANDARD_FRACTIONS]
    rng = random.Random(4)
    for _ in range(400):
        value = D(rng.randint(102, 60000)) / 100
        target = Fraction(value)
        best = min(ladder, key=lambda pair: (abs(pair[0] - target), pair[0]))[1]
        expected = "evs" if best == "1/1" else best
        assert acca.to_fractional(value) == expected
        assert acca.to_fractional(str(value)) == expected


def test_to_fractional_errors():
    with pytest.raises(acca.OddsError):
        acca.to_fractional("1.00")
    with pytest.raises(TypeError):
        acca.to_fractional(None)
    with pytest.raises(acca.OddsError):
        acca.to_fractional("x")


def test_american_round_trip():
    for moneyline in list(range(100, 2001, 25)) + list(range(-2000, -100, 25)):
        assert acca.to_american(acca.american_to_decimal(moneyline)) == moneyline
    assert acca.to_american(D("1.91")) == -110
    assert acca.format_odds("evs", "american") == "+100"


def test_american_to_decimal_rejects_inside_range():
    with pytest.raises(acca.OddsError):
        acca.american_to_decimal(50)
    with pytest.raises(acca.OddsError):
        acca.american_to_decimal(0)


def test_format_odds_unknown_style_and_decimal_rounding():
    with pytest.raises(ValueError):
        acca.format_odds("2/1", "roman")
    assert acca.format_odds("1/3", "decimal") == "1.33"
    assert acca.format_odds("2/3", "decimal") == "1.67"


def test_overround_and_implied_probability():
    with pytest.raises(ValueError):
        acca.overround([])
    assert acca.overround(p for p in ["evs", "evs"]) == 0
    assert acca.implied_probability("3/1") == D("0.25")
    assert acca.exact_fraction("1.5") == Fraction(1, 2)


def test_fractional_to_decimal_validation():
    with pytest.raises(TypeError):
        acca.fractional_to_decimal(D(5), 2)
    with pytest.raises(acca.OddsError):
        acca.fractional_to_decimal(0, 1)


# ---------------------------------------------------------------- bets

def test_lines_match_combination_oracle():
    for bet_type in sorted(acca.BET_TYPES):
        needed = acca.BET_TYPES[bet_type][0] or 5
        picks = [sel(f"E{i}", f"R{i}", EXACT_PRICES[i], places=3) for i in range(needed)]
        for each_way in (False, True):
            slip = acca.Slip("S", bet_type, picks, "1", each_way)
            lines = acca.build_lines(slip)
            assert [(line.legs, line.part) for line in lines] == oracle_lines(slip)
            assert len(lines) == acca.line_count(bet_type, needed, each_way)
            assert acca.total_stake(slip) == len(lines)


def test_build_lines_fresh_and_inputs_untouched():
    picks = [sel(f"E{i}", f"R{i}", "2/1") for i in range(4)]
    slip = acca.Slip("S", "lucky15", picks, "1")
    before = copy.deepcopy(slip)
    first = acca.build_lines(slip)
    first.clear()
    second = acca.build_lines(slip)
    assert len(second) == 15
    assert slip == before
    assert acca.build_lines(slip) == second
    singles = acca.Slip("T", "singles", picks[:2], "1")
    assert len(acca.build_lines(singles)) == 2
    singles.selections.append(picks[2])
    assert [line.legs for line in acca.build_lines(singles)] == [(p,) for p in picks[:3]]


def test_slip_validation_errors():
    pick = sel("A", "x", "2/1")
    with pytest.raises(ValueError):
        acca.Slip("S", "lucky99", [pick], "1")
    with pytest.raises(TypeError):
        acca.Slip("S", "single", [pick], 1.5)
    with pytest.raises(ValueError):
        acca.Slip("S", "single", [pick], "0.005")
    with pytest.raises(ValueError):
        acca.Slip("S", "single", [pick], "1", each_way=True)
    with pytest.raises(ValueError):
        acca.Slip("S", "accumulator", [], "1")
    with pytest.raises(ValueError):
        acca.Slip("S", "trebles", [pick, sel("B", "y", "2/1")], "1")
    with pytest.raises(ValueError):
        acca.Slip("S", "accumulator", [pick, sel("A", "y", "2/1")], "1")
    singles = acca.Slip("S", "singles", [pick, sel("A", "y", "2/1")], "1")
    assert len(acca.build_lines(singles)) == 2


def test_selection_validation():
    with pytest.raises(acca.OddsError):
        sel("A", "x", "1/0")
    with pytest.raises(ValueError):
        sel("A", "x", "2/1", places=-1)
    with pytest.raises(ValueError):
        sel("A", "x", "2/1").place_odds
    with pytest.raises(ValueError):
        sel("A", "x", "2/1", places=3, fraction=Fraction(0))


def test_potential_return_matches_oracle():
    rng = random.Random(11)
    card = random_card(rng, 8)
    slips = random_slips(rng, card, 60, ["accumulator", "yankee", "patent", "doubles"])
    for slip in slips:
        expected = sum((oracle_potential(legs, part, slip.unit_stake)
                        for legs, part in oracle_lines(slip)), D(0))
        assert acca.potential_return(slip) == expected


# ---------------------------------------------------------------- settlement

def test_settlement_matches_oracle_on_random_slips():
    rng = random.Random(7)
    card = random_card(rng, 7)
    kinds = ["single", "double", "treble", "trixie", "yankee", "lucky15", "accumulator"]
    slips = random_slips(rng, card, 120, kinds)
    results = random_results(rng, card)
    settler = acca.Settler(results)
    settled = settler.settle_all(slips)
    assert [s.slip_id for s in settled] == [s.slip_id for s in slips]
    for slip, settlement in zip(slips, settled):
        assert settlement.returns == oracle_settle(slip, results), slip
        assert settlement.lines == len(oracle_lines(slip))
        assert settlement.stake == slip.unit_stake * settlement.lines


def test_settle_does_not_mutate_and_repeats():
    rng = random.Random(8)
    card = random_card(rng, 5)
    slips = random_slips(rng, card, 30, ["yankee", "double", "single"])
    results = random_results(rng, card)
    slips_before = copy.deepcopy(slips)
    results_before = copy.deepcopy(results)
    settler = acca.Settler(results)
    first = settler.settle_all(slips)
    first.pop()
    second = settler.settle_all(slips)
    assert len(second) == 30
    assert second[:29] == first
    assert settler.settle_all(slips) == second
    assert slips == slips_before
    assert results == results_before


def test_rule4_only_for_bets_struck_before_withdrawal():
    nr = acca.NonRunner("z", "2/1", withdrawn_at=50)
    settler = acca.Settler([acca.Result("A", {"x": 1}, [nr])])
    early = settler.settle(acca.Slip("S1", "single", [sel("A", "x", "4/1", struck_at=49)], "10"))
    late = settler.settle(acca.Slip("S2", "single", [sel("A", "x", "4/1", struck_at=50)], "10"))
    assert early.returns == D("38.00")
    assert late.returns == D("50.00")


def test_rule4_rates_and_cap():
    assert acca.rule4_rate("1/9") == 90
    assert acca.rule4_rate("2/11") == 85
    assert acca.rule4_rate("evs") == 45
    assert acca.rule4_rate("2/1") == 30
    assert acca.rule4_rate("14/1") == 5
    assert acca.rule4_rate("16/1") == 0
    withdrawn = [acca.NonRunner(f"n{i}", "1/5", 10) for i in range(3)]
    assert acca.rule4_deduction(withdrawn, 0) == acca.MAX_RULE4 == 90
    assert acca.rule4_deduction(withdrawn, 10) == 0
    assert acca.rule4_deduction([], 0) == 0
    assert acca.apply_rule4(D("5"), 90) == D("1.4")


def test_dead_heat_factors():
    placings = {"a": 1, "b": 2, "c": 2, "d": 2, "e": 5}
    assert acca.dead_heat_factor(placings, "b", 3) == D(2) / D(3)
    assert acca.dead_heat_factor(placings, "a", 1) == 1
    assert acca.dead_heat_factor(placings, "b", 1) == 0
    assert acca.dead_heat_factor(placings, "e", 4) == 0
    assert acca.dead_heat_factor(placings, "zz", 4) == 0
    assert acca.dead_heat_factor({"a": 1, "b": 1}, "b", 1) == D("0.5")
    assert acca.dead_heat_factor({"a": 1, "b": 1}, "b", 2) == 1


def test_void_leg_in_multiple_and_abandoned_event():
    results = [acca.Result("A", {"x": 1}), acca.Result("B", {"y": 1}, abandoned=True),
               acca.Result("C", {"q": 1}, [acca.NonRunner("w", "20/1", 5)])]
    settler = acca.Settler(results)
    treble = acca.Slip("S", "treble", [sel("A", "x", "2/1"), sel("B", "y", "5/1"),
                                       sel("C", "w", "9/1")], "2")
    settled = settler.settle(treble)
    assert settled.returns == D("6.00")
    assert settled.status == "won"
    void = settler.settle(acca.Slip("V", "double", [sel("B", "y", "5/1"), sel("C", "w", "9/1")],
                                    "2"))
    assert (void.returns, void.status) == (D("2.00"), "void")
    assert settler.is_void(sel("C", "w", "9/1"))
    assert not settler.is_void(sel("A", "x", "2/1"))


def test_partial_status_for_each_way_place_only():
    settler = acca.Settler([acca.Result("A", {"a": 1, "b": 2, "c": 3})])
    pick = sel("A", "c", "2/1", places=3)
    settled = settler.settle(acca.Slip("S", "single", [pick], "10", each_way=True))
    assert settled.returns == D("15.00")
    assert settled.status == "partial"
    assert settled.winning_lines == 1
    assert settled.profit == D("-5.00")


def test_settler_result_management_errors():
    settler = acca.Settler([acca.Result("A", {"x": 1})])
    with pytest.raises(ValueError):
        settler.add_result(acca.Result("A", {"y": 1}))
    with pytest.raises(TypeError):
        settler.add_result({"event_id": "B"})
    with pytest.raises(ValueError):
        acca.Result("B", {"x": 0})
    with pytest.raises(ValueError):
        acca.Result("B", {"x": True})
    with pytest.raises(ValueError):
        acca.Result("B", {"x": 1}, [acca.NonRunner("x", "2/1", 1)])
    assert settler.has_result("A") and not settler.has_result("B")
    assert len(settler.results) == 1
    settler.add_result(acca.Result("B", {"y": 1, "z": 1}))
    assert settler.result_for("B").winners() == ["y", "z"]
    assert settler.place_terms_paid("B", 3) == [(1, "y"), (1, "z")]


def test_missing_result_raises_lookup_error():
    settler = acca.Settler([acca.Result("A", {"x": 1})])
    slips = [acca.Slip("S1", "single", [sel("A", "x", "2/1")], "1"),
             acca.Slip("S2", "double", [sel("A", "x", "2/1"), sel("B", "y", "2/1")], "1")]
    with pytest.raises(acca.SettlementError):
        settler.settle_all(slips)
    with pytest.raises(LookupError):
        settler.result_for("B")
    assert settler.pending(slips) == [slips[1]]
    assert settler.pending([]) == []


# ---------------------------------------------------------------- liability

def test_liability_matches_oracle():
    rng = random.Random(21)
    card = random_card(rng, 6)
    slips = random_slips(rng, card, 80, ["single", "double", "trixie", "lucky15", "singles"])
    cards_before = copy.deepcopy(card)
    slips_before = copy.deepcopy(slips)
    rows = acca.liability_report(card, slips)
    expected = {}
    for event in card:
        stakes = D(0)
        for slip in slips:
            for legs, _part in oracle_lines(slip):
                if any(leg.event_id == event.event_id for leg in legs):
                    stakes += slip.unit_stake
        for runner in event.runners:
            payout = D(0)
            count = 0
            for slip in slips:
                for legs, part in oracle_lines(slip):
                    if any(leg.key == (event.event_id, runner) for leg in legs):
                        payout += oracle_potential(legs, part, slip.unit_stake)
                        count += 1
            expected[(event.event_id, runner)] = (stakes, payout, count)
    got = {(r.event_id, r.runner): (r.stakes, r.payout, r.lines) for r in rows}
    assert got == expected
    assert len(rows) == sum(len(e.runners) for e in card)
    keys = [(-r.net, r.event_id, r.runner) for r in rows]
    assert keys == sorted(keys)
    assert card == cards_before and slips == slips_before


def test_liability_empty_inputs_and_tie_order():
    events = [acca.Event("B", "b", {"z": "2/1", "a": "3/1"}), acca.Event("A", "a", {"m": "evs"})]
    rows = acca.liability_report(events, [])
    assert [(r.event_id, r.runner) for r in rows] == [("A", "m"), ("B", "a"), ("B", "z")]
    assert all(r.stakes == 0 and r.payout == 0 and r.lines == 0 for r in rows)
    assert acca.liability_report([], []) == []
    assert acca.total_exposure(rows) == 0


def test_liability_ignores_events_and_runners_not_on_card():
    card = [acca.Event("A", "a", {"x": "2/1", "y": "3/1"})]
    other = acca.Event("B", "b", {"q": "4/1"})
    slips = [acca.Slip("S1", "double", [card[0].selection("x"), other.selection("q")], "1"),
             acca.Slip("S2", "single", [sel("A", "ghost", "9/1")], "3")]
    rows = acca.liability_report(card, slips)
    by_runner = {r.runner: r for r in rows}
    assert set(by_runner) == {"x", "y"}
    assert by_runner["x"].stakes == D(4)
    assert by_runner["x"].payout == D("15.00")
    assert by_runner["y"].payout == 0


def test_liability_fresh_results_and_worst_case():
    rng = random.Random(5)
    card = random_card(rng, 4)
    slips = random_slips(rng, card, 20, ["single", "double"])
    first = acca.liability_report(card, slips)
    first.reverse()
    second = acca.liability_report(card, slips)
    assert second == acca.liability_report(card, slips)
    assert second == sorted(first, key=lambda r: (-r.net, r.event_id, r.runner))
    worst = acca.worst_case(second)
    assert set(worst) == {e.event_id for e in card}
    for event_id, row in worst.items():
        assert row.net == max(r.net for r in second if r.event_id == event_id)
    assert acca.total_exposure(second) == sum(max(r.net, 0) for r in worst.values())


def test_event_helpers():
    event = acca.Event("A", "a", {"x": "5/2", "y": "6/4F", "z": "9/1"}, 0)
    assert event.favourite() == "y"
    with pytest.raises(KeyError):
        event.selection("nobody")
    with pytest.raises(ValueError):
        acca.Event("B", "b", {})
    with pytest.raises(ValueError):
        acca.Event("B", "b", {"x": "2/1", "y": "3/1"}, places=2)
    assert event.selection("x", price="+300").odds == D(4)


# ---------------------------------------------------------------- report

def test_statement_matches_running_total_and_is_fresh():
    rng = random.Random(3)
    settlements = [acca.Settlement(f"S{i}", D(rng.randint(1, 500)) / 10,
                                   D(rng.choice([0, 0, rng.randint(1, 3000)])) / 10, 1, 0, "x")
                   for i in range(150)]
    before = copy.deepcopy(settlements)
    rows = acca.statement(settlements)
    balance = D(0)
    for settlement, row in zip(settlements, rows):
        balance += settlement.stake - settlement.returns
        assert row.split()[-1] == acca.format_money(balance)
    assert len(rows) == 150
    assert settlements == before
    rows.clear()
    assert len(acca.statement(tuple(settlements))) == 150
    assert acca.statement([]) == []


def test_status_counts_sorted_and_money_formatting():
    settled = [acca.Settlement("a", D(1), D(0), 1, 0, s) for s in ["won", "lost", "void", "lost"]]
    assert list(acca.status_counts(settled).items()) == [("lost", 2), ("void", 1), ("won", 1)]
    assert acca.status_counts([]) == {}
    assert acca.format_money(D("2.345")) == "£2.35"
    assert acca.format_money(D("-0.005")) == "-£0.01"
    assert acca.format_money(D("1234567.891"), "$") == "$1,234,567.89"
    assert acca.format_money(0) == "£0.00"


def test_receipts_and_tables():
    picks = [sel(f"E{i}", f"R{i}", p, places=3) for i, p in enumerate(["evs", "5/2", "1/3"])]
    slip = acca.Slip("S7", "patent", picks, "0.50", each_way=True)
    text = acca.slip_receipt(slip)
    assert text[0] == "S7 Patent each way: 14 x £0.50 = £7.00"
    assert text[1].endswith("@ evs (e/w 1/4 odds 3 places)")
    assert "@ 1/3" in text[3]
    assert text[-1] == "  best line returns £4.66"
    assert acca.slip_receipt(slip, "american")[2].split("@ ")[1].startswith("+250")
    assert acca.describe_bet("lucky15", 4, True) == "Lucky 15 on 4 selections: 30 lines"
    assert acca.bet_name("super_heinz") == "Super Heinz"
    assert acca.liability_table([], 5) == [acca.liability_table([])[0]]


def test_amended_result_is_used_on_resettlement():
    result = acca.Result("A", {"x": 1, "y": 2})
    settler = acca.Settler([result])
    slip = acca.Slip("S", "single", [sel("A", "x", "3/1")], "5")
    assert settler.settle(slip).returns == D("20.00")
    result.placings.update({"x": 2, "y": 1})
    assert settler.settle(slip).returns == 0
    result.non_runners.append(acca.NonRunner("z", "evs", 99))
    winner = acca.Slip("W", "single", [sel("A", "y", "3/1")], "5")
    assert settler.settle(winner).returns == D("5") + D("15") * D("0.55")
    assert settler.results == [result]


def test_liability_accepts_iterators():
    rng = random.Random(9)
    card = random_card(rng, 5)
    slips = random_slips(rng, card, 25, ["single", "double", "yankee"])
    expected = acca.liability_report(card, slips)
    assert acca.liability_report(iter(card), iter(slips)) == expected
    assert acca.liability_report(tuple(card), (s for s in slips)) == expected


def test_line_helpers():
    with pytest.raises(ValueError):
        acca.line_count("lucky7", 3)
    assert acca.line_count("accumulator", 6) == 1
    assert acca.line_count("doubles", 5) == 10
    assert acca.line_sizes("super_heinz", 7) == (2, 3, 4, 5, 6, 7)
    legs = (sel("A", "x", "evs", places=2), sel("B", "y", "9/4", places=2))
    assert acca.Line(legs, D("2")).odds() == D("6.5")
    assert acca.Line(legs, D("2"), "place").potential_return() == D("3.90")
    assert acca.to_fractional(3.5) == "5/2"
