"""Record types and the small date helpers the rest of the programme relies on."""

import calendar
import datetime
from collections import namedtuple

Customer = namedtuple("Customer", "customer_id name joined")
Transaction = namedtuple("Transaction", "txn_id customer_id day amount category")
Promotion = namedtuple("Promotion", "name start end multiplier categories")
Earning = namedtuple("Earning", "txn_id customer_id day points")
Lot = namedtuple("Lot", "lot_id customer_id earned expires points")
Redemption = namedtuple("Redemption", "customer_id day points reward")
Outcome = namedtuple("Outcome", "customer_id day reward points accepted shortfall")
Tier = namedtuple("Tier", "name min_spend multiplier")

CATEGORIES = ("grocery", "fuel", "pharmacy", "electronics", "clothing", "home")
ONE_DAY = datetime.timedelta(days=1)


def as_date(value):
    """Accept a date or an ISO 'YYYY-MM-DD' string."""
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)


def make_customer(customer_id, name, joined):
    if not name or not name.strip():
        raise ValueError("customer name must not be empty")
    return Customer(customer_id, name.strip(), as_date(joined))


def make_transaction(txn_id, customer_id, day, amount, category):
    """Build a transaction; amount is in whole cents."""
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise TypeError("amount must be an int number of cents")
    if amount < 0:
        raise ValueError("amount must not be negative")
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}")
    return Transaction(txn_id, customer_id, as_date(day), amount, category)


def make_promotion(name, start, end, multiplier, categories=()):
    start, end = as_date(start), as_date(end)
    if end < start:
        raise ValueError("promotion ends before it starts")
    if multiplier <= 0:
        raise ValueError("promotion multiplier must be positive")
    unknown = [c for c in categories if c not in CATEGORIES]
    if unknown:
        raise ValueError(f"unknown categories {unknown}")
    return Promotion(name, start, end, multiplier, frozenset(categories))


def make_redemption(customer_id, day, points, reward):
    if points <= 0:
        raise ValueError("redemption must be for a positive number of points")
    return Redemption(customer_id, as_date(day), points, reward)


def add_months(day, months):
    """Shift a date by whole months, clamping to the end of a shorter month."""
    total = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(total, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return datetime.date(year, month0 + 1, min(day.day, last))


def month_bounds(year, month):
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, 1), datetime.date(year, month, last)


def months_between(start, end):
    """(year, month) pairs from start's month to end's month inclusive."""
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def days_between(start, end):
    day = start
    while day <= end:
        yield day
        day += ONE_DAY
