"""Deterministic workload for utilbill: a year of monthly bills, payments and aging reports."""

import random
import zlib
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

import utilbill as ub

SEED = 20240917
N_ACCOUNTS = 180
TARIFF_CODES = {
    "E-STD": ("electric", "0.4800", [(100, "0.2400"), (300, "0.2700"), (None, "0.3100")]),
    "E-GRN": ("electric", "0.5200", [(150, "0.2550"), (None, "0.2950")]),
    "E-ECO": ("electric", "0.3900", [(80, "0.2200"), (250, "0.2900"), (600, "0.3300"),
                                     (None, "0.3600")]),
    "W-MET": ("water", "0.2100", [(6, "1.8200"), (15, "2.1500"), (None, "2.6400")]),
    "W-LOW": ("water", "0.1300", [(5, "1.4100"), (None, "2.9000")]),
}


def crc_of(value, crc=0):
    return zlib.crc32(repr(value).encode(), crc)


def tariff_text(rng):
    lines = ["# code service effective standing tiers..."]
    for code, (service, standing, tiers) in TARIFF_CODES.items():
        day = date(2023, 1, 1)
        factor = Decimal("1")
        while day < date(2025, 3, 1):
            parts = [f"{code} {service} {day.isoformat()}",
                     f"standing={(Decimal(standing) * factor).quantize(Decimal('0.0001'))}"]
            for upto, price in tiers:
                limit = "*" if upto is None else str(upto)
                parts.append(f"{limit}@{(Decimal(price) * factor).quantize(Decimal('0.0001'))}")
            lines.append(" ".join(parts))
            factor += Decimal(rng.randint(-3, 6)) / 100
            day += timedelta(days=rng.randint(70, 160))
    return "\n".join(lines)


def make_accounts(rng):
    accounts = []
    codes = list(TARIFF_CODES)
    for n in range(N_ACCOUNTS):
        code = rng.choice(codes)
        service = TARIFF_CODES[code][0]
        if rng.random() < 0.8:
            opened = date(2023, 11, 1) + timedelta(days=rng.randint(0, 55))
        else:
            opened = date(2024, 1, 1) + timedelta(days=rng.randint(0, 300))
        name = f"{rng.choice(['Ash', 'Birch', 'Cedar', 'Elm', 'Oak'])} {n}"
        accounts.append(ub.Account(f"AC-{10000 + n * 7}", name, service, code, opened))
    return accounts


def reading_text(rng, accounts):
    rows = []
    for account in accounts:
        electric = account.service == "electric"
        base = rng.uniform(5, 22) if electric else rng.uniform(0.15, 0.7)
        value = Decimal(rng.randint(100, 90000))
        day = account.opened
        stop = date(2025, 2, 1) if rng.random() > 0.12 else date(2024, rng.randint(9, 12), 5)
        rows.append((day, account.account_id, value, "A"))
        while True:
            gap = rng.randint(24, 38)
            day += timedelta(days=gap)
            if day >= stop:
                break
            season = 1.35 if electric and day.month in (12, 1, 2) else 1.0
            used = base * season * gap * rng.uniform(0.7, 1.3)
            value += Decimal(f"{used:.1f}")
            if rng.random() < 0.12:
                continue
            source = "A" if rng.random() < 0.8 else rng.choice("CE")
            rows.append((day, account.account_id, value, source))
    rows.sort()
    lines = []
    for day, account_id, value, source in rows:
        shown = account_id
        if rng.random() < 0.1:
            shown = account_id.replace("-", " ").lower()
        lines.append(f"{shown} | {day.isoformat()} | {value:09.1f} | {source}")
    return "\n".join(lines)


def make_discounts(rng, accounts):
    discounts = []
    for account in accounts:
        roll = rng.random()
        if roll < 0.2:
            start = date(2024, rng.randint(1, 9), 1)
            discounts.append(ub.Discount(account.account_id, "percent",
                                         Decimal(rng.choice([5, 10, 12.5, 15])), start,
                                         start + timedelta(days=rng.randint(60, 200)),
                                         "loyalty"))
        elif roll < 0.3:
            start = date(2024, rng.randint(1, 11), rng.randint(1, 28))
            discounts.append(ub.Discount(account.account_id, "fixed",
                                         Decimal(rng.randint(5, 60)), start,
                                         start + timedelta(days=rng.randint(10, 90)),
                                         "goodwill credit"))
    return discounts


