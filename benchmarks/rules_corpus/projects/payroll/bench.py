"""Workload: March payroll for a mid-sized company from the time-clock export.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta

from payroll import Employee, parse_timesheet, run_payroll
from payroll.payslips import department_summary, payslip
from payroll.rules import RATES

DEPARTMENTS = ["assembly", "logistics", "sales", "finance", "it", "support"]


def main() -> None:
    rng = random.Random(303)
    employees = []
    for i in range(450):
        salaried = rng.random() < 0.2
        employees.append(Employee(f"E{i:04d}", f"Employee {i}", rng.choice(DEPARTMENTS),
                                  rng.choice(RATES)[0], salaried,
                                  round(rng.uniform(3000, 9000), 2) if salaried else 0.0))
    lines = ["# emp;day;hours;kind"]
    start = date(2024, 3, 1)
    for employee in employees:
        for d in range(31):
            day = start + timedelta(days=d)
            if day.weekday() >= 5 and rng.random() < 0.8:
                continue
            hours = rng.choice(["8", "8", "7,5", "9", "10,25", "6", "11"])
            kind = rng.choice(["", "", "", "regular", "night", "holiday", "sick"])
            lines.append(f"{employee.emp_id};{day.isoformat()};{hours};{kind}")
    rng.shuffle(lines)
    entries = parse_timesheet(lines)
    results = run_payroll(employees, entries)
    slips = [payslip(r) for r in results]
    summary = department_summary(results)
    print(f"{len(entries)} entries for {len(employees)} employees")
    print(f"gross {round(sum(r['gross'] for r in results), 2)} net "
          f"{round(sum(r['net'] for r in results), 2)} overtime "
          f"{round(sum(r['overtime'] for r in results), 2)}")
    print("\n".join(summary))
    print(slips[0])
    print(f"payslips sha256 {hashlib.sha256(''.join(slips).encode()).hexdigest()[:16]}")


if __name__ == "__main__":
    main()
