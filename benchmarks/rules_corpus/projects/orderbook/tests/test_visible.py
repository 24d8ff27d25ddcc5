import pytest

from orderbook import DailyReport, Exchange, Order, OrderBook, Side


def make(id, trader, side, price, qty, ts=0):
    return Order(id, trader, side, price, qty, ts)


def test_side_parse_and_opposite():
    assert Side.parse("BUY") is Side.BUY
    assert Side.parse(" ask ") is Side.SELL
    assert Side.BUY.opposite is Side.SELL
    assert Side.SELL.sign == -1
    with pytest.raises(ValueError):
        Side.parse("hold")


def test_order_validation_and_parsing():
    with pytest.raises(TypeError):
        make("a", "alice", "buy", 10.5, 1)
    with pytest.raises(ValueError):
        make("a", "alice", "buy", 100, 0)
    assert Order.cents("101.25") == 10125
    assert Order.cents("99") == 9900
    assert Order.cents("3.5") == 350
    order = make("x1", " bob ", "s", Order.cents("12.30"), 7, 4)
    assert (order.trader, order.side, order.quantity, order.price) == ("bob", Side.SELL, 7, 1230)
    assert (order.status, order.remaining, order.is_active) == ("open", 7, True)


def test_simple_cross_trades_at_resting_price():
    ex = Exchange()
    assert ex.submit(make("b1", "alice", "buy", 1000, 10, 1)) == []
    trades = ex.submit(make("s1", "bob", "sell", 990, 4, 2))
    assert [(t.buy_id, t.sell_id, t.price, t.quantity) for t in trades] == [("b1", "s1", 1000, 4)]
    assert ex.book.best_bid.remaining == 6
    assert ex.book.best_ask is None


def test_price_then_time_priority():
    ex = Exchange()
    ex.submit(make("a1", "ann", "sell", 1010, 5, 1))
    ex.submit(make("a2", "ben", "sell", 1005, 5, 2))
    ex.submit(make("a3", "cat", "sell", 1005, 5, 3))
    trades = ex.submit(make("b1", "dan", "buy", 1010, 12, 4))
    assert [(t.sell_id, t.price, t.quantity) for t in trades] == [
        ("a2", 1005, 5), ("a3", 1005, 5), ("a1", 1010, 2)]
    assert ex.book.best_ask.id == "a1"
    assert ex.book.best_ask.remaining == 3


def test_unfilled_remainder_rests():
    ex = Exchange()
    ex.submit(make("s1", "bob", "sell", 500, 3, 1))
    ex.submit(make("b1", "amy", "buy", 510, 8, 2))
    assert ex.book.best_bid.id == "b1"
    assert ex.book.best_bid.remaining == 5
    assert ex.book.best_prices() == (510, None)


def test_cancel():
    ex = Exchange()
    ex.submit(make("b1", "amy", "buy", 900, 3, 1))
    ex.submit(make("b2", "amy", "buy", 905, 3, 2))
    cancelled = ex.cancel("b2")
    assert cancelled.status == "cancelled"
    assert ex.book.best_bid.id == "b1"
    with pytest.raises(ValueError):
        ex.cancel("b2")
    with pytest.raises(KeyError):
        ex.cancel("nope")


def test_duplicate_id_rejected():
    ex = Exchange()
    ex.submit(make("x", "amy", "buy", 900, 3))
    with pytest.raises(ValueError):
        ex.submit(make("x", "bob", "sell", 950, 3))


def test_positions_and_cash():
    ex = Exchange()
    ex.submit(make("s1", "bob", "sell", 1000, 10, 1))
    ex.submit(make("b1", "amy", "buy", 1000, 4, 2))
    ex.submit(make("b2", "cy", "buy", 1000, 6, 3))
    assert ex.position("amy") == 4
    assert ex.position("bob") == -10
    assert ex.cash("bob") == 10000
    assert ex.positions() == {"amy": (4, -4000), "bob": (-10, 10000), "cy": (6, -6000)}


def test_position_limit_rejects():
    ex = Exchange(position_limit=10)
    ex.submit(make("s1", "bob", "sell", 1000, 8, 1))
    ex.submit(make("b1", "amy", "buy", 1000, 8, 2))
    assert ex.submit(make("b2", "amy", "buy", 1000, 3, 3)) == []
    assert [o.id for o in ex.rejected] == ["b2"]
    assert "b2" not in ex.book


def test_history_tracks_top_of_book():
    ex = Exchange()
    ex.submit(make("b1", "amy", "buy", 990, 1, 1))
    ex.submit(make("b0", "amy", "buy", 980, 1, 2))
    ex.submit(make("s1", "bob", "sell", 1000, 1, 3))
    ex.cancel("b1", 4)
    assert ex.history == [(1, 990, None), (3, 990, 1000), (4, 980, 1000)]


def test_depth():
    book = OrderBook()
    book.add(make("a", "x", "sell", 101, 2))
    book.add(make("b", "y", "sell", 100, 3))
    book.add(make("c", "z", "sell", 101, 4))
    book.add(make("d", "z", "sell", 105, 1))
    assert book.depth(Side.SELL, 2) == [(100, 3), (101, 6)]
    assert book.depth(Side.BUY) == []


def test_report():
    ex = Exchange()
    ex.submit(make("s1", "bob", "sell", 1000, 1, 1))
    ex.submit(make("s2", "bob", "sell", 1003, 2, 2))
    ex.submit(make("b1", "amy", "buy", 1010, 3, 3))
    report = DailyReport(ex)
    assert report.vwap(report.trades) == 1002
    assert report.ohlc() == (1000, 1003, 1000, 1003)
    assert DailyReport.format_cents(123456) == "1,234.56"
    assert report.trader_rows()[0] == ("amy", 3, 0, 3, -3006, 1002, None)
    assert "vwap 10.02" in report.render()
