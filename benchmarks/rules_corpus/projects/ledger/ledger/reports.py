"""Income statement and balance sheet."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ledger.book import Ledger, format_money


def income_statement(ledger: Ledger, as_of: date | None = None) -> list[str]:
    income = Decimal("0")
    expenses = Decimal("0")
    lines = ["Income statement"]
    for code, name, balance in ledger.trial_balance(as_of):
        kind = ledger.account(code).kind
        if kind == "income":
            income += balance
            lines.append(f"  {name:<20} {format_money(balance):>14}")
        elif kind == "expense":
            expenses += balance
            lines.append(f"  {name:<20} {format_money(-balance):>14}")
    lines.append(f"  {'Net result':<20} {format_money(income - expenses):>14}")
    return lines


def balance_sheet(ledger: Ledger, as_of: date | None = None) -> dict[str, Decimal]:
    totals = {"asset": Decimal("0"), "liability": Decimal("0"), "equity": Decimal("0")}
    result = Decimal("0")
    for code, _, balance in ledger.trial_balance(as_of):
        kind = ledger.account(code).kind
        if kind in totals:
            totals[kind] += balance
        elif kind == "income":
            result += balance
        else:
            result -= balance
    totals["equity"] += result
    return totals
