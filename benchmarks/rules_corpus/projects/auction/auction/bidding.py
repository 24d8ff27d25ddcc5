"""Proxy (maximum) bidding: replay a lot's bids in time order and pick the winner."""

from __future__ import annotations

from collections import namedtuple
from functools import partial, reduce

from auction.lots import increment, parse_time

Step = namedtuple("Step", "bid_id bidder amount price leader accepted")
Result = namedtuple("Result", "lot_id seller_id category winner price sold bids bidders")


def by_time(bid) -> tuple:
    return (parse_time(bid.placed), bid.bid_id)


def in_window(lot, bid) -> bool:
    return parse_time(lot.opens) <= parse_time(bid.placed) < parse_time(lot.closes)


def bids_for_lot(bids, lot) -> list:
    """The lot's bids placed while it was open, oldest first (ties by bid id)."""
    return sorted(
        (bid for bid in bids if bid.lot_id == lot.lot_id and in_window(lot, bid)),
        key=by_time,
    )


def minimum_next(lot, price: int, leader) -> int:
    if leader is None:
        return lot.start_price
    return price + increment(price)


def apply_bid(lot, state: tuple, bid) -> tuple:
    leader, top, price, history = state
    if bid.bidder == leader:
        raised = bid.amount > top
        step = Step(bid.bid_id, bid.bidder, bid.amount, price, leader, raised)
        return (leader, max(top, bid.amount), price, history + (step,))
    if bid.amount < minimum_next(lot, price, leader):
        step = Step(bid.bid_id, bid.bidder, bid.amount, price, leader, False)
        return (leader, top, price, history + (step,))
    if leader is None:
        step = Step(bid.bid_id, bid.bidder, bid.amount, lot.start_price, bid.bidder, True)
        return (bid.bidder, bid.amount, lot.start_price, history + (step,))
    if bid.amount > top:
        new_price = min(bid.amount, top + increment(top))
        step = Step(bid.bid_id, bid.bidder, bid.amount, new_price, bid.bidder, True)
        return (bid.bidder, bid.amount, new_price, history + (step,))
    new_price = min(top, bid.amount + increment(bid.amount))
    step = Step(bid.bid_id, bid.bidder, bid.amount, new_price, leader, True)
    return (leader, top, new_price, history + (step,))


def replay(lot, bids) -> tuple:
    start = (None, 0, lot.start_price, ())
    return reduce(partial(apply_bid, lot), bids_for_lot(bids, lot), start)


def bid_history(lot, bids) -> list:
    """Every bid on the lot with the visible price and leader right after it."""
    return list(replay(lot, bids)[3])


def resolve_lot(lot, bids) -> Result:
    leader, top, price, history = replay(lot, bids)
    accepted = [step for step in history if step.accepted]
    bidders = len({step.bidder for step in accepted})
    sold = leader is not None and top >= lot.reserve
    if sold:
        price = max(price, lot.reserve)
    return Result(
        lot.lot_id,
        lot.seller_id,
        lot.category,
        leader if sold else None,
        price if sold else 0,
        sold,
        len(accepted),
        bidders,
    )


def resolve_all(lots, bids) -> list:
    seen = set()
    for lot in lots:
        if lot.lot_id in seen:
            raise ValueError(f"duplicate lot id {lot.lot_id}")
        seen.add(lot.lot_id)
    return [resolve_lot(lot, bids) for lot in lots]


def price_at(lot, bids, moment: str) -> int:
    """The visible price of the lot at a moment, counting bids placed up to and including it."""
    cutoff = parse_time(moment)
    early = [bid for bid in bids if parse_time(bid.placed) <= cutoff]
    leader, _, price, _ = replay(lot, early)
    return price if leader is not None else 0
