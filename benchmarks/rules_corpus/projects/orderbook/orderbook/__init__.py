"""A toy exchange: limit order book, price-time matching, positions and an end-of-day report."""

from orderbook.book import OrderBook
from orderbook.engine import Exchange
from orderbook.model import Order, Side, Trade
from orderbook.report import DailyReport

__all__ = [
    "DailyReport",
    "Exchange",
    "Order",
    "OrderBook",
    "Side",
    "Trade",
]
