"""A public library's loan desk: catalog, members, loans, reservations, fines and reports."""

from loans.catalog import MEMBER_RULES, Book, Catalog, load_members, parse_member
from loans.desk import (
    FINE_BLOCK,
    LoanDesk,
    LoanRefused,
    is_open,
    money,
    open_days_between,
    overdue_fine,
)
from loans.isbn import IsbnError, format_isbn, normalize_isbn, to_isbn10
from loans.report import MonthReport, format_report, month_bounds, monthly_report

__all__ = [
    "FINE_BLOCK", "MEMBER_RULES", "Book", "Catalog", "IsbnError", "LoanDesk", "LoanRefused",
    "MonthReport", "format_isbn", "format_report", "is_open", "load_members", "money",
    "month_bounds", "monthly_report", "normalize_isbn", "open_days_between", "overdue_fine",
    "parse_member", "to_isbn10",
]
