import copy
import math
import random
from decimal import Decimal
from fractions import Fraction

import pytest

import sportsbook as sb

DAYS = ["2024-06-01", "2024-06-02", "2024-06-03"]
BOOKMAKERS = ["Alpha", "Beta", "Gamma", "Delta", "Omega"]


@pytest.fixture(autouse=True)
def registry():
    sb.clear_markets()
    for i in range(40):
        day = DAYS[i % len(DAYS)]
        sb.register_market(f"E{i:02d}-1X2", f"event {i}", ["Home", "Draw", "Away"], day)
        sb.register_market(f"E{i:02d}-OU", f"event {i}", ["Over 2.5", "Under 2.5"], day)
    yield
    sb.clear_markets()


# ---------------------------------------------------------------- oracles and helpers

def oracle_american(text):
    value = int(text)
    if value > 0:
        return 1 + Fraction(value, 100)
    return 1 + Fraction(100, -value)


def random_feed(seed, n_lines=600, junk=True):
    """Feed lines plus the exact table the feed should produce (last price wins)."""
    rng = random.Random(seed)
    table = {}
    order = {}
    lines = []
    market_ids = list(sb.MARKETS)
    for _ in range(n_lines):
        book = rng.choice(BOOKMAKERS)
        market_id = rng.choice(market_ids)
        selection = rng.choice(sb.MARKETS[market_id].selections)
        style = rng.randrange(3)
        if style == 0:
            cents = rng.randint(105, 900)
            text, decimal = f"{cents / 100:.2f}", Fraction(cents, 100)
        elif style == 1:
            n, d = rng.randint(1, 12), rng.choice([1, 2, 4, 5])
            text, decimal = f"{n}/{d}", 1 + Fraction(n, d)
        else:
            v = rng.choice([rng.randint(100, 800), -rng.randint(100, 800)])
            text, decimal = f"{v:+d}", oracle_american(f"{v:+d}")
        shown_book = rng.choice([book, book.upper(), f"  {book.lower()} "])
        shown_sel = rng.choice([selection, selection.lower(), selection.replace(" ", "   ")])
        lines.append(f"{shown_book} | {market_id.lower()} | {shown_sel} | {text}")
        order.setdefault(book, [])
        if market_id not in order[book]:
            order[book].append(market_id)
        table[(book, market_id, selection)] = decimal
        if junk and rng.random() < 0.05:
            lines.append(rng.choice(["", "# comment", "Alpha | E00-1X2 | Home",
                                     "Alpha | NOPE | Home | 2.0", "Alpha | E00-1X2 | X | 2.0",
                                     "Alpha | E00-1X2 | Home | 1.00", "Beta|E01-OU|Over 2.5|abc"]))
    return lines, table, order


def full_feed(seed, books=BOOKMAKERS, spread=0.12):
    rng = random.Random(seed)
    lines = []
    for book in books:
        for market_id, spec in sb.MARKETS.items():
            for selection in spec.selections:
                base = len(spec.selections) * (1 - spread / 2)
                cents = int(100 * base * rng.uniform(1 - spread, 1 + spread))
                lines.append(f"{book} | {market_id} | {selection} | {cents / 100:.2f}")
    return lines


def oracle_table(books):
    out = {}
    for name, book in books.items():
        for market in book.markets:
            for selection, price in market.prices.items():
                out[(name, market.market_id, selection)] = price.decimal
    return out


def oracle_arbitrage(books, total_stake):
    table = oracle_table(books)
    found = []
    market_ids = sorted({k[1] for k in table})
    for market_id in market_ids:
        spec = sb.MARKETS[market_id]
        best = {}
        for (book, mid, sel), dec in table.items():
            if mid != market_id:
                continue
            key = (-dec, book)
            if sel not in best or key < best[sel]:
                best[sel] = key
        if len(best) != len(spec.selections):
            continue
        s = sum(1 / -best[sel][0] for sel in spec.selections)
        if s < 1:
            found.append((1 - s, market_id,
                          [(sel, best[sel][1], -best[sel][0]) for sel in spec.selections],
                          total_stake / s - total_stake))
    found.sort(key=lambda x: (-x[0], x[1]))
    return found


