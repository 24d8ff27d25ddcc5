"""Desk reports: availability, overdue lists, popular titles and member activity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .models import CopyStatus, format_money
from .service import LibraryService


@dataclass
class AvailabilityRow:
    title_id: str
    name: str
    total: int
    available: int
    on_loan: int
    waiting: int


@dataclass
class ActivityRow:
    member_id: str
    name: str
    loans: int
    distinct_titles: int
    late_returns: int
    owed_cents: int


def availability_report(service: LibraryService) -> list[AvailabilityRow]:
    rows = []
    for title in service.titles():
        copies = [c for c in service.copies() if c.title_id == title.title_id]
        available = sum(1 for c in copies if c.status is CopyStatus.AVAILABLE)
        on_loan = sum(1 for c in copies if c.status is CopyStatus.ON_LOAN)
        waiting = len(service.queue(title.title_id))
        rows.append(
            AvailabilityRow(title.title_id, title.name, len(copies), available, on_loan, waiting)
        )
    rows.sort(key=lambda r: (r.name.lower(), r.title_id))
    return rows


def overdue_report(service: LibraryService, day: date) -> list[str]:
    lines = []
    for loan in service.overdue_loans(day):
        member = service.member(loan.member_id)
        copy = service.copy(loan.copy_id)
        title = service.title(copy.title_id)
        late = (day - loan.due).days
        fee = service.fine_for(loan, day)
        lines.append(
            f"{loan.due.isoformat()} {late:>3}d {member.name:<22} "
            f"{title.name} [{copy.copy_id}] {format_money(fee)}"
        )
    return lines


def popular_titles(
    service: LibraryService, since: date, until: date, top: int = 10
) -> list[tuple[str, str, int]]:
    if top < 0:
        raise ValueError("top must not be negative")
    counts: dict[str, int] = {}
    for loan in service.loans():
        if since <= loan.start <= until:
            title_id = service.copy(loan.copy_id).title_id
            counts[title_id] = counts.get(title_id, 0) + 1
    ranked = sorted(counts, key=lambda t: (-counts[t], service.title(t).name.lower(), t))
    return [(t, service.title(t).name, counts[t]) for t in ranked[:top]]


def member_activity(service: LibraryService, since: date, until: date) -> list[ActivityRow]:
    rows = []
    for member in service.members():
        loans = [
            loan for loan in service.loans()
            if loan.member_id == member.member_id and since <= loan.start <= until
        ]
        titles = {service.copy(loan.copy_id).title_id for loan in loans}
        late = sum(1 for loan in loans if loan.returned is not None and loan.returned > loan.due)
        owed = service.outstanding_fines(member.member_id)
        rows.append(
            ActivityRow(member.member_id, member.name, len(loans), len(titles), late, owed)
        )
    rows.sort(key=lambda r: (-r.loans, r.name, r.member_id))
    return rows

