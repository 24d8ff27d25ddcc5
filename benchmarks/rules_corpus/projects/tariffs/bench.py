"""Deterministic workload for tariffs: a year of synthetic readings and invoices, billed twice."""

import random
import zlib
from datetime import date, timedelta

import tariffs as tf

SEED = 20240704
N_CUSTOMERS = 230
MONTHS = [(2023, m) for m in range(7, 13)] + [(2024, m) for m in range(1, 7)]
BILL_MONTHS = ["2024-05", "2024-06"]
AS_OF = ["2024-06-03", "2024-07-02"]
PLANS = ["RES-E"] * 5 + ["GREEN-E"] * 2 + ["BUS-E"] * 2 + ["RES-W"] * 3 + ["BUS-W"]
USAGE = {"RES-E": (150, 950), "GREEN-E": (120, 800), "BUS-E": (400, 12000),
         "RES-W": (4, 45), "BUS-W": (25, 320)}
CODES = [""] * 14 + ["SENIOR", "AUTOPAY", "STAFF", "HARDSHIP", "PAPERLESS", "autopay"]
FIRST = ["Ava", "Ben", "Chloe", "Dev", "Ella", "Finn", "Grace", "Hugo", "Isla", "Jack", "Kai"]
LAST = ["Nguyen", "Smith", "Patel", "Brown", "Garcia", "Wilson", "Kim", "Rossi", "Okafor"]


def make_inputs(seed):
    rng = random.Random(seed)
    customers = ["customer_id,name,plan,opened,discount_code"]
    readings = []
    invoices = []
    people = []
    for i in range(N_CUSTOMERS):
        cid = f"C{10000 + i * 13}"
        plan = rng.choice(PLANS)
        opened = date(2008, 1, 1) + timedelta(days=rng.randint(0, 16 * 365))
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        customers.append(f"{cid},{name},{plan},{opened.isoformat()},{rng.choice(CODES)}")
        people.append((cid, plan))
    rng.shuffle(customers[1:])
    body = customers[1:]
    rng.shuffle(body)
    customers = customers[:1] + body

    n_inv = 0
    for cid, plan in people:
        low, high = USAGE[plan]
        for year, month in MONTHS:
            parts = rng.choice([1, 1, 2, 2, 3])
            monthly = rng.uniform(low, high)
            for _ in range(parts):
                day = rng.randint(1, 28)
                usage = round(monthly / parts, 1)
                readings.append(f"{cid},{year:04d}-{month:02d}-{day:02d},{usage}")
            if (year, month) >= (2024, 6):
                continue
            issued = date(year + month // 12, month % 12 + 1, 1)
            due = issued + timedelta(days=21)
            amount = round(rng.uniform(25, 900), 2)
            roll = rng.random()
            if roll < 0.70:
                paid = (due - timedelta(days=rng.randint(0, 15))).isoformat()
            elif roll < 0.85:
                paid = (due + timedelta(days=rng.randint(1, 70))).isoformat()
            else:
                paid = ""
            n_inv += 1
            invoices.append(f"INV{n_inv:06d},{cid},{issued.isoformat()},{due.isoformat()},"
                            f"{amount:.2f},{paid}")
    rng.shuffle(readings)
    rng.shuffle(invoices)
    return (
        "\n".join(customers) + "\n",
        "customer_id,read_date,usage\n" + "\n".join(readings) + "\n",
        "invoice_id,customer_id,issued,due,amount,paid_on\n" + "\n".join(invoices) + "\n",
    )


def main():
    c_text, r_text, i_text = make_inputs(SEED)
    customers = tf.load_customers(c_text, tf.known_plans())
    readings = tf.load_readings(r_text)
    invoices = tf.load_invoices(i_text)
    print(f"customers={len(customers)} readings={len(readings)} invoices={len(invoices)}")
    last_statement = ""
    for month, as_of in zip(BILL_MONTHS, AS_OF):
        statements = tf.build_statements(customers, readings, invoices, month, as_of)
        crc = 0
        for text in statements:
            crc = zlib.crc32(text.encode(), crc)
        last_statement = statements[-1]

        summary = tf.plan_summary(customers, readings, month)
        summary_text = tf.format_plan_summary(summary, month)

        report = tf.aging_report(customers, invoices, as_of)
        aging_text = tf.format_aging(report)
        counts = {name: len(report.buckets[name]) for name in tf.AGING_BUCKETS}
        print(f"{month} statements={len(statements)} crc={crc:08x} "
              f"aging={counts} aging_total={report.grand_total()} "
              f"aging_crc={zlib.crc32(aging_text.encode()):08x}")
        print(summary_text, end="")
    print("last statement:")
    print(last_statement, end="")


if __name__ == "__main__":
    main()
