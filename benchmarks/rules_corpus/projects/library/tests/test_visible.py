from datetime import date, timedelta

import pytest

from library import (
    Copy,
    CopyStatus,
    LendingError,
    LibraryService,
    Member,
    NotFound,
    Tier,
    Title,
    availability_report,
    chargeable_days,
    format_money,
    member_activity,
    overdue_report,
    popular_titles,
)

D0 = date(2024, 3, 4)  # a Monday


def make_service() -> LibraryService:
    svc = LibraryService()
    svc.add_title(Title("T1", "River Night", "Ada Byrne", 2001, "fiction"))
    svc.add_title(Title("T2", "Glass Atlas", "Mei Chen", 1999, "travel"))
    svc.add_copy(Copy("C1a", "T1", "main"))
    svc.add_copy(Copy("C1b", "T1", "east"))
    svc.add_copy(Copy("C2a", "T2", "main"))
    svc.add_member(Member("M1", "Ann", Tier.BASIC, date(2020, 1, 1)))
    svc.add_member(Member("M2", "Bob", Tier.PREMIUM, date(2021, 1, 1)))
    svc.add_member(Member("M3", "Cid", Tier.STANDARD, date(2022, 1, 1)))
    return svc


def test_checkout_sets_due_by_tier():
    svc = make_service()
    loan = svc.checkout("M1", "C1a", D0)
    assert loan.due == D0 + timedelta(days=14)
    assert svc.copy("C1a").status is CopyStatus.ON_LOAN
    assert svc.checkout("M2", "C2a", D0).due == D0 + timedelta(days=28)
    assert [x.copy_id for x in svc.active_loans("M1")] == ["C1a"]


def test_return_on_time_has_no_fine():
    svc = make_service()
    svc.checkout("M1", "C1a", D0)
    assert svc.return_copy("C1a", D0 + timedelta(days=10)) is None
    assert svc.copy("C1a").status is CopyStatus.AVAILABLE
    assert svc.active_loans("M1") == []


def test_late_return_fine():
    svc = make_service()
    loan = svc.checkout("M1", "C1a", D0)
    fine = svc.return_copy("C1a", loan.due + timedelta(days=7))
    # 7 days late, one Sunday skipped, one grace day: 5 days at 25 cents
    assert fine is not None and fine.amount_cents == 125
    assert svc.outstanding_fines("M1") == 125
    assert svc.pay_fines("M1") == 125
    assert svc.outstanding_fines("M1") == 0


def test_chargeable_days_and_money():
    assert chargeable_days(D0, D0) == 0
    assert chargeable_days(D0, D0 + timedelta(days=1)) == 0
    assert chargeable_days(D0, D0 + timedelta(days=7)) == 5
    assert format_money(125) == "$1.25"
    assert format_money(5) == "$0.05"


def test_hold_queue_and_pickup():
    svc = make_service()
    svc.checkout("M1", "C2a", D0)
    h2 = svc.place_hold("M2", "T2", D0)
    h3 = svc.place_hold("M3", "T2", D0 + timedelta(days=1))
    assert svc.queue_position("M2", "T2") == 1
    assert svc.queue_position("M3", "T2") == 2
    svc.return_copy("C2a", D0 + timedelta(days=3))
    assert h2.ready_copy == "C2a"
    assert svc.copy("C2a").status is CopyStatus.ON_HOLD_SHELF
    with pytest.raises(LendingError):
        svc.checkout("M3", "C2a", D0 + timedelta(days=4))
    svc.checkout("M2", "C2a", D0 + timedelta(days=4))
    assert svc.queue_position("M3", "T2") == 1
    assert h3.ready_copy is None


def test_loan_limit():
    svc = make_service()
    svc.add_title(Title("T3", "Storm", "Lena Holm", 2010, "mystery"))
    for i in range(4):
        svc.add_copy(Copy(f"C3{i}", "T3", "main"))
    for i in range(3):
        svc.checkout("M1", f"C3{i}", D0)
    with pytest.raises(LendingError):
        svc.checkout("M1", "C33", D0)


def test_unknown_ids():
    svc = make_service()
    with pytest.raises(NotFound):
        svc.checkout("M9", "C1a", D0)
    with pytest.raises(NotFound):
        svc.add_copy(Copy("X", "T9", "main"))


def test_availability_report():
    svc = make_service()
    svc.checkout("M1", "C1a", D0)
    rows = availability_report(svc)
    assert [(r.title_id, r.total, r.available, r.on_loan, r.waiting) for r in rows] == [
        ("T2", 1, 1, 0, 0),
        ("T1", 2, 1, 1, 0),
    ]


def test_overdue_report():
    svc = make_service()
    svc.checkout("M1", "C1a", D0)
    lines = overdue_report(svc, D0 + timedelta(days=20))
    assert len(lines) == 1
    assert "Ann" in lines[0] and "River Night" in lines[0] and "[C1a]" in lines[0]
    assert lines[0].endswith("$1.00")


def test_popular_and_activity():
    svc = make_service()
    svc.checkout("M1", "C1a", D0)
    svc.checkout("M2", "C1b", D0)
    svc.checkout("M2", "C2a", D0)
    assert popular_titles(svc, D0, D0, top=5) == [
        ("T1", "River Night", 2), ("T2", "Glass Atlas", 1),
    ]
    rows = member_activity(svc, D0, D0)
    assert [(r.member_id, r.loans, r.distinct_titles) for r in rows] == [
        ("M2", 2, 2), ("M1", 1, 1), ("M3", 0, 0),
    ]


def test_search_titles():
    svc = make_service()
    assert [t.title_id for t in svc.search_titles("river")] == ["T1"]
    assert [t.title_id for t in svc.search_titles("  CHEN ")] == ["T2"]
    assert svc.search_titles("nothing") == []
