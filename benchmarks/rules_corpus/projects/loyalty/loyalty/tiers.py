"""Tier qualification over a rolling spend window."""

from operator import attrgetter

from .models import ONE_DAY, Tier, add_months, days_between

TIERS = (
    Tier("Bronze", 0, 1),
    Tier("Silver", 50_000, 1.25),
    Tier("Gold", 150_000, 1.5),
    Tier("Platinum", 400_000, 2),
)
WINDOW_MONTHS = 12


def window_start(day, months=WINDOW_MONTHS):
    """First day of the qualifying window that ends on `day` (inclusive)."""
    return add_months(day, -months) + ONE_DAY


def rolling_spend(transactions, customer_id, day, months=WINDOW_MONTHS):
    start = window_start(day, months)
    return sum(
        t.amount for t in transactions
        if t.customer_id == customer_id and start <= t.day <= day
    )


def tier_for_spend(spend, tiers=TIERS):
    eligible = [t for t in tiers if spend >= t.min_spend]
    if not eligible:
        raise ValueError(f"no tier accepts a spend of {spend}")
    return max(eligible, key=attrgetter("min_spend"))


def tier_on(transactions, customer_id, day, tiers=TIERS, months=WINDOW_MONTHS):
    return tier_for_spend(rolling_spend(transactions, customer_id, day, months), tiers)


def next_tier_gap(spend, tiers=TIERS):
    """(name, cents still needed) for the next tier up, or None at the top."""
    above = sorted((t for t in tiers if t.min_spend > spend), key=attrgetter("min_spend"))
    if not above:
        return None
    return above[0].name, above[0].min_spend - spend


def tier_changes(transactions, customer_id, start, end, tiers=TIERS, months=WINDOW_MONTHS):
    """Days in [start, end] on which the customer's tier differs from the day before.

    Checked day by day, because spend also leaves the window as it rolls forward.
    Returns a list of (day, old tier name, new tier name).
    """
    changes = []
    previous = tier_on(transactions, customer_id, start - ONE_DAY, tiers, months).name
    for day in days_between(start, end):
        current = tier_on(transactions, customer_id, day, tiers, months).name
        if current != previous:
            changes.append((day, previous, current))
        previous = current
    return changes


def qualify_all(customers, transactions, day, tiers=TIERS, months=WINDOW_MONTHS):
    """Map every customer id to the name of the tier they hold on `day`."""
    return {
        c.customer_id: tier_on(transactions, c.customer_id, day, tiers, months).name
        for c in customers
    }
