"""The matching engine: accepts orders and cancels, fills them against the book."""

from __future__ import annotations

from orderbook.book import OrderBook
from orderbook.model import Order, Side, Trade


class Exchange:
    """A single-instrument exchange with price-time priority matching.

    Trades print at the resting order's price. An optional position limit rejects any order
    that could take its trader's net position beyond the limit if it filled completely.
    """

    def __init__(self, position_limit: int | None = None):
        if position_limit is not None and position_limit < 0:
            raise ValueError("position_limit must be >= 0")
        self.position_limit = position_limit
        self.book = OrderBook()
        self._orders: list[Order] = []
        self._order_ids: list[str] = []
        self._trades: list[Trade] = []
        self._rejected: list[Order] = []
        self._history: list[tuple[int, int | None, int | None]] = []

    @property
    def trades(self) -> list[Trade]:
        return list(self._trades)

    @property
    def rejected(self) -> list[Order]:
        return list(self._rejected)

    @property
    def history(self) -> list[tuple[int, int | None, int | None]]:
        """(timestamp, best bid, best ask) every time the top of the book changed."""
        return list(self._history)

    def submit(self, order: Order) -> list[Trade]:
        if not isinstance(order, Order):
            raise TypeError("submit expects an Order")
        if order.id in self._order_ids:
            raise ValueError(f"duplicate order id {order.id!r}")
        if order.filled or order.cancelled:
            raise ValueError(f"order {order.id!r} has already been used")
        self._order_ids.append(order.id)
        if not self._within_limit(order):
            self._rejected.append(order)
            return []
        self._orders.append(order)
        trades = self._match(order)
        if order.remaining > 0:
            self.book.add(order)
        self._record_top(order.timestamp)
        return trades

    def cancel(self, order_id: str, timestamp: int | None = None) -> Order:
        order = self.find(order_id)
        if order is None:
            raise KeyError(order_id)
        if not order.is_active:
            raise ValueError(f"order {order_id!r} is {order.status}, cannot cancel")
        self.book.remove(order)
        order.cancelled = True
        self._record_top(order.timestamp if timestamp is None else timestamp)
        return order

    def find(self, order_id: str) -> Order | None:
        for order in self._orders:
            if order.id == order_id:
                return order
        return None

    def position(self, trader: str) -> int:
        """Net quantity bought minus sold."""
        net = 0
        for trade in self._trades:
            if trade.buyer == trader:
                net += trade.quantity
            if trade.seller == trader:
                net -= trade.quantity
        return net

    def cash(self, trader: str) -> int:
        """Cents received from sales minus cents paid for purchases."""
        total = 0
        for trade in self._trades:
            if trade.seller == trader:
                total += trade.notional
            if trade.buyer == trader:
                total -= trade.notional
        return total

    def positions(self) -> dict[str, tuple[int, int]]:
        names = sorted({t.buyer for t in self._trades} | {t.seller for t in self._trades})
        return {name: (self.position(name), self.cash(name)) for name in names}

    def _within_limit(self, order: Order) -> bool:
        if self.position_limit is None:
            return True
        projected = self.position(order.trader) + order.side.sign * order.quantity
        return abs(projected) <= self.position_limit

    @staticmethod
    def _crosses(incoming: Order, resting: Order) -> bool:
        if incoming.side is Side.BUY:
            return incoming.price >= resting.price
        return incoming.price <= resting.price

    def _match(self, order: Order) -> list[Trade]:
        fills: list[Trade] = []
        contra = order.side.opposite
        while order.remaining > 0:
            resting = self.book.best(contra)
            if resting is None or not self._crosses(order, resting):
                break
            qty = min(order.remaining, resting.remaining)
            order.filled += qty
            resting.filled += qty
            buy, sell = (order, resting) if order.side is Side.BUY else (resting, order)
            trade = Trade(buy.id, sell.id, buy.trader, sell.trader, resting.price, qty,
                          order.timestamp, order.side)
            self._trades.append(trade)
            fills.append(trade)
            if resting.remaining == 0:
                self.book.remove(resting)
        return fills

    def _record_top(self, timestamp: int) -> None:
        bid, ask = self.book.best_prices()
        if self._history and self._history[-1][1:] == (bid, ask):
            return
        self._history.append((timestamp, bid, ask))
