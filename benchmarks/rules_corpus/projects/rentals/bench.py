"""Workload: a year of rentals at a shop with a few hundred customers, billed month by month.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random

from rentals import (
    Agreement,
    BillingService,
    Customer,
    DamageCharge,
    Item,
    Payment,
    PricingService,
    RateCard,
    Repository,
)

CATEGORIES = ["access", "compaction", "concrete", "garden", "generators", "lifting",
              "power-tools", "pumps"]
TIER_SPELLINGS = ["standard", "Standard", "silver", " Silver ", "gold", "GOLD", "platinum",
                  "Plat inum"]
YEAR = 2024
CUSTOMERS = 150


def build(rng: random.Random) -> Repository:
    repo = Repository()
    for category in CATEGORIES:
        daily = rng.randint(8, 60) * 100
        repo.add_rate_card(RateCard(category, daily, daily * rng.randint(3, 5),
                                    daily + rng.randint(1, 20) * 50))
    for n in range(60):
        category = CATEGORIES[n % len(CATEGORIES)]
        repo.add_item(Item(f"I{n:03d}", f"{category} unit {n}", category))
    for n in range(CUSTOMERS):
        repo.add_customer(Customer(f"C{n:04d}", f"Customer {n}", rng.choice(TIER_SPELLINGS)))
    year_start = dt.date(YEAR, 1, 1)
    number = 0
    for n in range(CUSTOMERS):
        cid = f"C{n:04d}"
        for _ in range(rng.randint(4, 26)):
            start = year_start + dt.timedelta(days=rng.randrange(350))
            end = start + dt.timedelta(days=rng.choice([0, 1, 2, 3, 5, 7, 10, 14, 21, 30]))
            roll = rng.random()
            if roll < 0.1 and end.year == YEAR and end.month >= 8:
                returned = None
            elif roll < 0.25:
                returned = end + dt.timedelta(days=rng.randint(1, 20))
            else:
                returned = end
            number += 1
            aid = f"A{number:05d}"
            repo.add_agreement(Agreement(aid, cid, f"I{rng.randrange(60):03d}", start, end,
                                         returned))
            if rng.random() < 0.06:
                repo.add_damage(DamageCharge(aid, rng.randint(5, 400) * 100, "damage"))
        for month in range(1, 13):
            if rng.random() < 0.7:
                day = dt.date(YEAR, month, rng.randint(1, 28))
                repo.add_payment(Payment(cid, day, rng.randint(20, 900) * 100))
    return repo



def main() -> None:
    rng = random.Random(2024)
    repo = build(rng)
    billing = BillingService(repo, PricingService(repo, vat_percent=20))
    print(f"{len(repo.customers)} customers, {len(repo.agreements)} agreements, "
          f"{len(repo.damages)} damages, {len(repo.payments)} payments")
    results = []
    for month in (3, 6, 9, 12):
        run = billing.month_end_run(YEAR, month)
        results.append([s.summary() for s in run])
        closing = sum(s.closing for s in run)
        print(f"{YEAR}-{month:02d}: {len(run)} statements, closing total {closing}")
    texts = [billing.render_statement(billing.statement(f"C{n:04d}", YEAR, 12))
             for n in range(0, CUSTOMERS, 10)]
    overdue = [line.as_tuple() for line in billing.overdue_report(dt.date(YEAR + 1, 1, 31))]
    print(f"overdue {len(overdue)}, top {overdue[:1]}")
    revenue = [billing.revenue_by_category(YEAR, month) for month in range(1, 13)]
    print(f"revenue {revenue[11][:2]}")
    digest = hashlib.sha256(repr((results, texts, overdue, revenue)).encode()).hexdigest()[:16]
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()
