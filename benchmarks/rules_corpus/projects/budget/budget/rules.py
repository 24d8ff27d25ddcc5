"""Categorization rules: 'pattern -> Category' lines matched against normalized payees."""

from __future__ import annotations

import re

from budget.transactions import AMOUNT, MEMO, PAYEE, normalize_payee

INCOME = "Income"
UNCATEGORIZED = "Uncategorized"


def parse_rules(text: str) -> list[tuple[str, str]]:
    rules = []
    for line_no, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if "->" not in line:
            raise ValueError(f"line {line_no}: expected 'pattern -> category'")
        pattern, category = line.rsplit("->", 1)
        pattern = pattern.strip()
        category = category.strip()
        if not pattern or not category:
            raise ValueError(f"line {line_no}: empty pattern or category")
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"line {line_no}: bad pattern {pattern!r}: {exc}") from exc
        rules.append((pattern, category))
    return rules


def category_of(row: list[str], rules: list[tuple[str, str]]) -> str:
    """The category of the first rule whose pattern matches the payee (or, failing that, memo)."""
    for pattern, category in rules:
        if re.search(pattern, normalize_payee(row[PAYEE]), re.IGNORECASE):
            return category
        if len(row) > MEMO and row[MEMO] and re.search(pattern, row[MEMO], re.IGNORECASE):
            return category
    if float(row[AMOUNT]) > 0:
        return INCOME
    return UNCATEGORIZED


def categorize(rows: list[list[str]], rules: list[tuple[str, str]]) -> list[list[str]]:
    """New rows with the category appended as a sixth field."""
    return [list(row[:5]) + [category_of(row, rules)] for row in rows]


def uncategorized_payees(rows: list[list[str]], rules: list[tuple[str, str]]) -> list[str]:
    """Normalized payees of spending that no rule covers, most frequent first."""
    names = []
    counts = []
    for row in rows:
        if category_of(row, rules) != UNCATEGORIZED:
            continue
        name = normalize_payee(row[PAYEE])
        if name in names:
            counts[names.index(name)] += 1
        else:
            names.append(name)
            counts.append(1)
    pairs = sorted(zip(names, counts), key=lambda p: (-p[1], p[0]))
    return [name for name, _ in pairs]
