"""Deterministic workload for subscribe: a synthetic SaaS customer base billed over two quarters."""

import random
import zlib
from datetime import date, timedelta
from decimal import Decimal

import subscribe as sb

SEED = 20240301
N_CUSTOMERS = 320
N_COUPONS = 60
N_CHANGES = 200
N_USAGE = 5000
PLAN_NAMES = ["Free", "Starter", "Basic", "Team", "Growth", "Business", "Scale", "Pro",
              "Premium", "Enterprise"]
WORDS = ["SPRING", "SUMMER", "WELCOME", "LAUNCH", "PARTNER", "EDU", "NONPROFIT", "BLACKFRIDAY",
         "LOYAL", "STARTUP", "FOUNDER", "BETA"]
FIRST = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne", "Tyrell",
         "Cyberdyne", "Soylent", "Wonka", "Aperture", "Massive"]
SECOND = ["Labs", "Corp", "Systems", "Analytics", "Studio", "Health", "Logistics", "Media",
          "Robotics", "Foods"]
ROUND_MONTHS = [["2024-01", "2024-02", "2024-03"], ["2024-03", "2024-04", "2024-05", "2024-06"]]
REPORT_MONTHS = [f"2023-{m:02d}" for m in range(7, 13)] + [f"2024-{m:02d}" for m in range(1, 10)]
AS_OF = ["2024-05-20", "2024-08-01"]


def iso(day):
    return day.isoformat()


def random_day(rng, first, last):
    return first + timedelta(days=rng.randint(0, (last - first).days))


def make_inputs(seed):
    rng = random.Random(seed)
    plans = []
    for k, name in enumerate(PLAN_NAMES):
        seat = Decimal(5 * k + rng.choice([0, 2, 4])) + Decimal("0.99") if k else Decimal("0")
        tiers = []
        if k % 3 != 1:
            free = rng.choice([500, 1000, 2000])
            tiers = [sb.Tier(free, Decimal("0")),
                     sb.Tier(free * 10, Decimal(rng.choice(["0.004", "0.005", "0.0075"]))),
                     sb.Tier(None, Decimal(rng.choice(["0.002", "0.0025", "0.003"])))]
        plans.append(sb.Plan(f"P{k:02d}", name, seat, tiers))

    coupons = []
    for j in range(N_COUPONS):
        code = f"{WORDS[j % len(WORDS)]}-{20 + j // len(WORDS)}"
        if rng.random() < 0.5:
            kind, value = sb.CouponKind.PERCENT, Decimal(rng.choice([5, 10, 15, 20, 25, 50]))
        else:
            kind, value = sb.CouponKind.FIXED, Decimal(rng.choice([5, 10, 20, 50, 100]))
        expires = None
        if rng.random() < 0.7:
            expires = iso(random_day(rng, date(2023, 6, 1), date(2025, 1, 31)))
        coupons.append(sb.Coupon(code, kind, value, expires))

    customers = []
    for i in range(N_CUSTOMERS):
        name = f"{rng.choice(FIRST)} {rng.choice(SECOND)} {i}"
        started = random_day(rng, date(2022, 6, 1), date(2024, 5, 31))
        canceled = None
        if rng.random() < 0.25:
            canceled = iso(random_day(rng, started + timedelta(days=20), date(2024, 9, 30)))
        code = None
        if rng.random() < 0.5:
            code = rng.choice(coupons).code
            code = rng.choice([code, code.lower(), code.replace("-", " "), f" {code.lower()} "])
        elif rng.random() < 0.05:
            code = "EXPIRED-OLD"
        customers.append(sb.Customer(
            f"C{i:04d}", name, f"billing{i}@{name.split()[0].lower()}.example",
            rng.choice(plans[1:]).plan_id, rng.randint(1, 40), iso(started), canceled, code))

    changes = []
    for _ in range(N_CHANGES):
        customer = rng.choice(customers)
        effective = sb.parse_date(customer.started) + timedelta(days=rng.randint(1, 600))
        seats = 0 if rng.random() < 0.05 else rng.randint(1, 60)
        changes.append(sb.PlanChange(customer.customer_id, iso(effective),
                                     rng.choice(plans).plan_id, seats))

    usage = []
    for _ in range(N_USAGE):
        customer = rng.choice(customers)
        day = random_day(rng, date(2024, 1, 1), date(2024, 6, 30))
        usage.append(sb.UsageRecord(customer.customer_id, iso(day), rng.randint(50, 4000)))
    return plans, coupons, customers, changes, usage


