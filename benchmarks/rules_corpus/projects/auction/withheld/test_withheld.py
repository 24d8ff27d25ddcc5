import random
from collections import Counter, defaultdict
from datetime import datetime, timedelta

import pytest

from auction import (
    bid_history,
    bidder_report,
    bids_for_lot,
    category_report,
    fee_statement,
    final_value_fee,
    increment,
    lot_fee,
    make_bid,
    make_lot,
    make_seller,
    parse_money,
    price_at,
    read_bids,
    report_lines,
    resolve_all,
    resolve_lot,
    suspicious_bidders,
)

OPENS = "2024-01-01 10:00:00"
CLOSES = "2024-01-02 10:00:00"
FMT = "%Y-%m-%d %H:%M:%S"


def lot(lot_id="L1", seller="S1", category="coins", start=1000, reserve=0):
    return make_lot(lot_id, seller, category, "Thing", start, reserve, OPENS, CLOSES)


def bid(bid_id, bidder, amount, placed="2024-01-01 12:00:00", lot_id="L1"):
    return make_bid(bid_id, lot_id, bidder, amount, placed)


# --- a plain reference implementation of proxy bidding -------------------------------


def ref_increment(price):
    table = [(500000, 5000), (100000, 2500), (50000, 1000), (25000, 500), (10000, 250),
             (2500, 100), (500, 50), (100, 25)]
    for floor, size in table:
        if price >= floor:
            return size
    return 5


def ref_resolve(item, bids):
    opens, closes = datetime.strptime(item.opens, FMT), datetime.strptime(item.closes, FMT)
    mine = [b for b in bids if b.lot_id == item.lot_id
            and opens <= datetime.strptime(b.placed, FMT) < closes]
    mine.sort(key=lambda b: (datetime.strptime(b.placed, FMT), b.bid_id))
    leader, top, price = None, 0, item.start_price
    accepted, names = 0, set()
    for b in mine:
        if b.bidder == leader:
            if b.amount > top:
                top = b.amount
                accepted += 1
                names.add(b.bidder)
            continue
        need = item.start_price if leader is None else price + ref_increment(price)
        if b.amount < need:
            continue
        accepted += 1
        names.add(b.bidder)
        if leader is None:
            leader, top, price = b.bidder, b.amount, item.start_price
        elif b.amount > top:
            price = min(b.amount, top + ref_increment(top))
            leader, top = b.bidder, b.amount
        else:
            price = min(top, b.amount + ref_increment(b.amount))
    sold = leader is not None and top >= item.reserve
    return (item.lot_id, leader if sold else None, max(price, item.reserve) if sold else 0,
            sold, accepted, len(names))


def random_market(seed, n_lots=25, n_bids=400, n_bidders=15, n_sellers=5):
    rng = random.Random(seed)
    start = datetime(2024, 5, 1)
    lots = []
    for i in range(n_lots):
        opens = start + timedelta(minutes=rng.randrange(0, 600))
        closes = opens + timedelta(minutes=rng.randrange(30, 600))
        price = rng.choice((5, 100, 990, 2500, 10000))
        lots.append(make_lot(f"L{i}", f"S{rng.randrange(n_sellers)}", rng.choice("abcd"),
                             f"t{i}", price, rng.choice((0, price * 4)),
                             opens.strftime(FMT), closes.strftime(FMT)))
    bids = []
    for _ in range(n_bids):
        item = rng.choice(lots)
        when = start + timedelta(minutes=rng.randrange(-30, 1300))
        bids.append(make_bid(rng.randrange(1000), item.lot_id, f"u{rng.randrange(n_bidders):02d}",
                             rng.randint(1, item.start_price * 8), when.strftime(FMT)))
    sellers = [make_seller(f"S{i}", f"Seller {i}", rng.choice(("basic", "plus", "pro")))
               for i in range(n_sellers)]
    return sellers, lots, bids


# --- tests -------------------------------------------------------------------------------


