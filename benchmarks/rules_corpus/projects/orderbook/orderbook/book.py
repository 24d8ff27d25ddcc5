"""The resting side of the market: bids and asks waiting for a counterparty."""

from __future__ import annotations

from orderbook.model import Order, Side


class OrderBook:
    """Resting limit orders for one instrument, in price-time priority.

    Bids rank by highest price, asks by lowest; equal prices rank by timestamp and then by
    the order in which they reached the book.
    """

    def __init__(self):
        self._bids: list[Order] = []
        self._asks: list[Order] = []

    @staticmethod
    def _bid_key(order: Order) -> tuple[int, int]:
        return (-order.price, order.timestamp)

    @staticmethod
    def _ask_key(order: Order) -> tuple[int, int]:
        return (order.price, order.timestamp)

    def _orders_for(self, side: Side) -> list[Order]:
        return self._bids if side is Side.BUY else self._asks

    def _key_for(self, side: Side):
        return self._bid_key if side is Side.BUY else self._ask_key

    def _locate(self, order_id: str) -> tuple[list[Order], int] | None:
        for orders in (self._bids, self._asks):
            for i, resting in enumerate(orders):
                if resting.id == order_id:
                    return orders, i
        return None

    def __len__(self) -> int:
        return len(self._bids) + len(self._asks)

    def __contains__(self, order_id: str) -> bool:
        return self._locate(order_id) is not None

    def add(self, order: Order) -> None:
        if not order.is_active:
            raise ValueError(f"order {order.id!r} has nothing left to rest")
        if self._locate(order.id) is not None:
            raise ValueError(f"order {order.id!r} is already in the book")
        self._orders_for(order.side).append(order)

    def remove(self, order: Order) -> Order:
        found = self._locate(order.id)
        if found is None:
            raise KeyError(order.id)
        orders, i = found
        return orders.pop(i)

    def best(self, side: Side) -> Order | None:
        orders = self._orders_for(side)
        if not orders:
            return None
        return min(orders, key=self._key_for(side))

    @property
    def best_bid(self) -> Order | None:
        return self.best(Side.BUY)

    @property
    def best_ask(self) -> Order | None:
        return self.best(Side.SELL)

    def best_prices(self) -> tuple[int | None, int | None]:
        bid, ask = self.best_bid, self.best_ask
        return (bid.price if bid else None, ask.price if ask else None)

    def orders(self, side: Side) -> list[Order]:
        """The resting orders of one side, best first."""
        return sorted(self._orders_for(side), key=self._key_for(side))

    def depth(self, side: Side, levels: int = 5) -> list[tuple[int, int]]:
        """(price, total remaining quantity) for the best `levels` price levels."""
        if levels < 0:
            raise ValueError("levels must be >= 0")
        result: list[tuple[int, int]] = []
        for order in self.orders(side):
            if result and result[-1][0] == order.price:
                result[-1] = (order.price, result[-1][1] + order.remaining)
            elif len(result) == levels:
                break
            else:
                result.append((order.price, order.remaining))
        return result
