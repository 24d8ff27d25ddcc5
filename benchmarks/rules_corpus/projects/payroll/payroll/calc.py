"""Gross to net for every employee."""

from __future__ import annotations

from payroll.rules import (
    OVERTIME_AFTER,
    OVERTIME_FACTOR,
    PREMIUMS,
    hourly_rate,
    income_tax,
    social_security,
)


def entries_for(employee, entries):
    return [e for e in entries if e.emp_id == employee.emp_id]


def weekly_hours(entries):
    """{(iso year, iso week): hours} over the employee's entries, weeks ascending."""
    weeks = {}
    for entry in entries:
        year, week, _ = entry.day.isocalendar()
        weeks[(year, week)] = weeks.get((year, week), 0.0) + entry.hours
    return dict(sorted(weeks.items()))


def overtime_hours(entries):
    total = 0.0
    for hours in weekly_hours(entries).values():
        if hours > OVERTIME_AFTER:
            total += hours - OVERTIME_AFTER
    return total


def gross_pay(employee, entries):
    mine = entries_for(employee, entries)
    if employee.salaried:
        return round(employee.monthly_salary, 2)
    pay = 0.0
    for entry in mine:
        pay += entry.hours * hourly_rate(employee.rate_code) * PREMIUMS[entry.kind]
    pay += overtime_hours(mine) * hourly_rate(employee.rate_code) * (OVERTIME_FACTOR - 1.0)
    return round(pay, 2)


def net_pay(gross):
    return round(gross - income_tax(gross) - social_security(gross), 2)


def run_payroll(employees, entries):
    """One result dict per employee, in the order given."""
    results = []
    for employee in employees:
        gross = gross_pay(employee, entries)
        mine = entries_for(employee, entries)
        results.append(
            {
                "emp_id": employee.emp_id,
                "name": employee.name,
                "department": employee.department,
                "hours": round(sum(e.hours for e in mine), 2),
                "overtime": round(overtime_hours(mine), 2),
                "gross": gross,
                "tax": income_tax(gross),
                "social": social_security(gross),
                "net": net_pay(gross),
            }
        )
    return results
