"""The lending desk: registration, checkouts, returns, renewals and hold queues."""

from __future__ import annotations

import re
from datetime import date, timedelta

from .models import (
    FINE_BLOCK_CENTS,
    MAX_RENEWALS,
    PICKUP_DAYS,
    Copy,
    CopyStatus,
    Fine,
    Hold,
    LendingError,
    Loan,
    Member,
    NotFound,
    Title,
    late_fee,
)


def normalize(text: str) -> str:
    text = text.lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


class LibraryService:
    def __init__(self) -> None:
        self._members: list[Member] = []
        self._titles: list[Title] = []
        self._copies: list[Copy] = []
        self._loans: list[Loan] = []
        self._holds: list[Hold] = []
        self._fines: list[Fine] = []
        self._next_loan_id = 1
        self._next_hold_id = 1

    def add_member(self, member: Member) -> Member:
        if any(m.member_id == member.member_id for m in self._members):
            raise ValueError(f"duplicate member {member.member_id}")
        self._members.append(member)
        return member

    def add_title(self, title: Title) -> Title:
        if any(t.title_id == title.title_id for t in self._titles):
            raise ValueError(f"duplicate title {title.title_id}")
        self._titles.append(title)
        return title

    def add_copy(self, copy: Copy) -> Copy:
        self.title(copy.title_id)
        if any(c.copy_id == copy.copy_id for c in self._copies):
            raise ValueError(f"duplicate copy {copy.copy_id}")
        self._copies.append(copy)
        return copy

    def member(self, member_id: str) -> Member:
        for m in self._members:
            if m.member_id == member_id:
                return m
        raise NotFound(member_id)

    def title(self, title_id: str) -> Title:
        for t in self._titles:
            if t.title_id == title_id:
                return t
        raise NotFound(title_id)

    def copy(self, copy_id: str) -> Copy:
        for c in self._copies:
            if c.copy_id == copy_id:
                return c
        raise NotFound(copy_id)

    def loan(self, loan_id: int) -> Loan:
        for loan in self._loans:
            if loan.loan_id == loan_id:
                return loan
        raise NotFound(loan_id)

    def members(self) -> list[Member]:
        return list(self._members)

    def titles(self) -> list[Title]:
        return list(self._titles)

    def copies(self) -> list[Copy]:
        return list(self._copies)

    def loans(self) -> list[Loan]:
        return list(self._loans)

    def copies_of(self, title_id: str) -> list[Copy]:
        return [c for c in self._copies if c.title_id == title_id]

    def available_copies(self, title_id: str) -> list[Copy]:
        return [c for c in self.copies_of(title_id) if c.status is CopyStatus.AVAILABLE]

    def active_loans(self, member_id: str) -> list[Loan]:
        return [ln for ln in self._loans if ln.member_id == member_id and ln.returned is None]

    def loan_for_copy(self, copy_id: str) -> Loan | None:
        for loan in self._loans:
            if loan.copy_id == copy_id and loan.returned is None:
                return loan
        return None

    def overdue_loans(self, day: date) -> list[Loan]:
        late = [loan for loan in self._loans if loan.returned is None and loan.due < day]
        return sorted(late, key=lambda loan: (loan.due, loan.loan_id))

    def queue(self, title_id: str) -> list[Hold]:
        waiting = [h for h in self._holds if h.title_id == title_id and h.ready_copy is None]
        return sorted(waiting, key=lambda h: (h.placed, h.hold_id))

    def queue_position(self, member_id: str, title_id: str) -> int | None:
        for position, hold in enumerate(self.queue(title_id), start=1):
            if hold.member_id == member_id:
                return position
        return None

    def outstanding_fines(self, member_id: str) -> int:
        return sum(f.amount_cents for f in self._fines if f.member_id == member_id and not f.paid)

    def fine_for(self, loan: Loan, day: date) -> int:
        member = self.member(loan.member_id)
        end = loan.returned if loan.returned is not None else day
        return late_fee(member.tier, loan.due, end)

    def search_titles(self, text: str) -> list[Title]:
        words = normalize(text).split()
        found = []
        for t in self._titles:
            haystack = normalize(t.name + " " + t.author).split()
            if all(w in haystack for w in words):
                found.append(t)
        return sorted(found, key=lambda t: (normalize(t.name), t.title_id))

    def checkout(self, member_id: str, copy_id: str, day: date) -> Loan:
        member = self.member(member_id)
        copy = self.copy(copy_id)
        if not member.active:
            raise LendingError(f"member {member_id} is not active")
        if len(self.active_loans(member_id)) >= member.tier.rules().max_loans:
            raise LendingError(f"member {member_id} is at the loan limit")
        if self.outstanding_fines(member_id) > FINE_BLOCK_CENTS:
            raise LendingError(f"member {member_id} owes too much")
        if copy.status is CopyStatus.ON_HOLD_SHELF:
            hold = next((h for h in self._holds if h.ready_copy == copy_id), None)
            if hold is None or hold.member_id != member_id:
                raise LendingError(f"copy {copy_id} is reserved for another member")
            self._holds.remove(hold)
        elif copy.status is not CopyStatus.AVAILABLE:
            raise LendingError(f"copy {copy_id} is {copy.status.value}")
        due = day + timedelta(days=member.tier.rules().loan_days)
        loan = Loan(self._next_loan_id, copy_id, member_id, day, due)
        self._next_loan_id += 1
        self._loans.append(loan)
        copy.status = CopyStatus.ON_LOAN
        return loan

    def return_copy(self, copy_id: str, day: date) -> Fine | None:
        copy = self.copy(copy_id)
        loan = self.loan_for_copy(copy_id)
        if loan is None:
            raise LendingError(f"copy {copy_id} is not on loan")
        if day < loan.start:
            raise ValueError("return before checkout")
        loan.returned = day
        amount = self.fine_for(loan, day)
        fine = None
        if amount > 0:
            fine = Fine(loan.loan_id, loan.member_id, amount)
            self._fines.append(fine)
        self._shelve(copy, day)
        return fine

    def renew(self, loan_id: int, day: date) -> Loan:
        loan = self.loan(loan_id)
        if loan.returned is not None:
            raise LendingError(f"loan {loan_id} is closed")
        if day > loan.due:
            raise LendingError(f"loan {loan_id} is overdue")
        if loan.renewals >= MAX_RENEWALS:
            raise LendingError(f"loan {loan_id} has no renewals left")
        if self.queue(self.copy(loan.copy_id).title_id):
            raise LendingError(f"loan {loan_id} has holds waiting")
        member = self.member(loan.member_id)
        loan.due = loan.due + timedelta(days=member.tier.rules().loan_days)
        loan.renewals += 1
        return loan

    def place_hold(self, member_id: str, title_id: str, day: date) -> Hold:
        member = self.member(member_id)
        self.title(title_id)
        if not member.active:
            raise LendingError(f"member {member_id} is not active")
        if any(h.member_id == member_id and h.title_id == title_id for h in self._holds):
            raise LendingError(f"member {member_id} already holds {title_id}")
        for loan in self.active_loans(member_id):
            if self.copy(loan.copy_id).title_id == title_id:
                raise LendingError(f"member {member_id} already has {title_id}")
        hold = Hold(self._next_hold_id, title_id, member_id, day)
        self._next_hold_id += 1
        self._holds.append(hold)
        for waiting, copy in zip(self.queue(title_id), self.available_copies(title_id)):
            self._assign(waiting, copy, day)
        return hold

    def cancel_hold(self, hold_id: int, day: date) -> None:
        hold = next((h for h in self._holds if h.hold_id == hold_id), None)
        if hold is None:
            raise NotFound(hold_id)
        self._holds.remove(hold)
        if hold.ready_copy is not None:
            self._shelve(self.copy(hold.ready_copy), day)

    def expire_holds(self, day: date) -> list[Hold]:
        expired = [
            h for h in self._holds
            if h.ready_since is not None and (day - h.ready_since).days > PICKUP_DAYS
        ]
        expired.sort(key=lambda h: h.hold_id)
        for hold in expired:
            self.cancel_hold(hold.hold_id, day)
        return expired

    def pay_fines(self, member_id: str) -> int:
        self.member(member_id)
        total = 0
        for fine in self._fines:
            if fine.member_id == member_id and not fine.paid:
                fine.paid = True
                total += fine.amount_cents
        return total

    def _assign(self, hold: Hold, copy: Copy, day: date) -> None:
        hold.ready_copy = copy.copy_id
        hold.ready_since = day
        copy.status = CopyStatus.ON_HOLD_SHELF

    def _shelve(self, copy: Copy, day: date) -> None:
        waiting = self.queue(copy.title_id)
        if waiting:
            self._assign(waiting[0], copy, day)
        else:
            copy.status = CopyStatus.AVAILABLE