def oracle_settle(slip, results):
    first = {}
    for r in results:
        first.setdefault(r.market_id, r)
    mult, pending, won = Fraction(1), False, False
    day = max(sb.MARKETS[leg.market_id].day for leg in slip.legs)
    for leg in slip.legs:
        r = first.get(leg.market_id)
        if r is None:
            pending = True
        elif r.void:
            pass
        elif leg.selection in r.winners:
            mult *= leg.price.decimal
            won = True
        else:
            return ("lost", Fraction(0), day)
    if pending:
        return ("pending", Fraction(0), day)
    if not won:
        return ("void", slip.stake, day)
    return ("won", slip.stake * mult, day)


def random_slips(seed, n=300):
    rng = random.Random(seed)
    market_ids = list(sb.MARKETS)
    slips = []
    for i in range(n):
        legs = []
        for market_id in rng.sample(market_ids, rng.choice([1, 1, 2, 3, 4])):
            selection = rng.choice(sb.MARKETS[market_id].selections)
            price = sb.Price(Fraction(rng.randint(105, 600), 100))
            legs.append(sb.Leg(market_id, selection, price))
        stake = rng.choice([1, 2, "2.50", 10, Decimal("7.25"), Fraction(1, 3)])
        slips.append(sb.Slip(f"S{i:04d}", rng.choice(BOOKMAKERS), stake, legs))
    return slips


def random_results(seed, drop=0.15, dup=0.1):
    rng = random.Random(seed)
    results = []
    for market_id, spec in sb.MARKETS.items():
        if rng.random() < drop:
            continue
        if rng.random() < 0.05:
            results.append(sb.MatchResult(market_id, frozenset(), True))
        else:
            results.append(sb.MatchResult(market_id, frozenset({rng.choice(spec.selections)})))
        if rng.random() < dup:
            results.append(sb.MatchResult(market_id, frozenset({rng.choice(spec.selections)})))
    rng.shuffle(results)
    return results


def oracle_ledger(settlements):
    rows = [s for s in settlements if s.status != "pending"]
    rows = sorted(rows, key=lambda s: s.day)
    out, balance, peak = [], Fraction(0), Fraction(0)
    for s in rows:
        pnl = Fraction(sb.money(s.stake)) - Fraction(sb.money(s.returns))
        balance += pnl
        peak = max(peak, balance)
        out.append((s.slip_id, s.day, pnl, balance, peak - balance))
    return out


def settled_sample(seed=7):
    return sb.settle_slips(random_slips(seed), random_results(seed))


# ---------------------------------------------------------------- prices

def test_american_round_trip_many_values():
    for value in list(range(100, 1000, 7)) + list(range(-1000, -100, 9)):
        price = sb.Price.from_american(value)
        assert price.decimal == oracle_american(f"{value:+d}")
        assert price.american == value
        assert sb.parse_price(f"{value:+d}") == price


def test_american_rounds_half_up():
    assert sb.Price(Fraction(2005, 1000)).american == 101  # 100.5 -> 101
    assert sb.Price("1.4").american == -250


def test_price_rejects_inexact_types():
    for bad in [1.5, True, None, [2]]:
        with pytest.raises(TypeError):
            sb.Price(bad)


def test_price_rejects_values_at_or_below_one():
    for bad in ["1", "0.5", 1, "-3", "abc", Fraction(1, 2)]:
        with pytest.raises(sb.PriceError):
            sb.Price(bad)


def test_parse_price_errors():
    for text in ["", "   ", "+99", "-50", "0/4", "3/0", "2,5", "abc", "+"]:
        with pytest.raises(sb.PriceError):
            sb.parse_price(text)
    assert issubclass(sb.PriceError, ValueError)


def test_parse_price_type_error():
    with pytest.raises(TypeError):
        sb.parse_price(2.5)
    with pytest.raises(TypeError):
        sb.Price.from_american(150.0)
    with pytest.raises(TypeError):
        sb.Price.from_fractional(1.5, 2)


