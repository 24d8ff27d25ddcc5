import random
from collections import Counter
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
    late_fee,
    member_activity,
    overdue_report,
    popular_titles,
)

D0 = date(2024, 3, 4)  # a Monday


def day(n: int) -> date:
    return D0 + timedelta(days=n)


def small() -> LibraryService:
    svc = LibraryService()
    svc.add_title(Title("T1", "River Night", "Ada Byrne", 2001, "fiction"))
    svc.add_title(Title("T2", "Glass Atlas", "Mei Chen", 1999, "travel"))
    svc.add_copy(Copy("C1a", "T1", "main"))
    svc.add_copy(Copy("C2a", "T2", "main"))
    for i, tier in enumerate([Tier.BASIC, Tier.STANDARD, Tier.PREMIUM, Tier.BASIC], start=1):
        svc.add_member(Member(f"M{i}", f"Name {i}", tier, date(2020, 1, 1)))
    return svc


def ref_days(due: date, end: date) -> int:
    n = 0
    d = due
    while d < end:
        d += timedelta(days=1)
        n += d.weekday() != 6
    return max(0, n - 1)


def test_empty_service():
    svc = LibraryService()
    assert availability_report(svc) == []
    assert overdue_report(svc, D0) == []
    assert popular_titles(svc, D0, day(30)) == []
    assert member_activity(svc, D0, day(30)) == []
    assert svc.search_titles("anything") == []
    assert svc.queue("T1") == []
    assert svc.overdue_loans(D0) == []
    assert svc.expire_holds(D0) == []


def test_duplicates_and_unknown_ids():
    svc = small()
    with pytest.raises(ValueError):
        svc.add_member(Member("M1", "Again", Tier.BASIC, D0))
    with pytest.raises(ValueError):
        svc.add_title(Title("T1", "Again", "X", 2000, "x"))
    with pytest.raises(ValueError):
        svc.add_copy(Copy("C1a", "T2", "east"))
    with pytest.raises(NotFound):
        svc.loan(99)
    with pytest.raises(NotFound):
        svc.cancel_hold(5, D0)
    with pytest.raises(NotFound):
        svc.place_hold("M1", "T9", D0)
    with pytest.raises(KeyError):
        svc.pay_fines("M9")


def test_bad_returns_and_checkouts():
    svc = small()
    with pytest.raises(LendingError):
        svc.return_copy("C1a", D0)
    svc.checkout("M1", "C1a", day(5))
    with pytest.raises(ValueError):
        svc.return_copy("C1a", day(4))
    with pytest.raises(LendingError):
        svc.checkout("M2", "C1a", day(5))
    svc.add_copy(Copy("C1r", "T1", "east", CopyStatus.REPAIR))
    with pytest.raises(LendingError):
        svc.checkout("M2", "C1r", day(5))
    with pytest.raises(ValueError):
        popular_titles(svc, D0, day(9), top=-1)
    assert popular_titles(svc, D0, day(9), top=0) == []


def test_inactive_member_and_fine_block():
    svc = small()
    svc.member("M2").active = False
    with pytest.raises(LendingError):
        svc.checkout("M2", "C1a", D0)
    with pytest.raises(LendingError):
        svc.place_hold("M2", "T1", D0)
    loan = svc.checkout("M1", "C1a", D0)
    svc.return_copy("C1a", loan.due + timedelta(days=60))
    svc.checkout("M4", "C2a", D0)
    svc.return_copy("C2a", day(100))
    svc.checkout("M1", "C2a", day(101))
    svc.return_copy("C2a", day(200))
    assert svc.outstanding_fines("M1") == 1000
    svc.checkout("M1", "C1a", day(201))
    svc.return_copy("C1a", day(300))
    with pytest.raises(LendingError):
        svc.checkout("M1", "C1a", day(301))
    svc.pay_fines("M1")
    assert svc.checkout("M1", "C1a", day(301)).member_id == "M1"


def test_chargeable_days_random_against_reference():
    rng = random.Random(7)
    for _ in range(400):
        due = D0 + timedelta(days=rng.randint(-400, 400))
        end = due + timedelta(days=rng.randint(-20, 120))
        assert chargeable_days(due, end) == ref_days(due, end), (due, end)
    for tier in Tier:
        rules = tier.rules()
        assert late_fee(tier, D0, day(365)) == rules.fine_cap_cents
        assert late_fee(tier, D0, day(3)) == 2 * rules.daily_fine_cents


def test_tier_change_applies_to_later_calls():
    svc = small()
    first = svc.checkout("M1", "C1a", D0)
    assert first.due == day(14)
    svc.member("M1").tier = Tier.PREMIUM
    second = svc.checkout("M1", "C2a", D0)
    assert second.due == day(28)
    assert svc.fine_for(first, day(25)) == 10 * ref_days(day(14), day(25))
    lines = overdue_report(svc, day(25))
    assert len(lines) == 1 and lines[0].endswith("$0.90")


