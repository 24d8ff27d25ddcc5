"""Workload: a branch library over twenty-four weeks of lending, holds, renewals and fines.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta

from library import (
    Copy,
    LendingError,
    LibraryService,
    Member,
    Tier,
    Title,
    availability_report,
    member_activity,
    overdue_report,
    popular_titles,
)

WORDS = ["river", "night", "garden", "empire", "silent", "glass", "winter", "atlas", "paper",
         "storm", "orchard", "harbour", "crown", "shadow", "letters", "island", "machine"]
AUTHORS = ["Ada Byrne", "Tomás Ruiz", "Mei Chen", "O'Neil, Kate", "J. R. Okafor", "Lena Holm",
           "Priya Nair", "Samuel Stone", "Ines Duarte", "Yuki Sato", "Marta Nowak"]
GENRES = ["fiction", "history", "science", "children", "mystery", "travel"]
START = date(2024, 1, 1)


def build(rng: random.Random) -> LibraryService:
    svc = LibraryService()
    for i in range(260):
        name = " ".join(rng.sample(WORDS, rng.randint(1, 3))).title()
        if rng.random() < 0.3:
            name = f"The {name} & {rng.choice(WORDS).title()}"
        svc.add_title(Title(f"T{i:04d}", name, rng.choice(AUTHORS), rng.randint(1950, 2024),
                            rng.choice(GENRES)))
        for k in range(rng.choice([1, 1, 2, 2, 3, 4])):
            svc.add_copy(Copy(f"C{i:04d}-{k}", f"T{i:04d}", rng.choice(["main", "east"])))
    tiers = [Tier.BASIC, Tier.BASIC, Tier.STANDARD, Tier.STANDARD, Tier.PREMIUM]
    for i in range(220):
        svc.add_member(Member(f"M{i:04d}", f"Member {i:03d} {rng.choice(WORDS).title()}",
                              rng.choice(tiers), START - timedelta(days=rng.randint(0, 900))))
    return svc


def simulate(svc: LibraryService, rng: random.Random, days: int) -> dict[str, int]:
    stats = dict.fromkeys(["loans", "refused", "holds", "renewed", "fines", "paid", "notices"], 0)
    open_loans: dict[int, tuple[str, date]] = {}
    holds = []
    title_ids = [t.title_id for t in svc.titles()]
    member_ids = [m.member_id for m in svc.members()]
    for offset in range(days):
        day = START + timedelta(days=offset)
        if day.weekday() == 6:
            continue
        for loan_id, (copy_id, planned) in sorted(open_loans.items()):
            if planned <= day:
                fine = svc.return_copy(copy_id, day)
                stats["fines"] += fine.amount_cents if fine else 0
                del open_loans[loan_id]
        waiting = []
        for hold in holds:
            if hold.ready_copy is None or rng.random() >= 0.6:
                waiting.append(hold)
            else:
                try:
                    loan = svc.checkout(hold.member_id, hold.ready_copy, day)
                except LendingError:
                    stats["refused"] += 1
                    continue
                open_loans[loan.loan_id] = (loan.copy_id, day + timedelta(rng.randint(3, 30)))
                stats["loans"] += 1
        holds = waiting
        for _ in range(24):
            member_id = rng.choice(member_ids)
            title_id = title_ids[min(int(rng.expovariate(1 / 20)), len(title_ids) - 1)]
            if rng.random() < 0.5:
                title_id = rng.choice(title_ids)
            available = svc.available_copies(title_id)
            try:
                if available:
                    loan = svc.checkout(member_id, available[0].copy_id, day)
                    planned = day + timedelta(rng.randint(2, 35))
                    open_loans[loan.loan_id] = (loan.copy_id, planned)
                    stats["loans"] += 1
                else:
                    holds.append(svc.place_hold(member_id, title_id, day))
                    stats["holds"] += 1
            except LendingError:
                stats["refused"] += 1
        for loan in svc.active_loans(rng.choice(member_ids)):
            if loan.due - day <= timedelta(days=3):
                try:
                    svc.renew(loan.loan_id, day)
                    stats["renewed"] += 1
                except LendingError:
                    pass
        if day.weekday() == 5:
            svc.expire_holds(day)
            stats["notices"] += len(overdue_report(svc, day))
            for member_id in rng.sample(member_ids, 25):
                stats["paid"] += svc.pay_fines(member_id)
    return stats


def main() -> None:
    rng = random.Random(2024)
    svc = build(rng)
    stats = simulate(svc, rng, 168)
    end = START + timedelta(days=168)
    print(f"{len(svc.titles())} titles, {len(svc.copies())} copies, {len(svc.members())} members")
    print(f"activity {stats}")
    avail = availability_report(svc)
    print(f"waiting {sum(r.waiting for r in avail)}, shelf {sum(r.available for r in avail)}")
    overdue = overdue_report(svc, end)
    print(f"overdue {len(overdue)}: {overdue[:1]}")
    popular = [popular_titles(svc, START + timedelta(days=w * 28), end, top=5) for w in range(5)]
    print(f"popular {popular[0][:3]}")
    active = member_activity(svc, START, end)
    print(f"most active {[(r.member_id, r.loans, r.late_returns) for r in active[:3]]}")
    found = [[t.title_id for t in svc.search_titles(q)] for q in WORDS + ["the", "glass & river"]]
    positions = [svc.queue_position(m, t) for m in ("M0001", "M0100") for t in ("T0000", "T0001")]
    print(f"search hits {sum(len(f) for f in found)}, queue positions {positions}")
    result = (stats, avail, overdue, popular, active, found, positions)
    digest = hashlib.sha256(repr(result).encode()).hexdigest()[:16]
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()