def test_parse_price_repeated_calls_equal():
    assert [sb.parse_price("5/2") for _ in range(3)] == [sb.Price("3.5")] * 3
    assert sb.parse_price("EVENS") == sb.parse_price("evs") == sb.parse_price("+100")


def test_price_hash_and_order():
    assert hash(sb.Price("2.50")) == hash(sb.parse_price("6/4"))
    assert sorted([sb.Price(3), sb.Price("1.5"), sb.Price(2)]) == [
        sb.Price("1.5"), sb.Price(2), sb.Price(3)]
    assert repr(sb.Price("2.5")) == "Price('5/2')"
    assert sb.Price("2.5") != "2.5"


def test_format_price_bad_style_and_rounding():
    assert sb.format_price(sb.Price(Fraction(2005, 1000))) == "2.01"
    assert sb.format_price(sb.Price("1.5"), "american") == "-200"
    with pytest.raises(ValueError):
        sb.format_price(sb.Price(2), "roman")
    with pytest.raises(TypeError):
        sb.format_price("2.0")


def test_overround_and_margin_errors():
    with pytest.raises(ValueError):
        sb.overround([])
    with pytest.raises(ValueError):
        sb.remove_margin([sb.Price(2)])
    with pytest.raises(ValueError):
        sb.remove_margin([sb.Price(2), sb.Price(2)], "magic")
    with pytest.raises(TypeError):
        sb.remove_margin([sb.Price(2), 2])


def test_power_method_against_oracle():
    rng = random.Random(3)
    for _ in range(60):
        n = rng.choice([2, 3, 4, 6])
        prices = [sb.Price(Fraction(rng.randint(110, 1500), 100)) for _ in range(n)]
        fair = sb.remove_margin(prices, "power")
        assert isinstance(fair, list) and len(fair) == n
        assert abs(sum(fair) - 1) < 1e-9
        implied = [float(p.implied()) for p in prices]
        ks = [math.log(f) / math.log(q) for f, q in zip(fair, implied)]
        assert max(ks) - min(ks) < 1e-9
        assert (ks[0] > 1) == (sum(implied) > 1) or abs(sum(implied) - 1) < 1e-12
        assert sb.remove_margin(prices, "power") == fair


def test_power_method_equal_prices_and_input_untouched():
    prices = [sb.Price("2.8")] * 3
    snapshot = list(prices)
    fair = sb.remove_margin(prices, "power")
    assert fair[0] == fair[1] == fair[2]
    assert abs(fair[0] - 1 / 3) < 1e-9
    assert prices == snapshot
    fair.append(99)
    assert len(sb.remove_margin(prices, "power")) == 3


def test_remove_margin_accepts_generator():
    gen = (sb.Price(x) for x in ["1.8", "2.1"])
    assert sum(sb.remove_margin(gen)) == 1


# ---------------------------------------------------------------- feed and books

def test_parse_feed_against_oracle():
    lines, table, order = random_feed(11)
    books = sb.parse_feed(lines)
    assert oracle_table(books) == table
    for name, book in books.items():
        assert book.name == name
        assert [m.market_id for m in book.markets] == order[name]


def test_parse_feed_does_not_mutate_lines_and_repeats():
    lines, _, _ = random_feed(12)
    snapshot = copy.deepcopy(lines)
    first = sb.parse_feed(lines)
    second = sb.parse_feed(lines)
    assert lines == snapshot
    assert oracle_table(first) == oracle_table(second)
    assert first["Alpha"] is not second["Alpha"]


def test_parse_feed_accepts_text_and_existing_books():
    lines, table, _ = random_feed(13, n_lines=200, junk=False)
    books = sb.parse_feed("\n".join(lines[:100]))
    same = sb.parse_feed(lines[100:], books=books)
    assert same is books
    assert oracle_table(books) == table


def test_parse_feed_empty():
    assert sb.parse_feed([]) == {}
    assert sb.parse_feed(["", "# nothing", "   "]) == {}


