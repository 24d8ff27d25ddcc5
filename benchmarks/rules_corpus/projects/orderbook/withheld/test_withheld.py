import random

import pytest

from orderbook import DailyReport, Exchange, Order, OrderBook, Side


def make(id, trader, side, price, qty, ts=0):
    return Order(id, trader, side, price, qty, ts)


class BruteExchange:
    """A deliberately simple model of the exchange, used as the oracle."""

    def __init__(self, limit=None):
        self.limit = limit
        self.resting = []  # [arrival, id, trader, side, price, qty_left, ts]
        self.used = set()
        self.accepted = {}  # id -> [status, remaining]
        self.trades = []
        self.rejected = []
        self.history = []
        self.arrival = 0

    def pos(self, trader):
        return (sum(t[5] for t in self.trades if t[2] == trader)
                - sum(t[5] for t in self.trades if t[3] == trader))

    def top(self):
        bids = [r[4] for r in self.resting if r[3] == "buy"]
        asks = [r[4] for r in self.resting if r[3] == "sell"]
        return (max(bids) if bids else None, min(asks) if asks else None)

    def record(self, ts):
        top = self.top()
        if not self.history or self.history[-1][1:] != top:
            self.history.append((ts, *top))

    def submit(self, oid, trader, side, price, qty, ts):
        if oid in self.used:
            raise ValueError
        self.used.add(oid)
        sign = 1 if side == "buy" else -1
        if self.limit is not None and abs(self.pos(trader) + sign * qty) > self.limit:
            self.rejected.append(oid)
            return []
        out = []
        left = qty
        while left:
            if side == "buy":
                cands = [r for r in self.resting if r[3] == "sell" and r[4] <= price]
                cands.sort(key=lambda r: (r[4], r[6], r[0]))
            else:
                cands = [r for r in self.resting if r[3] == "buy" and r[4] >= price]
                cands.sort(key=lambda r: (-r[4], r[6], r[0]))
            if not cands:
                break
            best = cands[0]
            q = min(left, best[5])
            left -= q
            best[5] -= q
            if side == "buy":
                trade = (oid, best[1], trader, best[2], best[4], q, ts, side)
            else:
                trade = (best[1], oid, best[2], trader, best[4], q, ts, side)
            self.trades.append(trade)
            out.append(trade)
            if best[5] == 0:
                self.resting.remove(best)
                self.accepted[best[1]][0] = "done"
        self.accepted[oid] = ["live" if left else "done"]
        if left:
            self.arrival += 1
            self.resting.append([self.arrival, oid, trader, side, price, left, ts])
        self.record(ts)
        return out

    def cancel(self, oid, ts):
        if oid not in self.accepted:
            raise KeyError(oid)
        if self.accepted[oid][0] != "live":
            raise ValueError(oid)
        self.accepted[oid][0] = "cancelled"
        self.resting = [r for r in self.resting if r[1] != oid]
        self.record(ts)


def run_both(seed, n, limit, price_range, ts_jitter):
    rng = random.Random(seed)
    ex = Exchange(position_limit=limit)
    brute = BruteExchange(limit)
    traders = ["ann", "bob", "çé", "дима", "z"]
    ids = []
    for i in range(n):
        ts = max(0, i + rng.randint(-ts_jitter, ts_jitter))
        if ids and rng.random() < 0.25:
            oid = rng.choice(ids) if rng.random() < 0.9 else "ghost"
            outcomes = []
            for target in (ex, brute):
                try:
                    target.cancel(oid, ts)
                    outcomes.append("ok")
                except KeyError:
                    outcomes.append("key")
                except ValueError:
                    outcomes.append("value")
            assert outcomes[0] == outcomes[1], (seed, i, oid)
            continue
        side = rng.choice(["buy", "sell"])
        price = rng.randint(*price_range)
        qty = rng.randint(1, 9)
        trader = rng.choice(traders)
        oid = f"o{i}" if rng.random() < 0.97 or not ids else rng.choice(ids)
        got_err = want_err = None
        try:
            got = [t.as_tuple() for t in ex.submit(make(oid, trader, side, price, qty, ts))]
        except ValueError:
            got_err = True
        try:
            want = brute.submit(oid, trader, side, price, qty, ts)
        except ValueError:
            want_err = True
        assert got_err == want_err
        if not got_err:
            assert got == want
            ids.append(oid)
    return ex, brute


