import pytest

from auction import (
    bid_history,
    bidder_report,
    category_report,
    fee_statement,
    final_value_fee,
    format_money,
    increment,
    make_bid,
    make_lot,
    make_seller,
    parse_money,
    price_at,
    read_bids,
    resolve_lot,
    suspicious_bidders,
)

OPENS = "2024-01-01 10:00:00"
CLOSES = "2024-01-02 10:00:00"


def lot(lot_id="L1", seller="S1", category="Coins", start=1000, reserve=0):
    return make_lot(lot_id, seller, category, "  Old   coin ", start, reserve, OPENS, CLOSES)


def bids():
    return [
        make_bid(1, "L1", "alice", 2000, "2024-01-01 10:05:00"),
        make_bid(2, "L1", "bob", 1500, "2024-01-01 11:00:00"),
        make_bid(3, "L1", "carol", 3000, "2024-01-01 12:00:00"),
        make_bid(4, "L1", "bob", 1600, "2024-01-01 13:00:00"),
    ]


def test_money_and_increments():
    assert parse_money("1,234.5") == 123450
    assert parse_money("$12") == 1200
    assert format_money(123450) == "1,234.50"
    assert format_money(-5) == "-0.05"
    assert [increment(p) for p in (0, 99, 100, 2500, 10**7)] == [5, 5, 25, 100, 5000]


def test_make_lot_normalises():
    item = lot()
    assert item.category == "coins"
    assert item.title == "Old coin"


def test_proxy_bidding_winner():
    result = resolve_lot(lot(), bids())
    assert result.winner == "carol"
    assert result.price == 2050
    assert result.sold
    assert (result.bids, result.bidders) == (3, 3)


def test_history_prices():
    history = bid_history(lot(), bids())
    assert [(s.bidder, s.price, s.leader, s.accepted) for s in history] == [
        ("alice", 1000, "alice", True),
        ("bob", 1550, "alice", True),
        ("carol", 2050, "carol", True),
        ("bob", 2050, "carol", False),
    ]


def test_reserve():
    assert resolve_lot(lot(reserve=2500), bids()).price == 2500
    unsold = resolve_lot(lot(reserve=5000), bids())
    assert (unsold.sold, unsold.winner, unsold.price) == (False, None, 0)


def test_price_at():
    assert price_at(lot(), bids(), "2024-01-01 11:30:00") == 1550
    assert price_at(lot(), bids(), "2024-01-01 09:00:00") == 0


def test_fees():
    assert final_value_fee(5000) == 500
    assert final_value_fee(50000) == 3000
    assert final_value_fee(200000) == 7500
    sellers = [make_seller("S1", "Coin Shop", "plus")]
    results = [resolve_lot(lot(), bids())]
    (statement,) = fee_statement(sellers, [lot()], results)
    assert statement.gross == 2050
    assert statement.fees == 25 + 205 * 90 // 100
    assert statement.net == statement.gross - statement.fees


def test_reports():
    lots = [lot(), lot("L2", category="Stamps")]
    results = [resolve_lot(item, bids()) for item in lots]
    rows = category_report(lots, results)
    assert [(r.category, r.listed, r.sold, r.total) for r in rows] == [
        ("coins", 1, 1, 2050),
        ("stamps", 1, 0, 0),
    ]
    report = bidder_report(lots, bids(), results)
    assert [(r.bidder, r.bids, r.won, r.spent) for r in report] == [
        ("carol", 1, 1, 2050),
        ("alice", 1, 0, 0),
        ("bob", 2, 0, 0),
    ]


def test_read_bids():
    lines = ["# header", "", "7, L1, Alice, 1,250.00, 2024-01-01 10:00:00"]
    (bid,) = read_bids(lines)
    assert (bid.bid_id, bid.lot_id, bid.bidder, bid.amount) == (7, "L1", "alice", 125000)


def test_suspicious_self_and_rapid():
    sellers = [make_seller("S1", "Coin Shop")]
    rapid = [
        make_bid(10, "L1", "coin_shop", 1100, "2024-01-01 10:00:00"),
        make_bid(11, "L1", "dave", 1200, "2024-01-01 10:00:10"),
        make_bid(12, "L1", "dave", 1300, "2024-01-01 10:00:20"),
        make_bid(13, "L1", "dave", 1400, "2024-01-01 10:00:30"),
    ]
    results = [resolve_lot(lot(), rapid)]
    flags = suspicious_bidders(sellers, [lot()], rapid, results)
    assert [(f.bidder, f.reason, f.detail) for f in flags] == [
        ("coin_shop", "self", "L1"),
        ("dave", "rapid", "L1"),
    ]


def test_bad_input():
    with pytest.raises(ValueError):
        make_lot("L", "S", "c", "t", 100, 0, CLOSES, OPENS)
    with pytest.raises(ValueError):
        make_bid(1, "L1", "Bad Name", 100, OPENS)
    with pytest.raises(ValueError):
        parse_money("12.345")
