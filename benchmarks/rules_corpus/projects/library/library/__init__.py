"""Library lending: members and tiers, copies, loans, hold queues, fines and reports."""

from .models import (
    Copy,
    CopyStatus,
    Fine,
    Hold,
    LendingError,
    Loan,
    Member,
    NotFound,
    Tier,
    TierRules,
    Title,
    chargeable_days,
    format_money,
    late_fee,
)
from .reports import (
    ActivityRow,
    AvailabilityRow,
    availability_report,
    member_activity,
    overdue_report,
    popular_titles,
)
from .service import LibraryService, normalize

__all__ = [
    "ActivityRow", "AvailabilityRow", "Copy", "CopyStatus", "Fine", "Hold", "LendingError",
    "LibraryService", "Loan", "Member", "NotFound", "Tier", "TierRules", "Title",
    "availability_report", "chargeable_days", "format_money", "late_fee",
    "member_activity", "normalize", "overdue_report", "popular_titles",
]
