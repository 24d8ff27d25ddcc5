"""The ledger itself: transactions of balanced postings, and balances derived from them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from ledger.accounts import Account, UnknownAccount

CENT = Decimal("0.01")


class UnbalancedTransaction(ValueError):
    pass


@dataclass(frozen=True)
class Posting:
    account: str
    amount: Decimal  # debit positive, credit negative


@dataclass
class Transaction:
    ident: str
    day: str  # ISO date, as typed in the booking screen
    memo: str
    postings: list[Posting] = field(default_factory=list)


def format_money(amount: Decimal) -> str:
    value = Decimal(amount).quantize(CENT)
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value):,.2f}"


class Ledger:
    def __init__(self, accounts: list[Account]) -> None:
        self.accounts = list(accounts)
        self.transactions: list[Transaction] = []

    def account(self, code: str) -> Account:
        for account in self.accounts:
            if account.code == code:
                return account
        raise UnknownAccount(code)

    def post(self, txn: Transaction) -> None:
        if len(txn.postings) < 2:
            raise UnbalancedTransaction(f"{txn.ident}: needs at least two postings")
        total = Decimal("0")
        for posting in txn.postings:
            self.account(posting.account)
            total += posting.amount
        if total != 0:
            raise UnbalancedTransaction(f"{txn.ident}: off by {total}")
        date.fromisoformat(txn.day)
        self.transactions.append(txn)

    def balance(self, code: str, as_of: date | None = None) -> Decimal:
        """Balance in the account's normal direction (debits for assets and expenses)."""
        account = self.account(code)
        total = Decimal("0")
        for txn in self.transactions:
            if as_of is not None and date.fromisoformat(txn.day) > as_of:
                continue
            for posting in txn.postings:
                if posting.account == code:
                    total += posting.amount
        return total if account.debit_normal else -total

    def trial_balance(self, as_of: date | None = None) -> list[tuple[str, str, Decimal]]:
        rows = []
        for account in self.accounts:
            rows.append((account.code, account.name, self.balance(account.code, as_of)))
        return rows

    def monthly_totals(self, code: str) -> dict[str, Decimal]:
        """Net movement per month ('YYYY-MM'), months ascending."""
        self.account(code)
        months: dict[str, Decimal] = {}
        for txn in self.transactions:
            month = datetime.strptime(txn.day, "%Y-%m-%d").strftime("%Y-%m")
            for posting in txn.postings:
                if posting.account == code:
                    months[month] = months.get(month, Decimal("0")) + posting.amount
        return dict(sorted(months.items()))

    def account_statement(self, code: str) -> list[str]:
        account = self.account(code)
        lines = [f"{account.code} {account.name}"]
        running = Decimal("0")
        ordered = sorted(self.transactions, key=lambda t: date.fromisoformat(t.day))
        for txn in ordered:
            for posting in txn.postings:
                if posting.account != code:
                    continue
                amount = posting.amount if account.debit_normal else -posting.amount
                running += amount
                lines.append(
                    f"{txn.day} {txn.ident:<8} {txn.memo[:24]:<24} "
                    f"{format_money(amount):>14} {format_money(running):>14}"
                )
        return lines
