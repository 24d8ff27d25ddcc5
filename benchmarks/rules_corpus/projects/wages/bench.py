"""Deterministic wages workload: a year of monthly wages runs for a small company."""

import calendar
import hashlib
import random
from datetime import date

import wages
from wages.reports import wages_register, top_earners

DEPARTMENTS = ["Warehouse", "Sales", "Finance", "Support", "Engineering", "Drivers"]
TAX_CODES = ["1257L"] * 12 + ["BR", "D0", "1100L", "0T", "NT", "1385M"]
LOAN_PLANS = [None] * 6 + ["plan1", "plan2", "plan4", "postgrad"]
HOURS = ["7.5", "8", "8", "8.5", "9", "10", "6"]


def make_employees(rng, count):
    employees = []
    for i in range(count):
        hourly = rng.random() < 0.7
        start = "2020-01-06"
        if rng.random() < 0.1:
            start = date(2024, rng.randint(2, 11), rng.randint(1, 28)).isoformat()
        end = None
        if rng.random() < 0.06:
            end = date(2024, rng.randint(3, 11), rng.randint(1, 28)).isoformat()
        rate = rng.randint(1150, 2600)
        rates = [("2020-01-06", f"{rate / 100:.2f}")]
        for month in sorted(rng.sample(range(2, 13), rng.randint(0, 2))):
            rate += rng.randint(20, 150)
            rates.append((f"2024-{month:02d}-01", f"{rate / 100:.2f}"))
        employees.append(
            {
                "id": f"E{i + 1:04d}",
                "name": f"Employee {i + 1}",
                "department": rng.choice(DEPARTMENTS),
                "contract": "hourly" if hourly else "salaried",
                "rates": rates if hourly else [],
                "salary": None if hourly else str(rng.randrange(22000, 140000, 500)),
                "tax_code": rng.choice(TAX_CODES),
                "pension_pct": rng.choice(["0", "3", "5", "5", "8"]),
                "student_loan": rng.choice(LOAN_PLANS),
                "start": start,
                "end": end,
            }
        )
    return employees


def month_entries(rng, employees, year, month):
    entries = []
    days = calendar.monthrange(year, month)[1]
    for employee in employees:
        for d in range(1, days + 1):
            day = date(year, month, d)
            iso = day.isoformat()
            r = rng.random()
            if day.weekday() >= 5:
                if r < 0.12:
                    entries.append((employee["id"], iso, rng.choice(HOURS), "work"))
                continue
            if r < 0.86:
                entries.append((employee["id"], iso, rng.choice(HOURS), "work"))
            elif r < 0.93:
                entries.append((employee["id"], iso, "7.5", "leave"))
            elif r < 0.97:
                entries.append((employee["id"], iso, "7.5", "sick"))
            else:
                entries.append((employee["id"], iso, "7.5", "unpaid"))
    rng.shuffle(entries)
    return entries


def main():
    rng = random.Random(20240401)
    employees = make_employees(rng, 75)
    slips = []
    entry_count = 0
    digest = hashlib.sha256()
    for month in range(1, 13):
        entries = month_entries(rng, employees, 2024, month)
        entry_count += len(entries)
        month_slips = wages.run_wages(employees, entries, 2024, month)
        slips.extend(month_slips)
        rows = wages.department_costs(month_slips, employees)
        digest.update(wages.format_department_report(rows, f"2024-{month:02d}").encode())
    slips_ytd = wages.with_ytd(slips)
    for slip in slips_ytd:
        digest.update(wages.format_payslip(slip).encode())
    annual = wages.department_costs(slips, employees)
    digest.update(wages.format_department_report(annual, "2024").encode())
    digest.update(wages_register(slips).encode())

    total_gross = sum(s["gross"] for s in slips)
    total_net = sum(s["net"] for s in slips)
    total_tax = sum(s["tax"] for s in slips)
    overtime = sum(s["overtime_hours"] for s in slips)
    print(f"employees: {len(employees)}")
    print(f"entries: {entry_count}")
    print(f"payslips: {len(slips)}")
    print(f"gross: {total_gross}  tax: {total_tax}  net: {total_net}")
    print(f"overtime hours: {overtime}")
    for dept, count, gross, _ni, _pension, total in annual:
        print(f"  {dept:<12} staff={count:<3} gross={gross} cost={total}")
    print("top earners:", ", ".join(f"{e}={g}" for e, g in top_earners(slips, 3)))
    print(f"digest: {digest.hexdigest()[:16]}")


if __name__ == "__main__":
    main()