@pytest.mark.parametrize("seed,limit,price_range,jitter", [
    (1, None, (95, 105), 0),
    (2, 25, (98, 102), 3),
    (3, 12, (100, 101), 5),
    (4, None, (50, 150), 2),
])
def test_random_against_brute_force(seed, limit, price_range, jitter):
    ex, brute = run_both(seed, 700, limit, price_range, jitter)
    assert [t.as_tuple() for t in ex.trades] == brute.trades
    assert [o.id for o in ex.rejected] == brute.rejected
    assert ex.history == brute.history
    for trader in ["ann", "bob", "çé", "дима", "z", "nobody"]:
        assert ex.position(trader) == brute.pos(trader)
    resting = sorted(brute.resting, key=lambda r: (-r[4] if r[3] == "buy" else r[4], r[6], r[0]))
    for side in (Side.BUY, Side.SELL):
        want = [(r[1], r[5]) for r in resting if r[3] == side.value]
        assert [(o.id, o.remaining) for o in ex.book.orders(side)] == want
    bid, ask = ex.book.best_prices()
    assert bid is None or ask is None or bid < ask
    report = DailyReport(ex)
    for ts in range(-1, 720, 37):
        want_q = (None, None)
        for h in brute.history:
            if h[0] <= ts:
                want_q = h[1:]
            else:
                break
        assert report.quote_at(ts) == want_q


def test_empty_exchange_report():
    ex = Exchange()
    report = DailyReport(ex)
    assert report.ohlc() is None
    assert report.vwap([]) is None
    assert report.trader_rows() == []
    assert report.quote_at(100) == (None, None)
    assert ex.positions() == {}
    text = report.render()
    assert "no trades" in text and "vwap -" in text
    assert ex.book.best_prices() == (None, None)


def test_ties_on_price_and_timestamp():
    ex = Exchange()
    ex.submit(make("late", "a", "buy", 100, 1, ts=9))
    ex.submit(make("first", "b", "buy", 100, 1, ts=5))
    ex.submit(make("second", "c", "buy", 100, 1, ts=5))
    ex.submit(make("better", "d", "buy", 101, 1, ts=50))
    assert [o.id for o in ex.book.orders(Side.BUY)] == ["better", "first", "second", "late"]
    trades = ex.submit(make("hit", "e", "sell", 100, 4, ts=60))
    assert [t.buy_id for t in trades] == ["better", "first", "second", "late"]
    assert ex.book.best_bid is None


def test_cancel_and_requeue_goes_to_back():
    ex = Exchange()
    ex.submit(make("a", "x", "sell", 200, 2, 1))
    ex.submit(make("b", "y", "sell", 200, 2, 1))
    ex.cancel("a", 2)
    with pytest.raises(ValueError):
        ex.submit(make("a", "x", "sell", 200, 2, 1))
    ex.submit(make("a2", "x", "sell", 200, 2, 1))
    trades = ex.submit(make("buy", "z", "buy", 200, 3, 3))
    assert [(t.sell_id, t.quantity) for t in trades] == [("b", 2), ("a2", 1)]
    assert ex.find("a").status == "cancelled"
    assert ex.find("a2").status == "partial"
    with pytest.raises(ValueError):
        ex.cancel("b")
    assert ex.cancel("a2").remaining == 1
    assert len(ex.book) == 0


