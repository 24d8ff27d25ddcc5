"""Points ledger: earned points become lots that expire; redemptions spend the oldest first."""

from collections import namedtuple

from .models import Lot, Outcome, add_months

VALIDITY_MONTHS = 18

REWARDS = {
    "coffee": 300,
    "cinema": 1_200,
    "voucher10": 1_000,
    "voucher25": 2_400,
    "hamper": 5_000,
}

LedgerResult = namedtuple("LedgerResult", "outcomes lots expired")


def lots_from_earnings(earnings, validity_months=VALIDITY_MONTHS):
    """One lot per earning with points; a lot can be spent on days earned <= d < expires."""
    return [
        Lot(e.txn_id, e.customer_id, e.day, add_months(e.day, validity_months), e.points)
        for e in earnings
        if e.points > 0
    ]


def balance(lots, customer_id, day):
    return sum(
        lot.points for lot in lots
        if lot.customer_id == customer_id and lot.earned <= day < lot.expires
    )


def reward_cost(reward, catalogue=REWARDS):
    if reward not in catalogue:
        raise KeyError(f"unknown reward {reward!r}")
    return catalogue[reward]


def take_oldest(lots, points):
    """Spend `points` from lots (oldest first). Returns {lot_id: points left}."""
    left = {}
    remaining = points
    for lot in sorted(lots, key=lambda lot: (lot.earned, lot.lot_id)):
        if remaining == 0:
            break
        taken = min(lot.points, remaining)
        remaining -= taken
        left[lot.lot_id] = lot.points - taken
    if remaining:
        raise ValueError("not enough points in the given lots")
    return left


def run_ledger(earnings, redemptions, as_of, validity_months=VALIDITY_MONTHS):
    """Replay redemptions in day order (ties keep input order) against earned lots.

    A redemption that the customer's balance on that day cannot cover is rejected with
    the shortfall; nothing is spent. Lots that reach their expiry date by `as_of` expire
    with whatever points they still hold.
    Returns LedgerResult(outcomes in processing order, lots left sorted by
    (customer_id, earned, lot_id), expired lots sorted by (expires, lot_id)).
    """
    if any(r.day > as_of for r in redemptions):
        raise ValueError("redemption dated after as_of")
    if any(r.points <= 0 for r in redemptions):
        raise ValueError("redemption points must be positive")
    lots = lots_from_earnings(earnings, validity_months)
    expired = []
    outcomes = []
    for r in sorted(redemptions, key=lambda r: r.day):
        expired.extend(lot for lot in lots if lot.expires <= r.day)
        lots = [lot for lot in lots if lot.expires > r.day]
        mine = [lot for lot in lots if lot.customer_id == r.customer_id and lot.earned <= r.day]
        have = sum(lot.points for lot in mine)
        if have < r.points:
            outcomes.append(Outcome(r.customer_id, r.day, r.reward, r.points, False,
                                    r.points - have))
            continue
        left = take_oldest(mine, r.points)
        lots = [lot._replace(points=left[lot.lot_id]) if lot.lot_id in left else lot
                for lot in lots]
        lots = [lot for lot in lots if lot.points > 0]
        outcomes.append(Outcome(r.customer_id, r.day, r.reward, r.points, True, 0))
    expired.extend(lot for lot in lots if lot.expires <= as_of)
    lots = [lot for lot in lots if lot.expires > as_of]
    return LedgerResult(
        outcomes,
        sorted(lots, key=lambda lot: (lot.customer_id, lot.earned, lot.lot_id)),
        sorted(expired, key=lambda lot: (lot.expires, lot.lot_id)),
    )


def redeemed_points(outcomes, customer_id=None):
    return sum(
        o.points for o in outcomes
        if o.accepted and (customer_id is None or o.customer_id == customer_id)
    )
