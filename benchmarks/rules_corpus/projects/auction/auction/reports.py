"""Per-category and per-bidder summaries, suspicious-bidding checks and report text."""

from __future__ import annotations

import re
from collections import Counter, namedtuple
from itertools import groupby

from auction.bidding import bids_for_lot
from auction.fees import find_seller, result_for
from auction.lots import format_money, parse_time

CategoryRow = namedtuple("CategoryRow", "category listed sold total average median top_lot")
BidderRow = namedtuple("BidderRow", "bidder bids lots won spent favourite")
Flag = namedtuple("Flag", "bidder reason detail")


def lot_by_id(lots, lot_id: str):
    for lot in lots:
        if lot.lot_id == lot_id:
            return lot
    raise KeyError(f"unknown lot {lot_id}")


def median(values) -> int:
    ordered = sorted(values)
    if not ordered:
        return 0
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) // 2


def category_report(lots, results) -> list:
    """One row per category, by category name; prices in cents."""
    rows = []
    for category in sorted({lot.category for lot in lots}):
        listed = [lot for lot in lots if lot.category == category]
        sold = []
        for lot in listed:
            result = result_for(results, lot.lot_id)
            if result is not None and result.sold:
                sold.append(result)
        prices = [result.price for result in sold]
        total = 0
        for price in prices:
            total += price
        average = total // len(prices) if prices else 0
        top_lot = None
        if sold:
            best = max(sold, key=lambda result: (result.price, result.lot_id))
            top_lot = lot_by_id(lots, best.lot_id).title
        rows.append(
            CategoryRow(category, len(listed), len(sold), total, average, median(prices), top_lot)
        )
    return rows


def bidder_report(lots, bids, results) -> list:
    """One row per bidder, most spent first, then by name."""
    rows = []
    for bidder in sorted({bid.bidder for bid in bids}):
        own = [bid for bid in bids if bid.bidder == bidder]
        won = [result for result in results if result.winner == bidder]
        spent = sum(result.price for result in won)
        categories = Counter(lot_by_id(lots, bid.lot_id).category for bid in own)
        favourite = min(categories, key=lambda name: (-categories[name], name))
        lot_count = len({bid.lot_id for bid in own})
        rows.append(BidderRow(bidder, len(own), lot_count, len(won), spent, favourite))
    return sorted(rows, key=lambda row: (-row.spent, row.bidder))


def normalise(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def rapid_bidders(lots, bids, burst: int = 3, window: int = 60) -> list:
    """(bidder, lot_id) pairs with `burst` bids on one lot inside `window` seconds."""
    found = []
    for lot in lots:
        lot_bids = bids_for_lot(bids, lot)
        for bidder in sorted({bid.bidder for bid in lot_bids}):
            times = [parse_time(bid.placed) for bid in lot_bids if bid.bidder == bidder]
            for first, last in zip(times, times[burst - 1:]):
                if (last - first).total_seconds() <= window:
                    found.append((bidder, lot.lot_id))
                    break
    return found


def shill_bidders(lots, bids, results, min_lots: int = 4, share: float = 0.6) -> list:
    """Bidders who concentrate on one seller's lots without ever winning one of them."""
    found = []
    keyed = sorted(bids, key=lambda bid: bid.bidder)
    for bidder, group in groupby(keyed, key=lambda bid: bid.bidder):
        own = list(group)
        lots_seen = {bid.lot_id for bid in own}
        by_seller = Counter(lot_by_id(lots, lot_id).seller_id for lot_id in lots_seen)
        for seller_id, count in sorted(by_seller.items()):
            if count < min_lots or count / len(lots_seen) < share:
                continue
            wins = [
                lot_id
                for lot_id in lots_seen
                if lot_by_id(lots, lot_id).seller_id == seller_id
                and result_for(results, lot_id) is not None
                and result_for(results, lot_id).winner == bidder
            ]
            if not wins:
                found.append((bidder, seller_id, count))
    return found


def self_bidders(sellers, lots, bids) -> list:
    """(bidder, lot_id) where the bidder's name matches the lot's seller name."""
    found = []
    for bid in bids:
        seller = find_seller(sellers, lot_by_id(lots, bid.lot_id).seller_id)
        if normalise(seller.name) == normalise(bid.bidder):
            pair = (bid.bidder, bid.lot_id)
            if pair not in found:
                found.append(pair)
    return found


def suspicious_bidders(sellers, lots, bids, results, window: int = 60) -> list:
    """All flags, sorted by bidder, reason and detail."""
    flags = [Flag(bidder, "rapid", lot_id) for bidder, lot_id in rapid_bidders(lots, bids,
                                                                                window=window)]
    flags += [
        Flag(bidder, "shill", f"{seller_id}x{count}")
        for bidder, seller_id, count in shill_bidders(lots, bids, results)
    ]
    flags += [Flag(bidder, "self", lot_id) for bidder, lot_id in self_bidders(sellers, lots, bids)]
    return sorted(flags)


def report_lines(category_rows, bidder_rows, top: int = 5) -> list:
    lines = ["category        listed  sold        total      average       median"]
    for row in category_rows:
        lines.append(
            f"{row.category:<14}{row.listed:>8}{row.sold:>6}{format_money(row.total):>13}"
            f"{format_money(row.average):>13}{format_money(row.median):>13}"
        )
    lines.append(f"top {top} bidders")
    for row in bidder_rows[:top]:
        lines.append(
            f"  {row.bidder:<20} won {row.won:>3} of {row.lots:>3} lots, "
            f"spent {format_money(row.spent)} ({row.favourite})"
        )
    return lines
