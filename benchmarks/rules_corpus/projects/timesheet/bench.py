"""Workload: four weeks of badge punches for a mid-sized crew, turned into payroll.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random
from datetime import datetime, timedelta

from timesheet import (
    Employee,
    build_shifts,
    daily_hours,
    employee_totals,
    find_anomalies,
    payroll,
    payroll_report,
    project_report,
    week_table,
)

STAFF = 44
DAYS = 28
FIRST_DAY = datetime(2024, 3, 18)
PROJECTS = ["PRJ-ALPHA", "PRJ-BRAVO", "PRJ-DELTA", "PRJ-ECHO", "MAINT", "TRAINING", "SUPPORT"]
HOLIDAYS = ["2024-01-01", "2024-03-29", "2024-04-01", "2024-05-01", "2024-05-09",
            "2024-05-20", "2024-10-03", "2024-12-25", "2024-12-26"]
STARTS = [(6, 0), (7, 30), (8, 0), (9, 0), (14, 0), (22, 0)]


def stamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M")


def make_staff(rng: random.Random) -> list[Employee]:
    staff = []
    for i in range(STAFF):
        rate = f"{rng.randint(1600, 4200) / 100:.2f}"
        limit = rng.choice(["40h", "40h", "40h", "38.5h", "37:30", "32h"])
        staff.append(Employee(f"E{i:03d}", f"Worker {rng.randint(100, 999)}-{i}", rate, limit))
    return staff


def make_rows(rng: random.Random, staff: list[Employee]) -> tuple[list[str], list[str]]:
    punches = []
    manual = []
    for person in staff:
        hour, minute = rng.choice(STARTS)
        for day in range(DAYS):
            if rng.random() < 0.22:
                continue
            start = FIRST_DAY + timedelta(days=day, hours=hour, minutes=minute)
            start += timedelta(minutes=rng.randint(-9, 9))
            length = timedelta(minutes=rng.choice([420, 450, 480, 480, 510, 540, 600]))
            length += timedelta(minutes=rng.randint(-6, 12))
            project = rng.choice(PROJECTS)
            roll = rng.random()
            if roll < 0.04:
                manual.append(f"{person.emp_id},{stamp(start)},{length.seconds / 3600}h,{project}")
                continue
            if roll < 0.40:
                mid = start + length / 2
                punches.append(f"{person.emp_id},{stamp(start)},in,{project}")
                punches.append(f"{person.emp_id},{stamp(mid)},out,{project}")
                back = mid + timedelta(minutes=30)
                project = rng.choice(PROJECTS)
                punches.append(f"{person.emp_id},{stamp(back)},in,{project}")
            else:
                punches.append(f"{person.emp_id},{stamp(start)},in,{project}")
            if roll > 0.985:
                continue
            punches.append(f"{person.emp_id},{stamp(start + length)},out,{project}")
            if roll > 0.97:
                punches.append(f"{person.emp_id},{stamp(start + length / 3)},out,{project}")
            if roll > 0.955 and roll < 0.97:
                over = start + timedelta(hours=2)
                manual.append(f"{person.emp_id},{stamp(over)},3h,{project}")
    rng.shuffle(punches)
    return punches, manual


def main() -> None:
    rng = random.Random(2024)
    staff = make_staff(rng)
    punches, manual = make_rows(rng, staff)
    shifts = build_shifts(punches, manual)
    print(f"{len(punches)} punches, {len(manual)} manual entries, {len(shifts)} shifts")
    problems = find_anomalies(punches, manual)
    kinds = {}
    for problem in problems:
        kinds[problem.issue] = kinds.get(problem.issue, 0) + 1
    print(f"anomalies {sorted(kinds.items())}")
    weeks = week_table(shifts, staff)
    overtime = sum(ot for _, ot in weeks.values())
    print(f"{len(weeks)} employee-weeks, {overtime:.2f} overtime hours")
    lines = payroll(shifts, staff, HOLIDAYS)
    text = payroll_report(lines, "Payroll March/April 2024")
    print(text.splitlines()[-1])
    projects = project_report(shifts)
    print(projects.splitlines()[0])
    totals = employee_totals(shifts)
    days = [daily_hours(shifts, person.emp_id) for person in staff[::5]]
    digest = hashlib.sha256(
        repr((shifts, problems, sorted(weeks.items()), lines, text, projects, totals, days))
        .encode()
    ).hexdigest()[:16]
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()