def test_empty_inputs():
    assert resolve_all([], []) == []
    assert category_report([], []) == []
    assert bidder_report([], [], []) == []
    assert fee_statement([], [], []) == []
    assert suspicious_bidders([], [], [], []) == []
    assert read_bids([]) == []
    result = resolve_lot(lot(), [])
    assert (result.winner, result.price, result.sold, result.bids, result.bidders) == (
        None, 0, False, 0, 0)
    assert bid_history(lot(), []) == []
    assert price_at(lot(), [], CLOSES) == 0
    assert report_lines([], [])[1:] == ["top 5 bidders"]


def test_bad_input_types():
    with pytest.raises(ValueError):
        make_lot("L", "S", "c", "t", 0, 0, OPENS, CLOSES)
    with pytest.raises(ValueError):
        make_lot("L", "S", "c", "t", 10, -1, OPENS, CLOSES)
    with pytest.raises(ValueError):
        make_lot("L", "S", "c", "t", 10, 0, OPENS, OPENS)
    with pytest.raises(ValueError):
        make_lot("L", "S", "c", "t", 10, 0, "2024-01-01", CLOSES)
    with pytest.raises(ValueError):
        make_bid(1, "L1", "bob", 100, "2024-01-01T10:00:00")
    with pytest.raises(ValueError):
        make_bid(1, "L1", "bob", 0, OPENS)
    with pytest.raises(ValueError):
        make_bid(1, "L1", "x" * 25, 10, OPENS)
    with pytest.raises(ValueError):
        make_seller("S", "Name", "gold")
    with pytest.raises(ValueError):
        make_seller("S", "   ")
    for text in ("", "1,23", "12.", "abc", "1.234", "-5"):
        with pytest.raises(ValueError):
            parse_money(text)
    with pytest.raises(ValueError):
        read_bids(["1,L1,bob"])
    with pytest.raises(ValueError):
        resolve_all([lot(), lot()], [])


def test_lookup_errors():
    sellers = [make_seller("S1", "One")]
    results = resolve_all([lot(seller="S9")], [])
    with pytest.raises(KeyError):
        fee_statement(sellers, [lot(seller="S9")], results)
    with pytest.raises(KeyError):
        lot_fee(lot(seller="S9"), results[0], sellers)
    with pytest.raises(KeyError):
        bidder_report([lot()], [bid(1, "bob", 5000, lot_id="L7")], [])
    with pytest.raises(KeyError):
        suspicious_bidders(sellers, [lot()], [bid(1, "bob", 5000, lot_id="L7")], [])


def test_money_edges():
    assert parse_money(" 0.5 ") == 50
    assert parse_money("1,000,000") == 100000000
    assert parse_money("007.05") == 705
    assert final_value_fee(0) == 0
    assert final_value_fee(5) == 1
    assert final_value_fee(4) == 0
    assert final_value_fee(10000) == 1000
    assert final_value_fee(100000) == 5500
    assert [increment(p) for p in (499, 500, 24999, 25000, 99999, 100000, 499999)] == [
        25, 50, 250, 500, 1000, 2500, 2500]


def test_tie_goes_to_earlier_bid():
    noon = "2024-01-01 11:00:00"
    bids = [bid(2, "bob", 2000, noon), bid(1, "alice", 2000, noon)]
    result = resolve_lot(lot(), bids)
    assert (result.winner, result.price) == ("alice", 2000)
    later = [bid(1, "alice", 2000, "2024-01-01 12:00:00"), bid(2, "bob", 2000, noon)]
    assert resolve_lot(lot(), later).winner == "bob"


def test_window_edges_and_other_lots():
    bids = [
        bid(1, "early", 9000, "2024-01-01 09:59:59"),
        bid(2, "first", 1500, OPENS),
        bid(3, "late", 9000, CLOSES),
        bid(4, "other", 9000, "2024-01-01 12:00:00", lot_id="L2"),
        bid(5, "second", 1200, "2024-01-02 09:59:59"),
    ]
    assert [b.bid_id for b in bids_for_lot(bids, lot())] == [2, 5]
    assert [b.bid_id for b in bids] == [1, 2, 3, 4, 5]
    result = resolve_lot(lot(), bids)
    assert (result.winner, result.price) == ("first", 1250)