def test_parse_feed_strict_errors_have_line_numbers():
    good = "Alpha | E00-1X2 | Home | 2.0"
    cases = [("Alpha | E00-1X2 | Home | 1.00", sb.PriceError),
             ("Alpha | E99-1X2 | Home | 2.0", None),
             ("Alpha | E00-1X2 | Nobody | 2.0", None),
             ("Alpha | E00-1X2 | 2.0", None),
             ("| E00-1X2 | Home | 2.0", ValueError)]
    for bad, cause in cases:
        with pytest.raises(sb.FeedError) as info:
            sb.parse_feed([good, "", bad, good], strict=True)
        assert info.value.line_no == 3
        assert "line 3" in str(info.value)
        if cause is not None:
            assert isinstance(info.value.__cause__, cause)


def test_parse_feed_non_string_line():
    with pytest.raises(TypeError):
        sb.parse_feed(["Alpha | E00-1X2 | Home | 2.0", 42])


def test_parse_feed_no_empty_book_for_bad_lines():
    books = sb.parse_feed(["Zeta | E00-1X2 | Home | 0.5", "Zeta | NOPE | Home | 2.0"])
    assert books == {}


def test_book_quote_and_lookup_after_many_markets():
    book = sb.Book("Solo")
    ids = list(sb.MARKETS)
    for i, market_id in enumerate(ids):
        book.quote(market_id, sb.MARKETS[market_id].selections[0], sb.Price(2 + i))
    for i, market_id in enumerate(ids):
        assert book.market(market_id).market_id == market_id
        assert book.price(market_id, sb.MARKETS[market_id].selections[0]) == sb.Price(2 + i)
    assert book.market("E00-NOPE") is None
    assert book.price("E00-NOPE", "Home") is None
    assert [m.market_id for m in book.markets] == ids
    with pytest.raises(KeyError):
        book.quote("E00-NOPE", "Home", sb.Price(2))
    with pytest.raises(ValueError):
        book.quote("E00-1X2", "Over 2.5", sb.Price(2))
    with pytest.raises(TypeError):
        book.quote("E00-1X2", "Home", 2)


def test_market_fair_probabilities_and_incomplete():
    books = sb.parse_feed(["A | E00-1X2 | Home | 2.0", "A | E00-1X2 | Draw | 4.0"])
    market = books["A"].market("E00-1X2")
    assert not market.is_complete()
    with pytest.raises(ValueError):
        market.overround()
    books = sb.parse_feed(["A | E00-1X2 | Away | 5.0", "A | E00-1X2 | Home | 2.0",
                           "A | E00-1X2 | Draw | 4.0"])
    market = books["A"].market("E00-1X2")
    fair = market.fair_probabilities()
    assert list(fair) == ["Home", "Draw", "Away"]
    assert sum(fair.values()) == 1
    fair["Home"] = 0
    assert market.fair_probabilities()["Home"] != 0


def test_register_market_validation():
    with pytest.raises(ValueError):
        sb.register_market("X1", "e", ["Only"], "2024-06-01")
    with pytest.raises(ValueError):
        sb.register_market("X1", "e", ["a", "A"], "2024-06-01")
    with pytest.raises(ValueError):
        sb.register_market("X1", "e", ["a", "b"], "June 1st")
    with pytest.raises(ValueError):
        sb.register_market("e00-1x2", "e", ["a", "b"], "2024-06-01")
    with pytest.raises(KeyError):
        sb.get_market("X1")
    spec = sb.register_market(" x 1 ", "e", ["a", "b"], "2024-06-01")
    assert spec.market_id == "X-1" and spec.selections == ("A", "B")


def test_clean_name_edge_cases():
    assert sb.clean_name("fortune-line") == "Fortune-line"
    assert sb.clean_name("  1-0 ") == "1-0"
    with pytest.raises(ValueError):
        sb.clean_name(" ** ")
    with pytest.raises(TypeError):
        sb.clean_name(None)


# ---------------------------------------------------------------- arbitrage and staking

def test_find_arbitrage_against_oracle():
    for seed in [1, 2, 3]:
        books = sb.parse_feed(full_feed(seed, spread=0.15))
        got = sb.find_arbitrage(books, total_stake=250)
        expected = oracle_arbitrage(books, Fraction(250))
        assert len(got) == len(expected) > 0
        for arb, (margin, market_id, legs, profit) in zip(got, expected):
            assert (arb.market_id, arb.margin, arb.profit) == (market_id, margin, profit)
            assert [(s, b, p.decimal) for s, b, p, _ in arb.legs] == legs
            assert sum(leg[3] for leg in arb.legs) == 250
            assert len({p.decimal * st for _, _, p, st in arb.legs}) == 1