def test_renewals():
    svc = small()
    loan = svc.checkout("M2", "C1a", D0)
    assert svc.renew(loan.loan_id, day(1)).due == day(42)
    assert svc.renew(loan.loan_id, day(2)).due == day(63)
    with pytest.raises(LendingError):
        svc.renew(loan.loan_id, day(3))
    other = svc.checkout("M1", "C2a", D0)
    svc.place_hold("M3", "T2", day(1))
    with pytest.raises(LendingError):
        svc.renew(other.loan_id, day(2))
    svc.return_copy("C1a", day(5))
    with pytest.raises(LendingError):
        svc.renew(loan.loan_id, day(6))
    third = svc.checkout("M4", "C1a", day(6))
    with pytest.raises(LendingError):
        svc.renew(third.loan_id, day(40))


def test_queue_orders_by_placed_date_not_arrival():
    svc = small()
    svc.checkout("M1", "C2a", D0)
    late = svc.place_hold("M2", "T2", day(5))
    early = svc.place_hold("M3", "T2", day(2))
    same = svc.place_hold("M4", "T2", day(2))
    assert [h.hold_id for h in svc.queue("T2")] == [early.hold_id, same.hold_id, late.hold_id]
    assert svc.queue_position("M2", "T2") == 3
    svc.return_copy("C2a", day(6))
    assert early.ready_copy == "C2a" and late.ready_copy is None
    assert svc.queue_position("M3", "T2") is None
    assert svc.queue_position("M4", "T2") == 1


def test_duplicate_hold_and_hold_on_own_loan():
    svc = small()
    svc.checkout("M1", "C1a", D0)
    with pytest.raises(LendingError):
        svc.place_hold("M1", "T1", D0)
    svc.place_hold("M2", "T1", D0)
    with pytest.raises(LendingError):
        svc.place_hold("M2", "T1", day(1))


def test_hold_on_available_title_is_ready_at_once():
    svc = small()
    hold = svc.place_hold("M2", "T1", D0)
    assert hold.ready_copy == "C1a" and hold.ready_since == D0
    assert svc.copy("C1a").status is CopyStatus.ON_HOLD_SHELF
    assert svc.available_copies("T1") == []
    svc.cancel_hold(hold.hold_id, day(1))
    assert svc.copy("C1a").status is CopyStatus.AVAILABLE
    assert svc.queue("T1") == []


def test_expire_holds_passes_copy_on():
    svc = small()
    svc.checkout("M1", "C1a", D0)
    a = svc.place_hold("M2", "T1", day(1))
    b = svc.place_hold("M3", "T1", day(2))
    svc.return_copy("C1a", day(3))
    assert a.ready_copy == "C1a"
    assert svc.expire_holds(day(10)) == []
    assert [h.hold_id for h in svc.expire_holds(day(11))] == [a.hold_id]
    assert b.ready_copy == "C1a" and b.ready_since == day(11)
    with pytest.raises(LendingError):
        svc.checkout("M2", "C1a", day(11))
    assert svc.checkout("M3", "C1a", day(12)).copy_id == "C1a"


def test_reports_follow_later_changes():
    svc = small()
    svc.checkout("M1", "C1a", D0)
    assert [r.available for r in availability_report(svc)] == [1, 0]
    assert len(overdue_report(svc, day(20))) == 1
    svc.return_copy("C1a", day(15))
    assert [r.available for r in availability_report(svc)] == [1, 1]
    assert overdue_report(svc, day(20)) == []
    svc.title("T1").name = "Another Name"
    assert [r.name for r in availability_report(svc)] == ["Another Name", "Glass Atlas"]
    assert [t.title_id for t in svc.search_titles("another")] == ["T1"]
    assert svc.search_titles("river") == []
    svc.add_copy(Copy("C1b", "T1", "east"))
    assert [r.total for r in availability_report(svc)] == [2, 1]


def test_ties_and_ordering():
    svc = LibraryService()
    for tid, name in [("T3", "beta"), ("T1", "Beta"), ("T2", "alpha")]:
        svc.add_title(Title(tid, name, "A", 2000, "g"))
        svc.add_copy(Copy("C" + tid, tid, "main"))
    for mid, name in [("M2", "Zed"), ("M1", "Zed"), ("M3", "Amy")]:
        svc.add_member(Member(mid, name, Tier.PREMIUM, D0))
    for mid, cid in [("M2", "CT3"), ("M1", "CT1"), ("M3", "CT2")]:
        svc.checkout(mid, cid, D0)
    assert popular_titles(svc, D0, D0) == [("T2", "alpha", 1), ("T1", "Beta", 1), ("T3", "beta", 1)]
    assert [r.title_id for r in availability_report(svc)] == ["T2", "T1", "T3"]
    assert [r.member_id for r in member_activity(svc, D0, D0)] == ["M3", "M1", "M2"]
    assert popular_titles(svc, day(1), day(5)) == []
    assert [t.title_id for t in svc.search_titles("a")] == ["T2", "T1", "T3"]


