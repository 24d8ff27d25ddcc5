"""The monthly circulation report."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

from loans.desk import LoanDesk, money


@dataclass
class MonthReport:
    year: int
    month: int
    checkouts: int = 0
    returns: int = 0
    fines: int = 0
    late_returns: int = 0
    top_titles: list[tuple[str, str, int]] = field(default_factory=list)
    by_kind: dict[str, int] = field(default_factory=dict)
    busiest: list[tuple[str, int]] = field(default_factory=list)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, not {month}")
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def monthly_report(desk: LoanDesk, year: int, month: int, top: int = 5) -> MonthReport:
    first, last = month_bounds(year, month)
    report = MonthReport(year, month)
    every_loan = [entry[0] for entry in desk.returned] + list(desk.loans)
    lent = [loan for loan in every_loan if first <= loan[2] <= last]
    report.checkouts = len(lent)
    for loan, returned_on, fine in desk.returned:
        if first <= returned_on <= last:
            report.returns += 1
            report.fines += fine
            if returned_on > loan[3]:
                report.late_returns += 1

    per_book: dict[str, int] = {}
    for loan in lent:
        per_book[loan[0]] = per_book.get(loan[0], 0) + 1
    titles = []
    for isbn, count in per_book.items():
        titles.append((desk.catalog.get(isbn).title, isbn, count))
    titles.sort(key=lambda t: (-t[2], t[0].casefold(), t[1]))
    report.top_titles = titles[:top]

    busiest = []
    for member in desk.members:
        count = 0
        for loan in lent:
            if loan[1] == member["code"]:
                count += 1
        if count:
            report.by_kind[member["kind"]] = report.by_kind.get(member["kind"], 0) + count
            busiest.append((member["code"], count))
    busiest.sort(key=lambda b: (-b[1], b[0]))
    report.busiest = busiest[:top]
    return report


def format_report(report: MonthReport) -> str:
    name = f"{calendar.month_name[report.month]} {report.year}"
    lines = [
        f"Circulation, {name}",
        "=" * (13 + len(name)),
        f"checkouts  {report.checkouts:>6}",
        f"returns    {report.returns:>6}  ({report.late_returns} late)",
        f"fines      {money(report.fines):>10}",
    ]
    if report.by_kind:
        kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(report.by_kind.items()))
        lines.append(f"by member  {kinds}")
    if report.top_titles:
        lines.append("most borrowed:")
        for rank, (title, isbn, count) in enumerate(report.top_titles, 1):
            short = title if len(title) <= 40 else title[:37] + "..."
            lines.append(f"  {rank}. {short:<40} {count:>3}  {isbn}")
    if report.busiest:
        lines.append("busiest members: " + ", ".join(f"{c} ({n})" for c, n in report.busiest))
    return "\n".join(lines)