def test_find_arbitrage_ties_and_min_margin():
    lines = []
    for market_id in ["E05-OU", "E01-OU", "E03-OU"]:
        lines += [f"Beta | {market_id} | Over 2.5 | 2.2", f"Alpha | {market_id} | Over 2.5 | 2.2",
                  f"Beta | {market_id} | Under 2.5 | 2.2"]
    books = sb.parse_feed(lines)
    arbs = sb.find_arbitrage(books)
    assert [a.market_id for a in arbs] == ["E01-OU", "E03-OU", "E05-OU"]
    assert all(a.legs[0][1] == "Alpha" for a in arbs)
    assert sb.find_arbitrage(books, min_margin=Fraction(1, 11)) == []
    assert len(sb.find_arbitrage(books, min_margin="0.09")) == 3


def test_find_arbitrage_does_not_mutate_and_fresh_results():
    books = sb.parse_feed(full_feed(4, spread=0.15))
    before = oracle_table(books)
    first = sb.find_arbitrage(books)
    first.clear()
    second = sb.find_arbitrage(books)
    assert second and second == sb.find_arbitrage(books)
    assert oracle_table(books) == before


def test_find_arbitrage_empty_and_bad_stake():
    assert sb.find_arbitrage({}) == []
    with pytest.raises(ValueError):
        sb.find_arbitrage({}, total_stake=0)


def test_best_prices_tie_goes_to_first_name_whatever_dict_order():
    lines = ["Zed | E00-OU | Over 2.5 | 2.0", "Ann | E00-OU | Over 2.5 | 2.0",
             "Max | E00-OU | Over 2.5 | 1.9"]
    books = sb.parse_feed(lines)
    reordered = {name: books[name] for name in ["Max", "Zed", "Ann"]}
    assert sb.best_prices(books, "E00-OU") == {"Over 2.5": (sb.Price(2), "Ann")}
    assert sb.best_prices(reordered, "E00-OU") == {"Over 2.5": (sb.Price(2), "Ann")}
    with pytest.raises(KeyError):
        sb.best_prices(books, "NOPE")


def test_all_quotes_fresh_and_ordered():
    books = sb.parse_feed(full_feed(5, books=["Gamma", "Alpha"]))
    quotes = sb.all_quotes(books)
    assert [q.bookmaker for q in quotes] == sorted(q.bookmaker for q in quotes)
    quotes.pop()
    assert len(sb.all_quotes(books)) == len(quotes) + 1


def test_kelly_fraction_types_and_errors():
    assert sb.kelly_fraction(sb.Price("2.5"), Fraction(1, 2)) == Fraction(1, 6)
    got = sb.kelly_fraction(sb.Price("2.5"), 0.5)
    assert isinstance(got, float) and abs(got - 1 / 6) < 1e-12
    zero = sb.kelly_fraction(sb.Price(2), 0.3)
    assert zero == 0 and math.copysign(1, zero) == 1
    with pytest.raises(ValueError):
        sb.kelly_fraction(sb.Price(2), 1.5)
    with pytest.raises(TypeError):
        sb.kelly_fraction(2, 0.5)


def test_consensus_probabilities():
    books = sb.parse_feed(full_feed(6))
    fair = sb.consensus_probabilities(books, "E02-1X2")
    assert list(fair) == ["Home", "Draw", "Away"]
    assert abs(sum(fair.values()) - 1) < 1e-9
    expected = {}
    for name in sorted(books):
        for sel, p in books[name].market("E02-1X2").fair_probabilities("power").items():
            expected[sel] = expected.get(sel, 0.0) + p
    for sel in fair:
        assert abs(fair[sel] - expected[sel] / len(books)) < 1e-12
    assert sb.consensus_probabilities({}, "E02-1X2") == {}


