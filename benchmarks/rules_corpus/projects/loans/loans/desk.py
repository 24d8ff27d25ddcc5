"""The loan desk: checkouts, returns, reservations and overdue fines."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from loans.catalog import MEMBER_RULES, Catalog
from loans.isbn import normalize_isbn

FINE_BLOCK = 500

Loan = tuple[str, str, date, date]


class LoanRefused(Exception):
    """The desk will not lend (or reserve) this book to this member right now."""


def money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}${cents // 100}.{cents % 100:02d}"


def is_open(day: date, holidays: Iterable[date] = ()) -> bool:
    return day.weekday() != 6 and day not in holidays


def open_days_between(start: date, end: date, holidays: Iterable[date] = ()) -> int:
    """Days after start, up to and including end, on which the library was open."""
    days = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_open(day, holidays):
            days += 1
    return days


def overdue_fine(due: date, returned: date, kind: str, holidays: Iterable[date] = ()) -> int:
    """Fine in cents: the member's daily rate for every open day late, up to a cap."""
    if kind not in MEMBER_RULES:
        raise ValueError(f"unknown member kind {kind!r}")
    if returned <= due:
        return 0
    rules = MEMBER_RULES[kind]
    return min(open_days_between(due, returned, holidays) * rules["rate"], rules["cap"])


class LoanDesk:
    def __init__(self, catalog: Catalog, members: Iterable[dict],
                 holidays: Iterable[date] = ()) -> None:
        self.catalog = catalog
        self.members = list(members)
        self.holidays = list(holidays)
        for day in self.holidays:
            if not isinstance(day, date):
                raise TypeError(f"holidays are dates, not {type(day).__name__}")
        self.loans: list[Loan] = []
        self.returned: list[tuple[Loan, date, int]] = []
        self.reservations: list[tuple[str, str, date]] = []
        self.balances: dict[str, int] = {}

    def member(self, code: str) -> dict:
        for member in self.members:
            if member["code"] == code.strip().upper():
                return member
        raise KeyError(f"unknown member {code!r}")

    def due_date(self, member: dict, on: date) -> date:
        due = on + timedelta(days=MEMBER_RULES[member["kind"]]["loan_days"])
        while not is_open(due, self.holidays):
            due += timedelta(days=1)
        return due

    def available(self, isbn: str) -> int:
        book = self.catalog.get(isbn)
        key = normalize_isbn(book.isbn)
        return book.copies - sum(1 for loan in self.loans if loan[0] == key)

    def queue(self, isbn: str) -> list[str]:
        """Member codes waiting for a book, first come first served."""
        key = normalize_isbn(isbn)
        waiting = [r for r in self.reservations if r[0] == key]
        waiting.sort(key=lambda r: r[2])
        return [r[1] for r in waiting]

    def reserve(self, isbn: str, code: str, on: date) -> int:
        member = self.member(code)
        key = normalize_isbn(self.catalog.get(isbn).isbn)
        if member["code"] in self.queue(key):
            raise LoanRefused(f"{member['code']} already reserved {key}")
        if (key, member["code"]) in [(loan[0], loan[1]) for loan in self.loans]:
            raise LoanRefused(f"{member['code']} already has {key}")
        self.reservations.append((key, member["code"], on))
        return self.queue(key).index(member["code"]) + 1

    def cancel(self, isbn: str, code: str) -> None:
        key = normalize_isbn(isbn)
        code = code.strip().upper()
        kept = [r for r in self.reservations if not (r[0] == key and r[1] == code)]
        if len(kept) == len(self.reservations):
            raise KeyError(f"{code} has no reservation for {isbn!r}")
        self.reservations = kept

    def checkout(self, isbn: str, code: str, on: date) -> Loan:
        member = self.member(code)
        book = self.catalog.get(isbn)
        key = normalize_isbn(book.isbn)
        who = member["code"]
        owed = self.balances.get(who, 0)
        if owed > FINE_BLOCK:
            raise LoanRefused(f"{who} owes {money(owed)}")
        if sum(1 for loan in self.loans if loan[1] == who) >= \
                MEMBER_RULES[member["kind"]]["max_loans"]:
            raise LoanRefused(f"{who} has too many books out")
        if any(loan[0] == key and loan[1] == who for loan in self.loans):
            raise LoanRefused(f"{who} already has {book.title!r}")
        free = book.copies - sum(1 for loan in self.loans if loan[0] == key)
        if free <= 0:
            raise LoanRefused(f"no copy of {book.title!r} on the shelf")
        waiting = self.queue(key)
        if who in waiting[:free]:
            self.cancel(key, who)
        elif len(waiting) >= free:
            raise LoanRefused(f"{book.title!r} is held for {waiting[0]}")
        loan = (key, who, on, self.due_date(member, on))
        self.loans.append(loan)
        return loan

    def return_book(self, isbn: str, code: str, on: date) -> int:
        """Take a book back; returns the fine in cents, which is added to the balance."""
        member = self.member(code)
        key = normalize_isbn(isbn)
        mine = [loan for loan in self.loans if loan[0] == key and loan[1] == member["code"]]
        if not mine:
            raise KeyError(f"{member['code']} has no loan of {isbn!r}")
        loan = mine[0]
        if on < loan[2]:
            raise ValueError(f"returned on {on} before it went out on {loan[2]}")
        self.loans.remove(loan)
        fine = overdue_fine(loan[3], on, member["kind"], self.holidays)
        if fine:
            self.balances[member["code"]] = self.balances.get(member["code"], 0) + fine
        self.returned.append((loan, on, fine))
        return fine

    def pay(self, code: str, cents: int) -> int:
        who = self.member(code)["code"]
        owed = self.balances.get(who, 0)
        if cents <= 0 or cents > owed:
            raise ValueError(f"cannot pay {money(cents)} against {money(owed)}")
        self.balances[who] = owed - cents
        return self.balances[who]

    def overdue(self, on: date) -> list[tuple[Loan, int, int]]:
        """Loans past due on a day: (loan, open days late, fine so far), the latest first."""
        rows = []
        for loan in self.loans:
            if loan[3] < on:
                member = self.member(loan[1])
                late = open_days_between(loan[3], on, self.holidays)
                rows.append((loan, late, overdue_fine(loan[3], on, member["kind"], self.holidays)))
        rows.sort(key=lambda row: (-row[1], row[0][1], row[0][0]))
        return rows