def pay_some(rng, ledger, invoices):
    payments = []
    for invoice in invoices:
        if rng.random() < 0.72:
            day = invoice.issued + timedelta(days=rng.randint(0, 40))
            payments.append((invoice.number, iso(day)))
    payments.append((999999, "2024-05-01"))
    rng.shuffle(payments)
    return sb.record_payments(ledger, payments)


def run_round(r, rng, ledger, plans, coupons, customers, changes, usage):
    crc = 0
    issued = []
    for month in ROUND_MONTHS[r]:
        new = sb.issue_invoices(ledger, customers, plans, coupons, changes, usage, month)
        issued.extend(new)
    unmatched = pay_some(rng, ledger, issued)
    sample = None
    for invoice in issued:
        customer = sb.find_customer(customers, invoice.customer_id)
        text = sb.render_invoice(invoice, customer)
        crc = zlib.crc32(text.encode(), crc)
        if sample is None and len(invoice.lines) >= 3:
            sample = text
    dunning = sb.dunning_list(ledger, customers, AS_OF[r], grace_days=3)
    crc = zlib.crc32(repr(dunning).encode(), crc)
    report = sb.revenue_report(customers, plans, coupons, changes, REPORT_MONTHS)
    crc = zlib.crc32(repr(report).encode(), crc)
    billed = sum((invoice.total for invoice in issued), sb.ZERO)
    return issued, unmatched, dunning, report, billed, sample, crc


def mutate(rng, ledger, customers, coupons, changes, usage, plans):
    for customer in rng.sample(customers, 30):
        if customer.canceled is None:
            customer.canceled = "2024-04-15"
    for customer in rng.sample(customers, 25):
        customer.coupon_code = rng.choice(coupons).code.lower()
    for coupon in rng.sample(coupons, 8):
        coupon.expires = "2024-03-31"
    for customer in rng.sample(customers, 40):
        changes.append(sb.PlanChange(customer.customer_id, "2024-03-10",
                                     rng.choice(plans).plan_id, rng.randint(1, 25)))
    for _ in range(1000):
        customer = rng.choice(customers)
        day = random_day(rng, date(2024, 3, 1), date(2024, 6, 30))
        usage.append(sb.UsageRecord(customer.customer_id, iso(day), rng.randint(10, 900)))
    voided = 0
    for invoice in ledger:
        if invoice.status is sb.InvoiceStatus.OPEN and invoice.period_start == date(2024, 3, 1):
            if rng.random() < 0.3:
                sb.void_invoice(ledger, invoice.number)
                voided += 1
    return voided


def main():
    plans, coupons, customers, changes, usage = make_inputs(SEED)
    rng = random.Random(SEED + 1)
    ledger = []
    print(f"plans={len(plans)} coupons={len(coupons)} customers={len(customers)} "
          f"changes={len(changes)} usage={len(usage)}")
    for r in range(2):
        issued, unmatched, dunning, report, billed, sample, crc = run_round(
            r, rng, ledger, plans, coupons, customers, changes, usage)
        levels = {}
        for entry in dunning:
            levels[entry["level"].name] = levels.get(entry["level"].name, 0) + 1
        print(f"round {r} issued={len(issued)} billed={billed} ledger={len(ledger)} "
              f"unmatched={unmatched} overdue={len(dunning)} {levels} crc={crc:08x}")
        print(sb.format_revenue_report(report[-4:]))
        print(sample)
        print("\n".join(sb.format_dunning(dunning[:3]).splitlines()))
        if r == 0:
            voided = mutate(rng, ledger, customers, coupons, changes, usage, plans)
            print(f"voided={voided} changes={len(changes)} usage={len(usage)}")


if __name__ == "__main__":
    main()