def test_value_bets_ordering_and_fresh():
    books = sb.parse_feed(full_feed(8, spread=0.2))
    ids = list(sb.MARKETS)
    bets = sb.value_bets(books, ids, min_edge=0.01, bankroll=1000.0)
    assert bets
    keys = [(-b.edge, b.market_id, b.selection, b.bookmaker) for b in bets]
    assert keys == sorted(keys)
    assert all(b.edge >= 0.01 and b.stake >= 0 for b in bets)
    bets.clear()
    assert sb.value_bets(books, ids, min_edge=0.01, bankroll=1000.0) == \
        sb.value_bets(books, ids, min_edge=0.01, bankroll=1000.0)
    with pytest.raises(ValueError):
        sb.value_bets(books, ids, bankroll=0)
    with pytest.raises(ValueError):
        sb.value_bets(books, ids, kelly_share=1.5)


# ---------------------------------------------------------------- slips and settlement

def test_settle_slips_against_oracle_with_duplicate_results():
    slips = random_slips(21)
    results = random_results(21, dup=0.3)
    settled = sb.settle_slips(slips, results)
    assert len(settled) == len(slips)
    for slip, s in zip(slips, settled):
        status, returns, day = oracle_settle(slip, results)
        assert (s.slip_id, s.bookmaker, s.status, s.returns, s.day) == (
            slip.slip_id, slip.bookmaker, status, returns, day)
        assert s.stake == slip.stake
        assert sb.settle_slip(slip, results) == s


def test_settle_slips_does_not_mutate_inputs():
    slips = random_slips(22, n=50)
    results = random_results(22)
    legs_before = [list(s.legs) for s in slips]
    results_before = list(results)
    sb.settle_slips(slips, results)
    assert [list(s.legs) for s in slips] == legs_before
    assert results == results_before


def test_settle_slips_empty_and_iterables():
    assert sb.settle_slips([], []) == []
    slips = random_slips(23, n=20)
    results = random_results(23)
    assert sb.settle_slips(iter(slips), iter(results)) == sb.settle_slips(slips, results)


def test_settle_errors():
    with pytest.raises(TypeError):
        sb.settle_slips([], ["E00-1X2 = Home"])
    with pytest.raises(sb.SlipError):
        sb.settle_slip(sb.Slip("S", "A", 1), [])
    with pytest.raises(sb.SlipError):
        sb.settle_slips([sb.Slip("S", "A", 1)], [])


def test_all_void_parlay_returns_stake():
    slip = sb.Slip("S", "A", "7.5", [sb.Leg("E00-1X2", "Home", sb.Price(2)),
                                     sb.Leg("E01-OU", "Over 2.5", sb.Price(2))])
    results = [sb.parse_result("E00-1X2 = VOID"), sb.parse_result("E01-OU = void")]
    s = sb.settle_slip(slip, results)
    assert (s.status, s.returns, s.profit) == ("void", Fraction(15, 2), 0)


def test_losing_leg_beats_pending_leg():
    slip = sb.Slip("S", "A", 1, [sb.Leg("E00-1X2", "Home", sb.Price(2)),
                                 sb.Leg("E01-1X2", "Home", sb.Price(2))])
    s = sb.settle_slip(slip, [sb.parse_result("E01-1X2 = Away")])
    assert s.status == "lost" and s.returns == 0


def test_slip_validation():
    with pytest.raises(TypeError):
        sb.Slip("S", "A", 2.5)
    with pytest.raises(sb.SlipError):
        sb.Slip("S", "A", 0)
    with pytest.raises(sb.SlipError):
        sb.Slip("S", "A", "-1")
    with pytest.raises(KeyError):
        sb.Slip("S", "A", 1, [sb.Leg("NOPE", "Home", sb.Price(2))])
    with pytest.raises(sb.SlipError):
        sb.Slip("S", "A", 1, [sb.Leg("E00-1X2", "Over 2.5", sb.Price(2))])
    with pytest.raises(TypeError):
        sb.Slip("S", "A", 1).add_leg(("E00-1X2", "Home", sb.Price(2)))
    with pytest.raises(sb.SlipError):
        sb.Slip("S", "A", 1).price()


