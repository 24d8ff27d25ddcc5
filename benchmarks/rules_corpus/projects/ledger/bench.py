"""Workload: a year of bookkeeping; month-end trial balances, statements and bank reconciliation.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta
from decimal import Decimal

from ledger import Ledger, Posting, Transaction, reconcile
from ledger.accounts import standard_chart
from ledger.reports import balance_sheet, income_statement

EXPENSES = ["6000", "6100", "6200", "6300", "6400", "6500"]


def make_transactions(rng: random.Random, n: int) -> list[Transaction]:
    txns = []
    start = date(2023, 1, 1)
    for i in range(n):
        day = (start + timedelta(days=rng.randrange(365))).isoformat()
        amount = Decimal(rng.randrange(500, 500000)) / 100
        kind = rng.random()
        if kind < 0.4:
            vat = (amount * Decimal("0.19")).quantize(Decimal("0.01"))
            postings = [Posting(rng.choice(["1200", "1400"]), amount + vat),
                        Posting(rng.choice(["4000", "4100"]), -amount), Posting("2100", -vat)]
        elif kind < 0.8:
            postings = [Posting(rng.choice(EXPENSES), amount),
                        Posting(rng.choice(["1200", "1000", "2000"]), -amount)]
        else:
            postings = [Posting("1200", amount), Posting("1400", -amount)]
        txns.append(Transaction(f"T{i:05d}", day, f"booking {i}", postings))
    return txns


def main() -> None:
    rng = random.Random(1789)
    ledger = Ledger(standard_chart())
    opening = [Posting("1200", Decimal("50000")), Posting("3000", Decimal("-50000"))]
    ledger.post(Transaction("OPEN", "2023-01-01", "opening", opening))
    for txn in make_transactions(rng, 3200):
        ledger.post(txn)
    month_ends = [date(2023, m, 28) for m in range(1, 13)]
    closing = [ledger.trial_balance(d) for d in month_ends]
    statement = []
    for txn in rng.sample(ledger.transactions, 1600):
        for p in txn.postings:
            if p.account == "1200":
                statement.append(f"{txn.day}|{p.amount}|REF-{txn.ident}")
    statement += ["2023-05-05|12,34|REF-X", "2023-07-07|99.00|REF-Y"]
    pairs, unmatched = reconcile(ledger, statement)
    bank = ledger.account_statement("1200")
    print(f"{len(ledger.transactions)} transactions")
    bank_at = [str(dict((c, b) for c, _, b in tb)["1200"]) for tb in closing[:4]]
    print(f"bank by month-end {bank_at}")
    print("\n".join(income_statement(ledger)))
    print(f"balance sheet {balance_sheet(ledger)}")
    print(f"sales by month {list(ledger.monthly_totals('4000').values())[:3]}")
    print(f"reconciled {len(pairs)}, unmatched {unmatched}")
    print(f"bank statement {len(bank)} lines sha256 "
          f"{hashlib.sha256(chr(10).join(bank).encode()).hexdigest()[:16]}")


if __name__ == "__main__":
    main()
