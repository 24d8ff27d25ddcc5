"""Orders, trades and the side of the book they sit on. Prices are integer cents."""

from __future__ import annotations

from enum import Enum


class Side(Enum):
    BUY = "buy"
    SELL = "sell"

    @property
    def opposite(self) -> Side:
        return Side.SELL if self is Side.BUY else Side.BUY

    @property
    def sign(self) -> int:
        return 1 if self is Side.BUY else -1

    @classmethod
    def parse(cls, value) -> Side:
        if isinstance(value, Side):
            return value
        if isinstance(value, str):
            text = value.strip().lower()
            if text in ("buy", "b", "bid"):
                return cls.BUY
            if text in ("sell", "s", "ask", "offer"):
                return cls.SELL
        raise ValueError(f"unknown side: {value!r}")


def _check_int(name: str, value, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value


class Order:
    """A limit order. `filled` and `cancelled` change as the order lives in the book."""

    __slots__ = ("id", "trader", "side", "price", "quantity", "timestamp", "filled", "cancelled")

    def __init__(self, id: str, trader: str, side, price: int, quantity: int, timestamp: int = 0):
        if not isinstance(id, str) or not id.strip():
            raise ValueError("order id must be a non-empty string")
        if not isinstance(trader, str) or not trader.strip():
            raise ValueError("trader must be a non-empty string")
        self.id = id
        self.trader = trader.strip()
        self.side = Side.parse(side)
        self.price = _check_int("price", price, 1)
        self.quantity = _check_int("quantity", quantity, 1)
        self.timestamp = _check_int("timestamp", timestamp, 0)
        self.filled = 0
        self.cancelled = False

    @property
    def remaining(self) -> int:
        return self.quantity - self.filled

    @property
    def is_active(self) -> bool:
        return not self.cancelled and self.filled < self.quantity

    @property
    def status(self) -> str:
        if self.cancelled:
            return "cancelled"
        if self.filled == 0:
            return "open"
        return "filled" if self.filled >= self.quantity else "partial"

    @staticmethod
    def cents(text: str) -> int:
        """Parse a price such as '101.25' or '99' into integer cents."""
        text = text.strip()
        whole, _, frac = text.partition(".")
        if not whole.isdigit() or (frac and not frac.isdigit()) or len(frac) > 2:
            raise ValueError(f"bad price: {text!r}")
        return int(whole) * 100 + int(frac.ljust(2, "0") or 0)

    def __repr__(self) -> str:
        return (f"Order({self.id!r}, {self.trader!r}, {self.side.value}, {self.price}, "
                f"{self.filled}/{self.quantity}, t={self.timestamp})")


class Trade:
    __slots__ = ("buy_id", "sell_id", "buyer", "seller", "price", "quantity", "timestamp",
                 "aggressor")

    def __init__(self, buy_id, sell_id, buyer, seller, price, quantity, timestamp, aggressor):
        self.buy_id = buy_id
        self.sell_id = sell_id
        self.buyer = buyer
        self.seller = seller
        self.price = price
        self.quantity = quantity
        self.timestamp = timestamp
        self.aggressor = aggressor

    @property
    def notional(self) -> int:
        return self.price * self.quantity

    def as_tuple(self) -> tuple:
        return (self.buy_id, self.sell_id, self.buyer, self.seller, self.price,
                self.quantity, self.timestamp, self.aggressor.value)