def test_parse_result_errors_and_multiple_winners():
    r = sb.parse_result("E00-1X2 = home, draw")
    assert r.winners == frozenset({"Home", "Draw"}) and not r.void
    for bad in ["E00-1X2 Home", "E00-1X2 = ", " = Home"]:
        with pytest.raises(ValueError):
            sb.parse_result(bad)
    with pytest.raises(TypeError):
        sb.parse_result(None)


# ---------------------------------------------------------------- ledger and report

def test_build_ledger_against_oracle():
    settled = settled_sample(31)
    ledger = sb.build_ledger(settled)
    expected = oracle_ledger(settled)
    assert len(ledger) == len(expected)
    for row, (slip_id, day, pnl, balance, drawdown) in zip(ledger, expected):
        assert (row.slip_id, row.day) == (slip_id, day)
        assert (row.house_pnl, row.balance, row.drawdown) == (pnl, balance, drawdown)
        for value in (row.stake, row.house_pnl, row.balance, row.drawdown):
            assert value.as_tuple().exponent == -2


def test_build_ledger_equal_days_keep_input_order():
    settled = settled_sample(32)
    reversed_input = list(reversed(settled))
    ledger = sb.build_ledger(reversed_input)
    for day in DAYS:
        expected = [s.slip_id for s in reversed_input if s.day == day and s.status != "pending"]
        assert [r.slip_id for r in ledger if r.day == day] == expected


def test_build_ledger_does_not_mutate_and_fresh():
    settled = settled_sample(33)
    snapshot = list(settled)
    first = sb.build_ledger(settled)
    assert settled == snapshot
    first.clear()
    assert sb.build_ledger(settled) == sb.build_ledger(snapshot)
    assert sb.build_ledger(settled)


def test_ledger_drawdown_from_start():
    slips = [sb.Slip("S1", "A", 10, [sb.Leg("E00-1X2", "Home", sb.Price(3))]),
             sb.Slip("S2", "A", 10, [sb.Leg("E00-OU", "Over 2.5", sb.Price(2))]),
             sb.Slip("S3", "A", 50, [sb.Leg("E03-OU", "Over 2.5", sb.Price(2))])]
    results = [sb.parse_result("E00-1X2 = Home"), sb.parse_result("E00-OU = Under 2.5"),
               sb.parse_result("E03-OU = Under 2.5")]
    ledger = sb.build_ledger(sb.settle_slips(slips, results))
    assert [str(r.balance) for r in ledger] == ["-20.00", "-10.00", "40.00"]
    assert [str(r.drawdown) for r in ledger] == ["20.00", "10.00", "0.00"]


def test_build_ledger_errors_and_empty():
    assert sb.build_ledger([]) == []
    assert sb.daily_report([]) == []
    with pytest.raises(TypeError):
        sb.build_ledger([("S1", "won")])


def test_daily_report_against_ledger():
    settled = settled_sample(34)
    report = sb.daily_report(settled)
    ledger = sb.build_ledger(settled)
    assert [d.day for d in report] == sorted({r.day for r in ledger})
    for summary in report:
        rows = [r for r in ledger if r.day == summary.day]
        assert summary.slips == len(rows) == summary.won + summary.lost + summary.void
        assert summary.staked == sum(r.stake for r in rows)
        assert summary.house_pnl == sum(r.house_pnl for r in rows)
        assert summary.paid_out == summary.staked - summary.house_pnl
        assert summary.closing_balance == rows[-1].balance
        assert summary.max_drawdown == max(r.drawdown for r in rows)
    assert sb.daily_report(settled) == report


def test_money_rounding():
    assert sb.money(Fraction(1, 3)) == Decimal("0.33")
    assert sb.money(Fraction(5, 8)) == Decimal("0.63")
    assert sb.money(Decimal("2.345")) == Decimal("2.35")
    assert str(sb.money(2)) == "2.00"


def test_format_report_lines():
    report = sb.daily_report(settled_sample(35))
    text = sb.format_report(report)
    lines = text.splitlines()
    assert len(lines) == 2 + len(report)
    assert lines[0].split()[0] == "day"
    assert sb.format_report([]).count("\n") == 1
