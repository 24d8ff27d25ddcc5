"""Workload: 14 months of two accounts, imported as overlapping bank statements, then reported.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta

from budget import (
    budget_status,
    categorize,
    detect_recurring,
    low_balance_days,
    merge_transactions,
    month_over_month,
    monthly_totals,
    parse_rules,
    parse_transactions,
    running_balances,
    to_csv,
    top_payees,
    uncategorized_payees,
)

START = date(2023, 1, 1)
DAYS = 430

RULES = """
# groceries and eating out
WHOLE FOODS|TRADER JOE|SAFEWAY|KROGER|ALDI -> Groceries
STARBUCKS|PEET'?S|BLUE BOTTLE -> Coffee
CHIPOTLE|SUBWAY|PANERA|TACO|PIZZA|SUSHI|THAI -> Dining
DOORDASH|UBER EATS|GRUBHUB -> Dining
# getting around
SHELL|CHEVRON|EXXON|VALERO -> Fuel
UBER|LYFT|METRO TRANSIT -> Transport
PARKING|TOLL -> Transport
# home
RENT|PROPERTY MGMT -> Housing
CITY POWER|WATER DEPT|GAS CO -> Utilities
COMCAST|VERIZON|T MOBILE -> Utilities
HOME DEPOT|LOWE'?S|IKEA -> Home
# subscriptions
NETFLIX|SPOTIFY|HULU|DISNEY PLUS|ICLOUD -> Subscriptions
GYM|FITNESS|YOGA -> Fitness
# shopping
AMAZON|TARGET|WALMART|COSTCO -> Shopping
BEST BUY|APPLE STORE -> Electronics
CVS|WALGREENS|PHARMACY -> Health
DENTAL|CLINIC|DR  -> Health
INSURANCE|GEICO|STATE FARM -> Insurance
AIRLINES|HOTEL|AIRBNB -> Travel
PAYROLL|DIRECT DEP -> Salary
TRANSFER|AUTOPAY -> Transfers
"""

MERCHANTS = [
    ("POS PURCHASE WHOLE FOODS MKT #{n} AUSTIN TX", 20, 140, 0.35),
    ("TRADER JOE'S #{n}", 15, 90, 0.3),
    ("SAFEWAY {n}", 10, 80, 0.2),
    ("SQ *BLUE BOTTLE COFFEE", 4, 9, 0.4),
    ("STARBUCKS STORE {n}", 4, 8, 0.6),
    ("CHIPOTLE {n}", 9, 18, 0.2),
    ("TST* THAI ORCHID", 20, 60, 0.1),
    ("DOORDASH*SUSHI ZEN", 25, 55, 0.1),
    ("SHELL OIL {n}", 30, 70, 0.15),
    ("CHEVRON {n}", 30, 75, 0.1),
    ("UBER *TRIP", 8, 35, 0.2),
    ("CITY PARKING #{n}", 3, 20, 0.1),
    ("HOME DEPOT #{n}", 10, 300, 0.05),
    ("AMAZON MKTPL*{n}", 8, 120, 0.5),
    ("TARGET {n}", 10, 150, 0.15),
    ("COSTCO WHSE #{n}", 60, 260, 0.07),
    ("BEST BUY #{n}", 25, 600, 0.02),
    ("CVS/PHARMACY #{n}", 5, 45, 0.08),
    ("PAYPAL *EBAY", 10, 90, 0.05),
    ("VENMO PAYMENT", 10, 80, 0.06),
    ("CORNER BOOKSHOP", 12, 40, 0.03),
    ("FARMERS MARKET", 8, 35, 0.05),
    ("DELTA AIRLINES", 150, 600, 0.01),
    ("AIRBNB * HM{n}", 200, 900, 0.01),
]

# (payee, amount, every days, first day offset, account)
RECURRING = [
    ("PROPERTY MGMT RENT", -1850.00, 30, 1, "checking"),
    ("ACH DEBIT CITY POWER", -92.40, 30, 12, "checking"),
    ("COMCAST CABLE", -79.99, 30, 18, "credit"),
    ("NETFLIX.COM", -15.49, 30, 5, "credit"),
    ("SPOTIFY USA", -10.99, 30, 9, "credit"),
    ("PLANET FITNESS GYM", -24.99, 30, 3, "credit"),
    ("GEICO INSURANCE", -131.20, 30, 22, "checking"),
    ("ACH CREDIT ACME CORP PAYROLL", 3450.00, 14, 4, "checking"),
    ("CLEANING BY ROSA", -90.00, 7, 2, "checking"),
    ("ONLINE TRANSFER TO SAVINGS", -400.00, 30, 6, "checking"),
    ("AUTOPAY CARD PAYMENT", -2600.00, 30, 20, "checking"),
    ("AUTOPAY CARD PAYMENT THANK YOU", 2600.00, 30, 21, "credit"),
]

BUDGETS = {
    "Groceries": 650.0,
    "Coffee": 90.0,
    "Dining": 300.0,
    "Fuel": 180.0,
    "Transport": 120.0,
    "Shopping": 500.0,
    "Subscriptions": 30.0,
    "Utilities": 200.0,
    "Health": 80.0,
    "Home": 150.0,
}


def make_rows(rng: random.Random) -> list[list[str]]:
    rows = []
    for day in range(DAYS):
        when = (START + timedelta(days=day)).isoformat()
        for payee, low, high, chance in MERCHANTS:
            if rng.random() < chance:
                name = payee.format(n=rng.choice(["0142", "0977", "2210", "31", "5"]))
                amount = -round(rng.uniform(low, high), 2)
                account = "credit" if rng.random() < 0.7 else "checking"
                memo = "" if rng.random() < 0.8 else f"ref {rng.randrange(10**6):06d}"
                rows.append([when, name, f"{amount:.2f}", account, memo])
        for payee, amount, every, first, account in RECURRING:
            if day >= first and (day - first) % every == 0:
                jitter = round(amount * rng.uniform(-0.03, 0.03), 2) if every == 30 else 0.0
                value = amount + jitter if "CITY POWER" in payee else amount
                rows.append([when, payee, f"{value:.2f}", account, ""])
        if rng.random() < 0.03:
            rows.append([when, "REFUND AMAZON MKTPL", f"{rng.uniform(5, 80):.2f}", "credit", ""])
    return rows


def statements(rows: list[list[str]], rng: random.Random) -> list[str]:
    """CSV exports of overlapping windows, as a bank's download page would give them."""
    texts = []
    for start in range(0, DAYS, 60):
        first = (START + timedelta(days=max(0, start - 12))).isoformat()
        last = (START + timedelta(days=start + 60)).isoformat()
        for account in ("checking", "credit"):
            part = [r for r in rows if first <= r[0] < last and r[3] == account]
            rng.shuffle(part)
            texts.append(to_csv(part))
    return texts


