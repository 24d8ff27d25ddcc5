"""Workload: a week of online auctions from a few dozen sellers, replayed and reported on.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random
from datetime import datetime, timedelta

from auction import (
    bid_history,
    bidder_report,
    category_report,
    fee_statement,
    format_money,
    make_lot,
    make_seller,
    price_at,
    read_bids,
    report_lines,
    resolve_all,
    suspicious_bidders,
)

SELLERS = 30
LOTS = 360
BIDDERS = 220
CATEGORIES = ("art", "books", "cameras", "coins", "stamps", "toys", "watches", "vinyl")
START = datetime(2024, 3, 4, 9, 0, 0)
STAMP = "%Y-%m-%d %H:%M:%S"


def stamp(moment: datetime) -> str:
    return moment.strftime(STAMP)


def make_sellers(rng: random.Random) -> list:
    tiers = ("basic", "basic", "plus", "pro")
    return [make_seller(f"S{i:03d}", f"Shop {rng.choice('ABCDEFG')}{i}", rng.choice(tiers))
            for i in range(SELLERS)]


def make_lots(rng: random.Random) -> list:
    lots = []
    for i in range(LOTS):
        opens = START + timedelta(minutes=rng.randrange(0, 3 * 24 * 60))
        closes = opens + timedelta(hours=rng.choice((24, 48, 72, 96)))
        start_price = rng.choice((100, 500, 1000, 2500, 5000))
        reserve = rng.choice((0, 0, start_price * 3, start_price * 10))
        lots.append(make_lot(f"L{i:04d}", f"S{rng.randrange(SELLERS):03d}",
                             rng.choice(CATEGORIES), f"Item  number {i}", start_price, reserve,
                             stamp(opens), stamp(closes)))
    return lots


def make_bid_lines(rng: random.Random, sellers: list, lots: list) -> list:
    bidders = [f"user_{i:03d}" for i in range(BIDDERS)]
    bidders += [sellers[n].name.lower().replace(" ", "_") for n in (3, 7, 11)]
    lines = ["# bid_id,lot_id,bidder,amount,placed"]
    bid_id = 0
    for lot in lots:
        opens = datetime.strptime(lot.opens, STAMP)
        span = int((datetime.strptime(lot.closes, STAMP) - opens).total_seconds())
        value = lot.start_price * rng.uniform(1.0, 15.0)
        crowd = rng.sample(bidders, rng.randint(0, 14))
        for bidder in crowd:
            for _ in range(rng.randint(1, 4)):
                offset = rng.randrange(-3600, span + 3600)
                amount = max(5, int(value * rng.uniform(0.3, 1.2)))
                bid_id += 1
                lines.append(f"{bid_id},{lot.lot_id},{bidder},{amount / 100:,.2f},"
                             f"{stamp(opens + timedelta(seconds=offset))}")
                if rng.random() < 0.01:
                    for extra in range(1, 3):
                        bid_id += 1
                        lines.append(f"{bid_id},{lot.lot_id},{bidder},"
                                     f"{(amount + extra * 100) / 100:.2f},"
                                     f"{stamp(opens + timedelta(seconds=offset + extra * 20))}")
    for shill in range(3):
        seller = f"S{shill:03d}"
        for lot in (lot for lot in lots if lot.seller_id == seller):
            bid_id += 1
            lines.append(f"{bid_id},{lot.lot_id},user_9{shill}0,{lot.start_price / 100:.2f},"
                         f"{lot.opens}")
    return lines


def main() -> None:
    rng = random.Random(7311)
    sellers = make_sellers(rng)
    lots = make_lots(rng)
    bids = read_bids(make_bid_lines(rng, sellers, lots))
    results = resolve_all(lots, bids)
    sold = [r for r in results if r.sold]
    print(f"{len(lots)} lots, {len(bids)} bids, {len(sold)} sold, "
          f"turnover {format_money(sum(r.price for r in sold))}")
    statements = fee_statement(sellers, lots, results)
    print(f"fees {format_money(sum(s.fees for s in statements))} from {len(statements)} sellers")
    categories = category_report(lots, results)
    bidders = bidder_report(lots, bids, results)
    text = report_lines(categories, bidders)
    print(text[1])
    flags = suspicious_bidders(sellers, lots, bids, results)
    print(f"{len(flags)} flags: {sorted({flag.reason for flag in flags})}")
    watched = lots[::40]
    histories = [bid_history(lot, bids) for lot in watched]
    midday = [price_at(lot, bids, lot.opens[:11] + "23:59:59") for lot in watched]
    print(f"watched prices {midday[:6]}")
    digest = hashlib.sha256(
        repr((results, statements, categories, bidders, text, flags, histories, midday)).encode()
    ).hexdigest()[:16]
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()