def test_leader_raises_own_maximum():
    bids = [bid(1, "alice", 1500, "2024-01-01 11:00:00"),
            bid(2, "alice", 1400, "2024-01-01 11:01:00"),
            bid(3, "alice", 4000, "2024-01-01 11:02:00"),
            bid(4, "bob", 3000, "2024-01-01 11:03:00")]
    history = bid_history(lot(), bids)
    assert [(s.accepted, s.price) for s in history] == [
        (True, 1000), (False, 1000), (True, 1000), (True, 3100)]
    result = resolve_lot(lot(reserve=3500), bids)
    assert (result.winner, result.price, result.bids, result.bidders) == ("alice", 3500, 3, 2)


def test_below_start_price_ignored():
    bids = [bid(1, "alice", 999), bid(2, "bob", 1000, "2024-01-01 13:00:00")]
    result = resolve_lot(lot(), bids)
    assert (result.winner, result.price, result.bids) == ("bob", 1000, 1)


def test_results_follow_mutated_inputs():
    lots = [lot(), lot("L2")]
    bids = [bid(1, "alice", 2000)]
    first = resolve_all(lots, bids)
    assert first[0].winner == "alice"
    bids.append(bid(2, "bob", 5000, "2024-01-01 13:00:00"))
    second = resolve_all(lots, bids)
    assert (second[0].winner, second[0].price) == ("bob", 2050)
    assert price_at(lots[0], bids, "2024-01-01 12:30:00") == 1000
    bids[1] = bid(2, "bob", 5000, "2024-01-01 12:15:00")
    assert price_at(lots[0], bids, "2024-01-01 12:30:00") == 2050
    lots.append(lot("L3", category="stamps"))
    bids.append(bid(3, "carol", 3000, lot_id="L3"))
    results = resolve_all(lots, bids)
    report = category_report(lots, results)
    assert [(r.category, r.sold) for r in report] == [("coins", 1), ("stamps", 1)]
    rows = bidder_report(lots, bids, results)
    assert [(r.bidder, r.spent) for r in rows] == [("bob", 2050), ("carol", 1000), ("alice", 0)]
    assert [r.bidder for r in rows] == ["bob", "carol", "alice"]
    bids.pop()
    rows = bidder_report(lots, bids, resolve_all(lots, bids))
    assert [r.bidder for r in rows] == ["bob", "alice"]


