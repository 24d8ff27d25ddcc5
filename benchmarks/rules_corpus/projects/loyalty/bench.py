"""Deterministic workload for the loyalty package: prints a summary, never timings."""

import datetime
import hashlib
import random

import loyalty

SEED = 20240611
N_CUSTOMERS = 160
N_TRANSACTIONS = 3_000
N_REDEMPTIONS = 360
START = datetime.date(2023, 1, 1)
END = datetime.date(2024, 12, 31)

FIRST = ["Ada", "Ben", "Cleo", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lena"]
LAST = ["Moss", "Nash", "Okoro", "Pike", "Quinn", "Reyes", "Sato", "Tran", "Ueda", "Voss"]
AMOUNTS = {
    "grocery": (800, 18_000),
    "fuel": (2_500, 9_000),
    "pharmacy": (300, 6_000),
    "electronics": (4_000, 120_000),
    "clothing": (1_500, 25_000),
    "home": (900, 40_000),
}


def make_data(rng):
    span = (END - START).days
    customers = [
        loyalty.make_customer(f"C{i:04d}", f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                              START + datetime.timedelta(days=rng.randrange(60)))
        for i in range(N_CUSTOMERS)
    ]
    weights = [rng.paretovariate(2.5) for _ in customers]
    transactions = []
    for n in range(N_TRANSACTIONS):
        cust = rng.choices(customers, weights)[0]
        category = rng.choice(loyalty.CATEGORIES)
        low, high = AMOUNTS[category]
        day = START + datetime.timedelta(days=rng.randrange(span + 1))
        transactions.append(
            loyalty.make_transaction(f"T{n:06d}", cust.customer_id, day,
                                     rng.randint(low, high), category))
    promotions = []
    for k in range(10):
        start = START + datetime.timedelta(days=rng.randrange(span - 30))
        cats = rng.sample(loyalty.CATEGORIES, rng.randint(0, 2))
        promotions.append(loyalty.make_promotion(
            f"P{k}", start, start + datetime.timedelta(days=rng.randint(3, 21)),
            rng.choice([1.5, 2, 3]), cats))
    rewards = sorted(loyalty.REWARDS)
    redemptions = []
    for _ in range(N_REDEMPTIONS):
        cust = rng.choices(customers, weights)[0]
        reward = rng.choice(rewards)
        day = START + datetime.timedelta(days=rng.randrange(60, span + 1))
        redemptions.append(loyalty.make_redemption(cust.customer_id, day,
                                                   loyalty.reward_cost(reward), reward))
    return customers, transactions, promotions, redemptions


def main():
    rng = random.Random(SEED)
    customers, transactions, promotions, redemptions = make_data(rng)
    digest = hashlib.sha256()

    earnings = loyalty.earn_all(transactions, promotions)
    digest.update(repr(earnings).encode())
    ledger = loyalty.run_ledger(earnings, redemptions, END)
    digest.update(repr(ledger).encode())

    n_statements = 0
    for year, month in loyalty.months_between(datetime.date(2024, 10, 1), END):
        for stmt in loyalty.monthly_statements(customers, transactions, earnings, ledger,
                                               year, month):
            digest.update(loyalty.render_statement(stmt).encode())
            n_statements += 1

    quarter_tiers = {}
    for month in (3, 6, 9, 12):
        _, last = loyalty.month_bounds(2024, month)
        quarter_tiers[month] = loyalty.qualify_all(customers, transactions, last)
    digest.update(repr(sorted((m, sorted(t.items())) for m, t in quarter_tiers.items()))
                  .encode())

    summary = loyalty.programme_summary(customers, transactions, earnings, ledger, END)
    report = loyalty.render_summary(summary)
    digest.update(report.encode())

    print(f"customers    {len(customers)}")
    print(f"transactions {len(transactions)}")
    print(f"points       {sum(e.points for e in earnings)}")
    print(f"capped       {sum(1 for e in earnings if e.points == 0)}")
    print(f"accepted     {sum(1 for o in ledger.outcomes if o.accepted)}")
    print(f"rejected     {sum(1 for o in ledger.outcomes if not o.accepted)}")
    print(f"expired      {sum(lot.points for lot in ledger.expired)}")
    print(f"outstanding  {sum(lot.points for lot in ledger.lots)}")
    print(f"statements   {n_statements}")
    print(f"platinum     {summary['tiers']['Platinum']}")
    print(f"sha256       {digest.hexdigest()[:16]}")


if __name__ == "__main__":
    main()
