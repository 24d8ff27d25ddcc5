"""Reading the time-clock export: 'emp_id;YYYY-MM-DD;hours;kind', hours with a decimal comma."""

from __future__ import annotations

from datetime import datetime

from payroll.models import TimeEntry

KINDS = ("regular", "holiday", "sick", "night")


class TimesheetError(ValueError):
    pass


def parse_hours(text):
    value = float(text.strip().replace(",", "."))
    if value < 0 or value > 24:
        raise TimesheetError(f"impossible hours {text!r}")
    return value


def parse_day(text):
    return datetime.strptime(text.strip(), "%Y-%m-%d").date()


def parse_timesheet(lines):
    entries = []
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split(";")
        if len(fields) == 3:
            fields.append("regular")
        if len(fields) != 4:
            raise TimesheetError(f"line {number}: expected 3 or 4 fields")
        emp_id, day, hours, kind = (f.strip() for f in fields)
        kind = kind.lower() or "regular"
        if kind not in KINDS:
            raise TimesheetError(f"line {number}: unknown kind {kind!r}")
        try:
            entries.append(TimeEntry(emp_id, parse_day(day), parse_hours(hours), kind))
        except ValueError as error:
            raise TimesheetError(f"line {number}: {error}") from None
    return entries
