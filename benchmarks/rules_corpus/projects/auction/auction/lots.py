"""Sellers, lots and bids as named tuples, with money, time and increment helpers."""

from __future__ import annotations

import re
from collections import namedtuple
from datetime import datetime

Seller = namedtuple("Seller", "seller_id name tier")
Lot = namedtuple("Lot", "lot_id seller_id category title start_price reserve opens closes")
Bid = namedtuple("Bid", "bid_id lot_id bidder amount placed")

TIERS = ("basic", "plus", "pro")
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
BIDDER_PATTERN = r"^[a-z][a-z0-9_]{2,19}$"
MONEY_PATTERN = r"^\$?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$"

# (price from, bid increment), all in cents
INCREMENTS = (
    (0, 5),
    (100, 25),
    (500, 50),
    (2500, 100),
    (10000, 250),
    (25000, 500),
    (50000, 1000),
    (100000, 2500),
    (500000, 5000),
)


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, TIME_FORMAT)


def parse_money(text: str) -> int:
    """'1,234.5' -> 123450 cents."""
    match = re.match(MONEY_PATTERN, text.strip())
    if not match:
        raise ValueError(f"not an amount: {text!r}")
    whole = int(match.group(1).replace(",", ""))
    fraction = (match.group(2) or "0").ljust(2, "0")
    return whole * 100 + int(fraction)


def format_money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole:,}.{part:02d}"


def increment(price: int) -> int:
    step = INCREMENTS[0][1]
    for floor, size in INCREMENTS:
        if price >= floor:
            step = size
    return step


def make_seller(seller_id: str, name: str, tier: str = "basic") -> Seller:
    if tier not in TIERS:
        raise ValueError(f"unknown tier {tier!r}")
    if not name.strip():
        raise ValueError("seller needs a name")
    return Seller(seller_id, " ".join(name.split()), tier)


def make_lot(
    lot_id: str,
    seller_id: str,
    category: str,
    title: str,
    start_price: int,
    reserve: int,
    opens: str,
    closes: str,
) -> Lot:
    if start_price <= 0:
        raise ValueError("start price must be positive")
    if reserve < 0:
        raise ValueError("reserve cannot be negative")
    if parse_time(closes) <= parse_time(opens):
        raise ValueError(f"lot {lot_id} closes before it opens")
    return Lot(lot_id, seller_id, category.strip().lower(), " ".join(title.split()),
               start_price, reserve, opens, closes)


def make_bid(bid_id: int, lot_id: str, bidder: str, amount: int, placed: str) -> Bid:
    if not re.match(BIDDER_PATTERN, bidder):
        raise ValueError(f"bad bidder name {bidder!r}")
    if amount <= 0:
        raise ValueError("bid amount must be positive")
    parse_time(placed)
    return Bid(bid_id, lot_id, bidder, amount, placed)


def read_bids(lines) -> list[Bid]:
    """Lines of 'bid_id,lot_id,bidder,amount,placed'; blank lines and '#' comments skipped."""
    rows = (line.strip() for line in lines)
    rows = (row for row in rows if row and not row.startswith("#"))
    bids = []
    for row in rows:
        parts = [part.strip() for part in row.split(",", 3)]
        if len(parts) != 4:
            raise ValueError(f"bad bid line {row!r}")
        bid_id, lot_id, bidder, rest = parts
        amount, _, placed = rest.rpartition(",")
        bids.append(make_bid(int(bid_id), lot_id, bidder.lower(), parse_money(amount),
                             placed.strip()))
    return bids
