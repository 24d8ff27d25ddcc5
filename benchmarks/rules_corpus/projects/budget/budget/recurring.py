"""Recurring payments: payees charged at a regular interval with a steady amount."""

from __future__ import annotations

from datetime import datetime, timedelta

from budget.transactions import AMOUNT, DATE, PAYEE, normalize_payee

# (label, days, tolerance in days)
PERIODS = [("weekly", 7, 1), ("biweekly", 14, 2), ("monthly", 30, 3), ("yearly", 365, 7)]


def _gap_days(first: str, second: str) -> int:
    a = datetime.strptime(first, "%Y-%m-%d")
    b = datetime.strptime(second, "%Y-%m-%d")
    return (b - a).days


def detect_recurring(
    rows: list[list[str]], min_count: int = 3, amount_tolerance: float = 0.1
) -> list[tuple[str, str, float, int, str]]:
    """(payee, period, average amount, count, next expected date), largest amounts first."""
    if min_count < 2:
        raise ValueError("min_count must be at least 2")
    groups = []
    for row in rows:
        if float(row[AMOUNT]) >= 0:
            continue
        name = normalize_payee(row[PAYEE])
        for group in groups:
            if group[0] == name:
                group[1].append(row)
                break
        else:
            groups.append([name, [row]])
    found = []
    for name, items in groups:
        if len(items) < min_count:
            continue
        items = sorted(items, key=lambda row: row[DATE])
        gaps = [_gap_days(items[i][DATE], items[i + 1][DATE]) for i in range(len(items) - 1)]
        median = sorted(gaps)[len(gaps) // 2]
        period = None
        for label, days, tolerance in PERIODS:
            if abs(median - days) <= tolerance:
                period = (label, days, tolerance)
                break
        if period is None:
            continue
        regular = 0
        for gap in gaps:
            if abs(gap - period[1]) <= period[2]:
                regular += 1
        if regular * 4 < len(gaps) * 3:
            continue
        amounts = [-float(row[AMOUNT]) for row in items]
        total = 0.0
        for amount in amounts:
            total += amount
        average = round(total / len(amounts), 2)
        if any(abs(amount - average) > amount_tolerance * average for amount in amounts):
            continue
        last = datetime.strptime(items[-1][DATE], "%Y-%m-%d")
        next_date = (last + timedelta(days=period[1])).date().isoformat()
        found.append((name, period[0], average, len(items), next_date))
    found.sort(key=lambda item: (-item[2], item[0]))
    return found
