"""Records of the lending desk: members, titles, copies, loans, holds and fines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

GRACE_DAYS = 1
FINE_BLOCK_CENTS = 1000
MAX_RENEWALS = 2
PICKUP_DAYS = 7


class NotFound(KeyError):
    """An id that no record carries."""


class LendingError(ValueError):
    """A lending rule forbids the operation."""


@dataclass(frozen=True)
class TierRules:
    max_loans: int
    loan_days: int
    daily_fine_cents: int
    fine_cap_cents: int


class Tier(Enum):
    BASIC = "basic"
    STANDARD = "standard"
    PREMIUM = "premium"

    def rules(self) -> TierRules:
        table = {
            Tier.BASIC: TierRules(3, 14, 25, 500),
            Tier.STANDARD: TierRules(5, 21, 20, 400),
            Tier.PREMIUM: TierRules(10, 28, 10, 200),
        }
        return table[self]


class CopyStatus(Enum):
    AVAILABLE = "available"
    ON_LOAN = "on loan"
    ON_HOLD_SHELF = "on hold shelf"
    REPAIR = "repair"


@dataclass
class Member:
    member_id: str
    name: str
    tier: Tier
    joined: date
    active: bool = True


@dataclass
class Title:
    title_id: str
    name: str
    author: str
    year: int
    genre: str


@dataclass
class Copy:
    copy_id: str
    title_id: str
    branch: str
    status: CopyStatus = CopyStatus.AVAILABLE


@dataclass
class Loan:
    loan_id: int
    copy_id: str
    member_id: str
    start: date
    due: date
    returned: date | None = None
    renewals: int = 0


@dataclass
class Hold:
    hold_id: int
    title_id: str
    member_id: str
    placed: date
    ready_copy: str | None = None
    ready_since: date | None = None


@dataclass
class Fine:
    loan_id: int
    member_id: str
    amount_cents: int
    paid: bool = False


def chargeable_days(due: date, end: date) -> int:
    """Days after `due` up to and including `end`, Sundays excluded, less the grace days."""
    days = 0
    current = due
    while current < end:
        current += timedelta(days=1)
        if current.weekday() != 6:
            days += 1
    return max(0, days - GRACE_DAYS)


def late_fee(tier: Tier, due: date, end: date) -> int:
    rules = tier.rules()
    return min(chargeable_days(due, end) * rules.daily_fine_cents, rules.fine_cap_cents)


def format_money(cents: int) -> str:
    return f"{'-' if cents < 0 else ''}${abs(cents) // 100}.{abs(cents) % 100:02d}"
