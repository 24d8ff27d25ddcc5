"""Points earning: base points, category multipliers, promotions, tier bonus and a daily cap.

Rules are (predicate, multiplier) pairs; every rule whose predicate matches a transaction
contributes its multiplier, and the multipliers are multiplied together.
"""

from functools import reduce
from itertools import groupby
from operator import attrgetter, mul

from .models import ONE_DAY, Earning
from .tiers import TIERS, tier_on

CENTS_PER_POINT = 100
CATEGORY_MULTIPLIERS = {
    "grocery": 1,
    "fuel": 0.5,
    "pharmacy": 2,
    "electronics": 1.5,
    "clothing": 2,
    "home": 1.25,
}
DAILY_CAP = 2_000


def base_points(amount):
    return amount // CENTS_PER_POINT


def category_rules(multipliers=None):
    multipliers = CATEGORY_MULTIPLIERS if multipliers is None else multipliers
    return [(lambda t, cat=cat: t.category == cat, m) for cat, m in multipliers.items()]


def promotion_rule(promo):
    def applies(txn):
        in_window = promo.start <= txn.day <= promo.end
        return in_window and (not promo.categories or txn.category in promo.categories)

    return applies, promo.multiplier


def build_rules(promotions=(), multipliers=None):
    return category_rules(multipliers) + [promotion_rule(p) for p in promotions]


def combined_multiplier(txn, rules):
    return reduce(mul, (m for applies, m in rules if applies(txn)), 1)


def points_for(txn, rules, tier_multiplier=1):
    return int(base_points(txn.amount) * combined_multiplier(txn, rules) * tier_multiplier)


def earn_for_customer(transactions, promotions=(), daily_cap=DAILY_CAP, tiers=TIERS,
                      multipliers=None):
    """Earnings for one customer's transactions, in (day, txn_id) order.

    The tier bonus uses the tier held at the end of the previous day. Points beyond the
    daily cap are forfeited; daily_cap=None means no cap.
    """
    earnings = []
    for txn in sorted(transactions, key=lambda t: (t.day, t.txn_id)):
        rules = build_rules(promotions, multipliers)
        tier = tier_on(transactions, txn.customer_id, txn.day - ONE_DAY, tiers)
        points = points_for(txn, rules, tier.multiplier)
        if daily_cap is not None:
            earned_today = sum(e.points for e in earnings if e.day == txn.day)
            points = max(0, min(points, daily_cap - earned_today))
        earnings.append(Earning(txn.txn_id, txn.customer_id, txn.day, points))
    return earnings


def earn_all(transactions, promotions=(), daily_cap=DAILY_CAP, tiers=TIERS, multipliers=None):
    """Earnings for every transaction, ordered by customer, day and txn_id."""
    ids = [t.txn_id for t in transactions]
    if len(set(ids)) != len(ids):
        raise ValueError("transaction ids must be unique")
    ordered = sorted(transactions, key=attrgetter("customer_id"))
    earnings = []
    for _, group in groupby(ordered, key=attrgetter("customer_id")):
        earnings.extend(earn_for_customer(list(group), promotions, daily_cap, tiers,
                                          multipliers))
    return earnings


def points_by_customer(earnings):
    totals = {}
    for e in earnings:
        totals[e.customer_id] = totals.get(e.customer_id, 0) + e.points
    return totals
