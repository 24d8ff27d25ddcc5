"""Monthly totals, budgets, running balances and month-over-month reports."""

from __future__ import annotations

import re

from budget.rules import category_of
from budget.transactions import ACCOUNT, AMOUNT, DATE, PAYEE, format_money, normalize_payee


def months_of(rows: list[list[str]]) -> list[str]:
    months = []
    for row in rows:
        month = row[DATE][:7]
        if month not in months:
            months.append(month)
    return sorted(months)


def monthly_totals(rows: list[list[str]], rules: list[tuple[str, str]]) -> dict:
    """{month: {category: net amount}} with amounts rounded to cents."""
    result = {}
    for month in months_of(rows):
        totals = {}
        for row in rows:
            if row[DATE][:7] != month:
                continue
            category = category_of(row, rules)
            totals[category] = round(totals.get(category, 0.0) + float(row[AMOUNT]), 2)
        result[month] = dict(sorted(totals.items()))
    return result


def budget_status(
    rows: list[list[str]],
    rules: list[tuple[str, str]],
    budgets: dict[str, float],
    month: str,
) -> list[tuple[str, float, float, float, str]]:
    """(category, limit, spent, remaining, status) per budget, the most used share first."""
    if not re.fullmatch(r"\d{4}-\d{2}", month):
        raise ValueError(f"bad month: {month!r}")
    report = []
    for category, limit in budgets.items():
        if limit < 0:
            raise ValueError(f"negative budget for {category}")
        spent = 0.0
        for row in rows:
            if row[DATE][:7] == month and category_of(row, rules) == category:
                spent = round(spent - float(row[AMOUNT]), 2)
        remaining = round(limit - spent, 2)
        if spent > limit:
            status = "over"
        elif limit and spent >= 0.9 * limit:
            status = "warning"
        else:
            status = "ok"
        report.append((category, float(limit), spent, remaining, status))
    report.sort(key=lambda item: (-(item[2] / item[1]) if item[1] else -item[2], item[0]))
    return report


def running_balances(rows: list[list[str]], opening: dict[str, float]) -> list[list[str]]:
    """Rows in date order (stable) with the account balance after each appended."""
    ordered = sorted(rows, key=lambda row: row[DATE])
    result = []
    for i, row in enumerate(ordered):
        balance = opening.get(row[ACCOUNT], 0.0)
        for prev in ordered[: i + 1]:
            if prev[ACCOUNT] == row[ACCOUNT]:
                balance += float(prev[AMOUNT])
        result.append(list(row[:5]) + [format_money(balance)])
    return result


def low_balance_days(
    rows: list[list[str]], opening: dict[str, float], threshold: float
) -> list[tuple[str, str, float]]:
    """(date, account, lowest balance that day) for days an account ends below threshold."""
    lowest = {}
    for row in running_balances(rows, opening):
        key = (row[DATE], row[ACCOUNT])
        balance = float(row[5])
        if key not in lowest or balance < lowest[key]:
            lowest[key] = balance
    return [(d, a, b) for (d, a), b in sorted(lowest.items()) if b < threshold]


def month_over_month(rows: list[list[str]], rules: list[tuple[str, str]]) -> list[str]:
    """Text lines: per category and month, the net amount and the change from the month before."""
    totals = monthly_totals(rows, rules)
    months = months_of(rows)
    categories = []
    for month in months:
        for category in totals[month]:
            if category not in categories:
                categories.append(category)
    lines = []
    for category in sorted(categories):
        lines.append(category)
        for month in months:
            amount = totals[month].get(category, 0.0)
            i = months.index(month)
            if i == 0:
                lines.append(f"  {month} {format_money(amount):>10}")
                continue
            before = totals[months[i - 1]].get(category, 0.0)
            change = round(amount - before, 2)
            if before:
                pct = f"{change / abs(before) * 100:+.1f}%"
            else:
                pct = "n/a"
            lines.append(f"  {month} {format_money(amount):>10} {format_money(change):>10} {pct}")
    return lines


def top_payees(
    rows: list[list[str]], n: int = 5, month: str | None = None
) -> list[tuple[str, float, int]]:
    """(payee, total spent, count) for the payees with the most spending."""
    if n < 0:
        raise ValueError("n must not be negative")
    entries = []
    for row in rows:
        if month is not None and row[DATE][:7] != month:
            continue
        amount = float(row[AMOUNT])
        if amount >= 0:
            continue
        name = normalize_payee(row[PAYEE])
        for entry in entries:
            if entry[0] == name:
                entry[1] = round(entry[1] - amount, 2)
                entry[2] += 1
                break
        else:
            entries.append([name, round(-amount, 2), 1])
    entries.sort(key=lambda e: (-e[1], e[0]))
    return [(e[0], e[1], e[2]) for e in entries[:n]]