def main() -> None:
    rng = random.Random(2024)
    truth = make_rows(rng)
    rows: list[list[str]] = []
    for text in statements(truth, rng):
        rows = merge_transactions(rows, parse_transactions(text))
    print(f"{len(truth)} transactions, {len(rows)} after importing overlapping statements")
    rules = parse_rules(RULES)
    tagged = categorize(rows, rules)
    totals = monthly_totals(rows, rules)
    months = sorted(totals)
    print(f"{len(rules)} rules, {len(months)} months, last {totals[months[-1]]}")
    status = [budget_status(rows, rules, BUDGETS, month) for month in months[-3:]]
    print(f"budgets {[(s[0], s[4]) for s in status[-1][:3]]}")
    report = month_over_month(rows, rules)
    balances = running_balances(rows, {"checking": 3200.0, "credit": 0.0})
    low = low_balance_days(rows, {"checking": 3200.0, "credit": 0.0}, 250.0)
    final = {row[3]: row[5] for row in balances}
    print(f"final balances {sorted(final.items())}, {len(low)} low days")
    recurring = detect_recurring(rows)
    print(f"recurring {[(r[0], r[1]) for r in recurring[:4]]}")
    top = [top_payees(rows, 5)] + [top_payees(rows, 3, month) for month in months]
    print(f"top {top[0][:2]}")
    loose = uncategorized_payees(rows, rules)
    print(f"uncategorized {loose[:4]}")
    digest = hashlib.sha256(
        repr((tagged, totals, status, report, balances, low, recurring, top, loose)).encode()
    ).hexdigest()[:16]
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()
