"""Gross pay, deductions and payslips.

An employee is a dict with keys ``id``, ``name``, ``department``, ``contract`` ("hourly" or
"salaried"), ``rates`` (list of ``(effective_from_iso, hourly_rate)``; hourly staff),
``salary`` (annual, salaried staff), ``tax_code``, ``pension_pct``, ``student_loan`` (plan
name or None), ``start`` (ISO date) and optionally ``end`` (ISO date or None).
"""

import calendar
from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from .tables import (
    CONTRACT_TYPES,
    EMPLOYER_NI_RATE,
    EMPLOYER_NI_THRESHOLD,
    EMPLOYER_PENSION_PCT,
    NI_BANDS,
    SALARIED_HOURS_PER_YEAR,
    SICK_PAY_FRACTION,
    STUDENT_LOAN_PLANS,
    TAX_BANDS,
    is_holiday,
    special_tax_band,
    tax_code_allowance,
)
from .timesheets import (
    classify_hours,
    entries_for,
    hours_summary,
    overtime_multiplier,
    parse_hours,
    validate_entry,
)

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value):
    """Round to pennies, halves away from zero."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def find_employee(employees, emp_id):
    for employee in employees:
        if employee["id"] == emp_id:
            return employee
    raise KeyError(emp_id)


def rate_on(employee, day):
    """Hourly rate in force on `day` (ISO string): the latest rate starting on or before it."""
    when = date.fromisoformat(day)
    for start, rate in sorted(employee["rates"], reverse=True):
        if date.fromisoformat(start) <= when:
            return Decimal(rate)
    raise ValueError(f"no rate for {employee['id']} on {day}")


def month_bounds(year, month):
    last = calendar.monthrange(year, month)[1]
    return date(year, month, 1), date(year, month, last)


def is_active(employee, year, month):
    first, last = month_bounds(year, month)
    if date.fromisoformat(employee["start"]) > last:
        return False
    end = employee.get("end")
    return not (end and date.fromisoformat(end) < first)


def working_days(first, last):
    """Weekdays that are not bank holidays, first..last inclusive."""
    count = 0
    day = first
    while day <= last:
        if day.weekday() < 5 and not is_holiday(day):
            count += 1
        day += timedelta(days=1)
    return count


def hourly_gross(employee, entries):
    """(gross, lines) for an hourly employee; lines are (label, hours, rate, amount)."""
    lines = []
    for entry, normal, overtime, mult in classify_hours(entries):
        rate = rate_on(employee, entry[1])
        if normal > 0:
            lines.append(("work " + entry[1], normal, rate * mult, money(normal * rate * mult)))
        if overtime > 0:
            ot_rate = rate * overtime_multiplier(mult)
            lines.append(("overtime " + entry[1], overtime, ot_rate, money(overtime * ot_rate)))
    for entry in entries:
        kind = entry[3]
        if kind == "leave":
            rate = rate_on(employee, entry[1])
            hours = parse_hours(entry[2])
            lines.append(("leave " + entry[1], hours, rate, money(hours * rate)))
        elif kind == "sick":
            rate = rate_on(employee, entry[1]) * Decimal(SICK_PAY_FRACTION)
            hours = parse_hours(entry[2])
            lines.append(("sick " + entry[1], hours, rate, money(hours * rate)))
    gross = sum((line[3] for line in lines), ZERO)
    return gross, lines


def salaried_gross(employee, entries, year, month):
    salary = Decimal(employee["salary"])
    monthly = salary / 12
    first, last = month_bounds(year, month)
    start = date.fromisoformat(employee["start"])
    end = date.fromisoformat(employee["end"]) if employee.get("end") else None
    lines = []
    if start > first or (end is not None and end < last):
        worked_from = max(start, first)
        worked_to = min(end, last) if end is not None else last
        total_days = working_days(first, last)
        days = working_days(worked_from, worked_to)
        amount = money(monthly * days / total_days)
        lines.append((f"salary ({days}/{total_days} days)", Decimal(days), None, amount))
    else:
        lines.append(("salary", None, None, money(monthly)))
    hourly = salary / Decimal(SALARIED_HOURS_PER_YEAR)
    for entry in entries:
        if entry[3] == "unpaid":
            hours = parse_hours(entry[2])
            lines.append(("unpaid " + entry[1], hours, hourly, -money(hours * hourly)))
    gross = sum((line[3] for line in lines), ZERO)
    if gross < 0:
        gross = ZERO
    return gross, lines


def income_tax(taxable, tax_code):
    """Monthly income tax (month 1 basis), rounded down to the penny."""
    taxable = Decimal(taxable)
    if taxable <= 0:
        return ZERO
    special, band_name = special_tax_band(tax_code)
    if special:
        if band_name is None:
            return ZERO
        for name, _lower, _upper, rate in TAX_BANDS:
            if name == band_name:
                return (taxable * Decimal(rate)).quantize(CENT, rounding=ROUND_DOWN)
    free = Decimal(tax_code_allowance(tax_code)) / 12
    remaining = taxable - free
    tax = Decimal("0")
    for _name, lower, upper, rate in TAX_BANDS:
        low = Decimal(lower) / 12
        if remaining <= low:
            break
        top = remaining if upper is None else min(remaining, Decimal(upper) / 12)
        tax += (top - low) * Decimal(rate)
    return tax.quantize(CENT, rounding=ROUND_DOWN)


def national_insurance(gross):
    gross = Decimal(gross)
    ni = Decimal("0")
    for _name, lower, upper, rate in NI_BANDS:
        low = Decimal(lower)
        if gross <= low:
            continue
        top = gross if upper is None else min(gross, Decimal(upper))
        ni += (top - low) * Decimal(rate)
    return money(ni)


def employer_ni(gross):
    excess = Decimal(gross) - Decimal(EMPLOYER_NI_THRESHOLD)
    if excess <= 0:
        return ZERO
    return money(excess * Decimal(EMPLOYER_NI_RATE))


def student_loan(gross, plan):
    """Monthly student loan repayment, rounded down to whole pounds."""
    if not plan:
        return ZERO
    for name, threshold, rate in STUDENT_LOAN_PLANS:
        if name == plan:
            excess = Decimal(gross) - Decimal(threshold)
            if excess <= 0:
                return ZERO
            return (excess * Decimal(rate)).quantize(Decimal("1"), rounding=ROUND_DOWN) + ZERO
    raise ValueError(f"unknown student loan plan: {plan!r}")


def make_payslip(employee, entries, year, month):
    """Payslip dict for one employee; `entries` are that employee's entries for the month."""
    contract = employee["contract"]
    if contract not in CONTRACT_TYPES:
        raise ValueError(f"unknown contract type: {contract!r}")
    if contract == "hourly":
        gross, lines = hourly_gross(employee, entries)
    else:
        gross, lines = salaried_gross(employee, entries, year, month)
    hours = hours_summary(entries)
    pension = money(gross * Decimal(employee.get("pension_pct") or "0") / 100)
    tax = income_tax(gross - pension, employee["tax_code"])
    ni = national_insurance(gross)
    loan = student_loan(gross, employee.get("student_loan"))
    net = gross - pension - tax - ni - loan
    return {
        "employee_id": employee["id"],
        "name": employee["name"],
        "department": employee["department"],
        "period": f"{year:04d}-{month:02d}",
        "normal_hours": hours["normal"],
        "overtime_hours": hours["overtime"],
        "leave_hours": hours["leave"],
        "sick_hours": hours["sick"],
        "unpaid_hours": hours["unpaid"],
        "lines": lines,
        "gross": gross,
        "pension": pension,
        "tax": tax,
        "ni": ni,
        "student_loan": loan,
        "net": net,
        "employer_ni": employer_ni(gross),
        "employer_pension": money(gross * Decimal(EMPLOYER_PENSION_PCT) / 100),
    }


def run_wages(employees, entries, year, month):
    """Payslips for every employee active in the month, sorted by employee id.

    Every entry is validated (ValueError if malformed); apart from that, entries outside the
    month are ignored.  An entry in the month for an unknown employee raises KeyError.
    """
    first, last = month_bounds(year, month)
    for entry in entries:
        validate_entry(entry)
        day = date.fromisoformat(entry[1])
        if first <= day <= last:
            find_employee(employees, entry[0])
    slips = []
    for employee in employees:
        if not is_active(employee, year, month):
            continue
        own = entries_for(entries, employee["id"], year, month)
        slips.append(make_payslip(employee, own, year, month))
    slips.sort(key=lambda s: s["employee_id"])
    return slips