def test_bad_input_raises():
    ex = Exchange()
    with pytest.raises(TypeError):
        ex.submit(("a", "x", "buy", 1, 1))
    with pytest.raises(TypeError):
        make("a", "x", "buy", True, 1)
    with pytest.raises(ValueError):
        make("a", "x", "buy", -5, 1)
    with pytest.raises(ValueError):
        make("", "x", "buy", 5, 1)
    with pytest.raises(ValueError):
        make("a", "   ", "buy", 5, 1)
    with pytest.raises(ValueError):
        make("a", "x", "buy", 5, 1, ts=-1)
    with pytest.raises(ValueError):
        Order.cents("-1.00")
    with pytest.raises(ValueError):
        Order.cents("1.234")
    with pytest.raises(ValueError):
        Order.cents("1,00")
    with pytest.raises(ValueError):
        Side.parse(1)
    with pytest.raises(ValueError):
        Exchange(position_limit=-1)
    book = OrderBook()
    order = make("a", "x", "buy", 5, 1)
    with pytest.raises(KeyError):
        book.remove(order)
    book.add(order)
    with pytest.raises(ValueError):
        book.add(make("a", "y", "sell", 9, 1))
    with pytest.raises(ValueError):
        book.depth(Side.BUY, -1)
    used = make("u", "x", "buy", 5, 1)
    used.cancelled = True
    with pytest.raises(ValueError):
        book.add(used)
    with pytest.raises(ValueError):
        ex.submit(used)


def test_returned_collections_are_copies_and_report_is_a_snapshot():
    ex = Exchange()
    ex.submit(make("s", "bob", "sell", 100, 5, 1))
    ex.submit(make("b", "amy", "buy", 100, 2, 2))
    trades = ex.trades
    trades.clear()
    history = ex.history
    history.append((99, 1, 2))
    ex.book.orders(Side.SELL).clear()
    assert len(ex.trades) == 1
    assert ex.history == [(1, None, 100)]
    assert ex.book.best_ask.id == "s"
    report = DailyReport(ex)
    before = report.render()
    ex.submit(make("b2", "amy", "buy", 100, 3, 3))
    assert report.render() == before
    assert DailyReport(ex).volume == 5
    assert ex.position("bob") == -5


def test_mutations_between_calls():
    ex = Exchange(position_limit=10)
    ex.submit(make("s1", "bob", "sell", 100, 6, 1))
    ex.submit(make("b1", " amy ", "buy", 100, 6, 2))
    assert ex.position("amy") == 6
    ex.position_limit = 5
    assert ex.submit(make("b2", "amy", "buy", 90, 1, 3)) == []
    ex.position_limit = None
    assert ex.submit(make("b3", "amy", "buy", 90, 50, 4)) == []
    assert ex.book.best_bid.id == "b3"
    ex.cancel("b3")
    ex.submit(make("b4", "amy", "buy", 95, 1, 5))
    assert "b3" not in ex.book and "b4" in ex.book
    assert ex.book.best_bid.id == "b4"
    assert ex.find("b3").status == "cancelled"
    assert ex.position("amy") == 6


def test_unicode_negative_formatting_and_rounding():
    ex = Exchange()
    ex.submit(make("s1", "Zoë", "sell", 101, 1, 1))
    ex.submit(make("s2", "Zoë", "sell", 102, 1, 1))
    ex.submit(make("b1", "李", "buy", 102, 2, 2))
    report = DailyReport(ex)
    assert report.vwap(report.trades) == 102  # 101.5 rounds half up
    rows = {r[0]: r for r in report.trader_rows()}
    assert rows["李"] == ("李", 2, 0, 2, -203, 102, None)
    assert rows["Zoë"][3:5] == (-2, 203)
    assert DailyReport.format_cents(-203) == "-2.03"
    assert DailyReport.format_cents(-5) == "-0.05"
    assert DailyReport.format_cents(0) == "0.00"
    assert DailyReport.format_cents(None) == "-"
    assert "李" in report.render()


def test_sweep_many_levels_then_rest():
    ex = Exchange()
    for i in range(30):
        ex.submit(make(f"a{i}", f"m{i % 3}", "sell", 1000 + i % 10, 1, i))
    trades = ex.submit(make("big", "t", "buy", 1004, 100, 100))
    assert len(trades) == 15
    assert [t.price for t in trades] == sorted(t.price for t in trades)
    assert [t.sell_id for t in trades[:3]] == ["a0", "a10", "a20"]
    assert ex.book.best_bid.remaining == 85
    assert ex.book.best_prices() == (1004, 1005)
    assert ex.book.depth(Side.SELL, 1) == [(1005, 3)]
    assert sum(q for _, q in ex.book.depth(Side.SELL, 100)) == 15
