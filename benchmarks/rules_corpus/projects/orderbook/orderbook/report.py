"""End-of-day report: prices, volume, VWAP, per-trader positions and top-of-book history."""

from __future__ import annotations

from orderbook.engine import Exchange
from orderbook.model import Trade


class DailyReport:
    def __init__(self, exchange: Exchange, title: str = "End of day"):
        self.title = title
        self.trades = exchange.trades
        self.history = exchange.history
        self.rejected = len(exchange.rejected)
        self.resting = len(exchange.book)

    @staticmethod
    def format_cents(cents: int | None) -> str:
        if cents is None:
            return "-"
        sign = "-" if cents < 0 else ""
        whole, frac = divmod(abs(cents), 100)
        return f"{sign}{whole:,}.{frac:02d}"

    @staticmethod
    def vwap(trades: list[Trade]) -> int | None:
        """Volume-weighted average price in cents, rounded half up; None without volume."""
        volume = sum(t.quantity for t in trades)
        if volume == 0:
            return None
        notional = sum(t.notional for t in trades)
        return (2 * notional + volume) // (2 * volume)

    @property
    def volume(self) -> int:
        return sum(t.quantity for t in self.trades)

    @property
    def notional(self) -> int:
        return sum(t.notional for t in self.trades)

    def ohlc(self) -> tuple[int, int, int, int] | None:
        if not self.trades:
            return None
        prices = [t.price for t in self.trades]
        return prices[0], max(prices), min(prices), prices[-1]

    def trader_rows(self) -> list[tuple[str, int, int, int, int, int | None, int | None]]:
        """(trader, bought, sold, net, cash, buy vwap, sell vwap), sorted by trader."""
        names = sorted({t.buyer for t in self.trades} | {t.seller for t in self.trades})
        rows = []
        for name in names:
            buys = [t for t in self.trades if t.buyer == name]
            sells = [t for t in self.trades if t.seller == name]
            bought = sum(t.quantity for t in buys)
            sold = sum(t.quantity for t in sells)
            cash = sum(t.notional for t in sells) - sum(t.notional for t in buys)
            rows.append((name, bought, sold, bought - sold, cash,
                         self.vwap(buys), self.vwap(sells)))
        return rows

    def top_of_book(self) -> dict[str, int | None]:
        spreads = [ask - bid for _, bid, ask in self.history
                   if bid is not None and ask is not None]
        last = self.history[-1] if self.history else (None, None, None)
        return {
            "changes": len(self.history),
            "one_sided": sum(1 for _, bid, ask in self.history if bid is None or ask is None),
            "widest": max(spreads) if spreads else None,
            "tightest": min(spreads) if spreads else None,
            "last_bid": last[1],
            "last_ask": last[2],
        }

    def quote_at(self, timestamp: int) -> tuple[int | None, int | None]:
        """The best bid and ask in force at `timestamp`."""
        current = (None, None)
        for ts, bid, ask in self.history:
            if ts > timestamp:
                break
            current = (bid, ask)
        return current

    def lines(self) -> list[str]:
        fmt = self.format_cents
        out = [f"== {self.title} =="]
        bar = self.ohlc()
        if bar is None:
            out.append("no trades")
        else:
            out.append("O {} H {} L {} C {}".format(*(fmt(p) for p in bar)))
        out.append(f"trades {len(self.trades)}  volume {self.volume}  "
                   f"notional {fmt(self.notional)}  vwap {fmt(self.vwap(self.trades))}")
        out.append(f"rejected {self.rejected}  resting {self.resting}")
        top = self.top_of_book()
        out.append(f"top of book: {top['changes']} changes, {top['one_sided']} one-sided, "
                   f"spread {fmt(top['tightest'])}..{fmt(top['widest'])}, "
                   f"close {fmt(top['last_bid'])} / {fmt(top['last_ask'])}")
        for name, bought, sold, net, cash, bv, sv in self.trader_rows():
            out.append(f"  {name:<10} +{bought:<6} -{sold:<6} net {net:>6}  cash {fmt(cash):>14}"
                       f"  buy@{fmt(bv)} sell@{fmt(sv)}")
        return out

    def render(self) -> str:
        return "\n".join(self.lines()) + "\n"