def test_search_normalization():
    svc = LibraryService()
    svc.add_title(Title("T1", "War & Peace", "Tolstoy, Leo", 1869, "fiction"))
    svc.add_title(Title("T2", "Peace-Keeping: A Guide", "O'Neil", 1990, "history"))
    svc.add_title(Title("T3", "Warships", "Smith", 1990, "history"))
    assert [t.title_id for t in svc.search_titles("peace")] == ["T2", "T1"]
    assert [t.title_id for t in svc.search_titles("war and peace")] == ["T1"]
    assert [t.title_id for t in svc.search_titles("LEO, tolstoy!")] == ["T1"]
    assert [t.title_id for t in svc.search_titles("o neil")] == ["T2"]
    assert [t.title_id for t in svc.search_titles("war")] == ["T1"]
    assert len(svc.search_titles("")) == 3


def test_random_workload_against_reference():
    rng = random.Random(99)
    svc = LibraryService()
    for i in range(30):
        svc.add_title(Title(f"T{i:02d}", f"Book {rng.randint(0, 9)}", "A", 2000, "g"))
        for k in range(rng.randint(1, 3)):
            svc.add_copy(Copy(f"C{i:02d}{k}", f"T{i:02d}", "main"))
    tiers = list(Tier)
    for i in range(25):
        svc.add_member(Member(f"M{i:02d}", f"P{rng.randint(0, 5)}", rng.choice(tiers), D0))
    placed = []
    owed: Counter[str] = Counter()
    for n in range(60):
        today = day(n)
        for _ in range(12):
            m = f"M{rng.randrange(25):02d}"
            t = f"T{rng.randrange(30):02d}"
            action = rng.random()
            try:
                if action < 0.45:
                    free = svc.available_copies(t)
                    if free:
                        svc.checkout(m, free[0].copy_id, today)
                    else:
                        placed.append(svc.place_hold(m, t, today - timedelta(rng.randint(0, 3))))
                elif action < 0.75:
                    mine = svc.active_loans(m)
                    if mine:
                        fine = svc.return_copy(rng.choice(mine).copy_id, today)
                        if fine is not None:
                            owed[fine.member_id] += fine.amount_cents
                elif action < 0.85:
                    ready = [h for h in placed if h.member_id == m and h.ready_copy]
                    if ready:
                        svc.checkout(m, ready[0].ready_copy, today)
                elif action < 0.9:
                    mine = svc.active_loans(m)
                    if mine:
                        svc.renew(mine[0].loan_id, today)
                else:
                    svc.expire_holds(today)
            except LendingError:
                pass
        if n % 5 == 0:
            svc.member(f"M{rng.randrange(25):02d}").tier = rng.choice(tiers)
    end = day(60)
    loans = svc.loans()
    copy_title = {c.copy_id: c.title_id for c in svc.copies()}
    for m in svc.members():
        expect = [x for x in loans if x.member_id == m.member_id and x.returned is None]
        assert svc.active_loans(m.member_id) == expect
        assert svc.outstanding_fines(m.member_id) == owed[m.member_id]
    open_copies = {x.copy_id for x in loans if x.returned is None}
    for c in svc.copies():
        assert (c.status is CopyStatus.ON_LOAN) == (c.copy_id in open_copies)
    counts = Counter(copy_title[x.copy_id] for x in loans if day(10) <= x.start <= day(40))
    names = {t.title_id: t.name for t in svc.titles()}
    expect_pop = sorted(counts.items(), key=lambda kv: (-kv[1], names[kv[0]].lower(), kv[0]))
    assert popular_titles(svc, day(10), day(40), top=7) == [
        (t, names[t], k) for t, k in expect_pop[:7]
    ]
    overdue = sorted((x for x in loans if x.returned is None and x.due < end),
                     key=lambda x: (x.due, x.loan_id))
    assert svc.overdue_loans(end) == overdue
    lines = overdue_report(svc, end)
    assert len(lines) == len(overdue)
    for line, x in zip(lines, overdue):
        tier = svc.member(x.member_id).tier
        fee = min(ref_days(x.due, end) * tier.rules().daily_fine_cents,
                  tier.rules().fine_cap_cents)
        assert line.endswith(f"${fee // 100}.{fee % 100:02d}")
    for t in names:
        waiting = [h for h in placed if h.title_id == t and h.ready_copy is None]
        assert svc.queue(t) == sorted(waiting, key=lambda h: (h.placed, h.hold_id))
    rows = member_activity(svc, D0, end)
    for r in rows:
        mine = [x for x in loans if x.member_id == r.member_id]
        assert r.loans == len(mine)
        assert r.distinct_titles == len({copy_title[x.copy_id] for x in mine})
        assert r.late_returns == sum(1 for x in mine if x.returned and x.returned > x.due)
    keys = [(-r.loans, r.name, r.member_id) for r in rows]
    assert keys == sorted(keys) and len(rows) == 25
    assert sum(owed.values()) > 0 and len(overdue) > 0 and len(placed) > 20