def test_fee_statement_follows_seller_changes():
    lots = [lot(), lot("L2", start=100)]
    bids = [bid(1, "alice", 20000), bid(2, "bob", 200, lot_id="L2")]
    results = resolve_all(lots, bids)
    sellers = [make_seller("S1", "Shop", "basic")]
    (before,) = fee_statement(sellers, lots, results)
    sellers[0] = make_seller("S1", "Shop", "pro")
    (after,) = fee_statement(sellers, lots, results)
    assert before.fees == 50 * 2 + final_value_fee(1000) + final_value_fee(100)
    assert after.fees == (final_value_fee(1000) * 75 // 100 + final_value_fee(100) * 75 // 100)
    assert (after.listed, after.sold, after.gross) == (2, 2, 1100)


def test_category_report_median_and_missing_results():
    lots = [lot(f"L{i}", start=100 * (i + 1)) for i in range(4)] + [lot("L9", category="art")]
    bids = [bid(i + 1, "alice", 100 * (i + 1), lot_id=f"L{i}") for i in range(4)]
    results = resolve_all(lots[:4], bids)
    rows = category_report(lots, results)
    assert rows[0] == ("art", 1, 0, 0, 0, 0, None)
    assert rows[1] == ("coins", 4, 4, 1000, 250, 250, "Thing")
    assert category_report(lots[:3], results)[0].median == 200


def test_suspicious_shill_and_no_flags_for_winners():
    lots = [lot(f"L{i}", seller="S1") for i in range(5)] + [lot("L9", seller="S2")]
    bids = [bid(i + 1, "shill", 1000, lot_id=f"L{i}") for i in range(5)]
    bids += [bid(10 + i, "buyer", 9000, "2024-01-01 13:00:00", lot_id=f"L{i}") for i in range(5)]
    sellers = [make_seller("S1", "One"), make_seller("S2", "Two")]
    flags = suspicious_bidders(sellers, lots, bids, resolve_all(lots, bids))
    assert flags == [("shill", "shill", "S1x5")]
    bids.append(bid(99, "shill", 99999, "2024-01-01 14:00:00", lot_id="L0"))
    assert suspicious_bidders(sellers, lots, bids, resolve_all(lots, bids)) == []


def test_rapid_window_boundary():
    bids = [bid(1, "dave", 1100, "2024-01-01 10:00:00"),
            bid(2, "dave", 1200, "2024-01-01 10:00:30"),
            bid(3, "dave", 1300, "2024-01-01 10:01:00"),
            bid(4, "erin", 1400, "2024-01-01 10:00:01"),
            bid(5, "erin", 1500, "2024-01-01 10:00:02")]
    sellers = [make_seller("S1", "Zed")]
    results = resolve_all([lot()], bids)
    assert [f.bidder for f in suspicious_bidders(sellers, [lot()], bids, results)] == ["dave"]
    assert suspicious_bidders(sellers, [lot()], bids, results, window=59) == []


def test_read_bids_from_generator():
    lines = (f"{i},L1,user{i},{i}.50,2024-01-01 10:00:0{i}" for i in range(1, 4))
    bids = read_bids(lines)
    assert [(b.bid_id, b.bidder, b.amount) for b in bids] == [
        (1, "user1", 150), (2, "user2", 250), (3, "user3", 350)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_markets_match_reference(seed):
    sellers, lots, bids = random_market(seed)
    results = resolve_all(lots, bids)
    assert [(r.lot_id, r.winner, r.price, r.sold, r.bids, r.bidders) for r in results] == [
        ref_resolve(item, bids) for item in lots]
    by_lot = {r.lot_id: r for r in results}
    expected = defaultdict(lambda: [0, 0, 0])
    for item in lots:
        row = expected[item.category]
        row[0] += 1
        if by_lot[item.lot_id].sold:
            row[1] += 1
            row[2] += by_lot[item.lot_id].price
    assert [(r.category, r.listed, r.sold, r.total) for r in category_report(lots, results)] == [
        (name, *expected[name]) for name in sorted(expected)]
    category = {item.lot_id: item.category for item in lots}
    count, lots_of, cats = Counter(), defaultdict(set), defaultdict(Counter)
    for b in bids:
        count[b.bidder] += 1
        lots_of[b.bidder].add(b.lot_id)
        cats[b.bidder][category[b.lot_id]] += 1
    spent = Counter()
    won = Counter()
    for r in results:
        if r.winner:
            spent[r.winner] += r.price
            won[r.winner] += 1
    want = sorted(((name, count[name], len(lots_of[name]), won[name], spent[name],
                    sorted(cats[name].items(), key=lambda kv: (-kv[1], kv[0]))[0][0])
                   for name in count), key=lambda row: (-row[4], row[0]))
    assert [tuple(row) for row in bidder_report(lots, bids, results)] == want
    statements = fee_statement(sellers, lots, results)
    assert sum(s.gross for s in statements) == sum(r.price for r in results)
    tiers = {s.seller_id: s.tier for s in sellers}
    assert [s.fees for s in statements] == [
        sum(lot_fee(item, by_lot[item.lot_id], sellers) for item in lots if item.seller_id == sid)
        for sid in sorted(tiers) if any(item.seller_id == sid for item in lots)]


def test_price_at_matches_truncated_replay():
    _, lots, bids = random_market(11, n_lots=6, n_bids=150)
    for item in lots:
        for minute in range(0, 1300, 97):
            moment = (datetime(2024, 5, 1) + timedelta(minutes=minute)).strftime(FMT)
            early = [b for b in bids if b.placed <= moment]
            ref = ref_resolve(item._replace(reserve=0), early)
            assert price_at(item, bids, moment) == ref[2]