def payment_text(rng, invoices):
    habits = {}
    lines = []
    for invoice in invoices:
        habit = habits.setdefault(invoice.account_id, rng.random())
        if habit < 0.08 or rng.random() < 0.05:
            continue
        lateness = rng.randint(-20, 10) if habit > 0.3 else rng.randint(10, 130)
        day = invoice.due + timedelta(days=lateness)
        amount = invoice.total
        if habit < 0.2 and amount > 20:
            amount = (amount * Decimal(rng.choice(["0.5", "0.75", "1"]))).quantize(Decimal("1"))
        elif habit > 0.9:
            amount = (amount / 10).quantize(Decimal("1"), rounding=ROUND_CEILING) * 10
        if amount <= 0:
            continue
        lines.append(f"{invoice.account_id}; {day.isoformat()}; {amount}; PAY-{len(lines):05d}")
    return "\n".join(lines)


def main():
    rng = random.Random(SEED)
    book = ub.TariffBook(ub.parse_tariffs(tariff_text(rng)))
    ledger = ub.MeterLedger()
    accounts = make_accounts(rng)
    for account in accounts:
        ledger.add_account(account)
    loaded = ledger.add_readings(ub.parse_readings(reading_text(rng, accounts)))
    biller = ub.Biller(ledger, book, due_days=21)
    for discount in make_discounts(rng, accounts):
        biller.add_discount(discount)
    print(f"tariffs={len(book.tariffs)} accounts={len(ledger.accounts)} readings={loaded} "
          f"discounts={len(biller.discounts)}")

    crc = 0
    for month in range(1, 13):
        start, end = ub.month_bounds(2024, month)
        issued = biller.bill_month(2024, month, issued=end + timedelta(days=2))
        crc = crc_of(issued, crc)
        billed = sum((i.total for i in issued), ub.ZERO)
        estimated = sum(i.estimated for i in issued)
        print(f"{start:%Y-%m} invoices={len(issued)} billed={ub.format_money(billed)} "
              f"estimated={estimated}")
    invoices = biller.invoices
    payments = ub.parse_payments(payment_text(rng, invoices))
    print(f"invoices={len(invoices)} payments={len(payments)} "
          f"paid={ub.format_money(sum((p.amount for p in payments), ub.ZERO))}")

    for as_of in (date(2024, 3, 15), date(2024, 5, 31), date(2024, 7, 20), date(2024, 9, 30),
                  date(2024, 12, 10), date(2025, 2, 28)):
        rows = ub.aging_report(invoices, payments, as_of)
        totals = ub.aging_totals(rows)
        crc = crc_of(rows, crc)
        shown = " ".join(f"{k}={v}" for k, v in totals.items())
        rate = ub.collection_rate(invoices, payments, as_of)
        print(f"aging {as_of} rows={len(rows)} {shown} collected={rate}%")
        top = rows[0]
        print(f"  top debtor {top.account_id} owes {ub.format_money(top.total)}")

    for account in accounts[::10]:
        lines = ub.statement(invoices, payments, account.account_id)
        crc = crc_of(lines, crc)
    for invoice in invoices[::150]:
        crc = zlib.crc32(ub.invoice_text(invoice).encode(), crc)
    summary = ub.revenue_summary(invoices)
    crc = crc_of(summary, crc)
    net = sum((v["net"] for v in summary.values()), ub.ZERO)
    tax = sum((v["tax"] for v in summary.values()), ub.ZERO)
    print(f"net={ub.format_money(net)} tax={ub.format_money(tax)} crc={crc:08x}")
    print(ub.invoice_text(invoices[len(invoices) // 2]))


if __name__ == "__main__":
    main()
