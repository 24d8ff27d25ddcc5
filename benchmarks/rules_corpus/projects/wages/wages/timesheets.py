"""Timesheet entries and hour classification.

An entry is a tuple ``(employee_id, day, hours, kind)`` where ``day`` is an ISO date string,
``hours`` a string or Decimal, and ``kind`` one of ``ENTRY_KINDS``.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from .tables import (
    ENTRY_KINDS,
    OVERTIME_MULTIPLIER,
    WEEKLY_HOURS_LIMIT,
    day_multiplier,
)


def parse_hours(value):
    try:
        hours = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"bad hours value: {value!r}") from None
    if hours < 0 or hours > 24:
        raise ValueError(f"hours out of range: {value!r}")
    return hours


def validate_entry(entry):
    """Raise ValueError if the entry is malformed; return it unchanged otherwise."""
    if len(entry) != 4:
        raise ValueError(f"entry must have 4 fields: {entry!r}")
    emp_id, day, hours, kind = entry
    if not emp_id:
        raise ValueError("entry without employee id")
    date.fromisoformat(day)
    parse_hours(hours)
    if kind not in ENTRY_KINDS:
        raise ValueError(f"unknown entry kind: {kind!r}")
    return entry


def entries_for(entries, emp_id, year, month):
    """Entries of one employee in one month, in date order (stable for equal dates)."""
    result = []
    for entry in entries:
        if entry[0] != emp_id:
            continue
        day = date.fromisoformat(entry[1])
        if day.year == year and day.month == month:
            result.append(entry)
    result.sort(key=lambda e: date.fromisoformat(e[1]))
    return result


def week_key(day):
    iso = date.fromisoformat(day).isocalendar()
    return iso[0], iso[1]


def hours_before_in_week(entries, index):
    """Worked hours in the same ISO week as entries[index], from entries before it."""
    target = week_key(entries[index][1])
    total = Decimal("0")
    for i in range(index):
        other = entries[i]
        if other[3] == "work" and week_key(other[1]) == target:
            total += parse_hours(other[2])
    return total


def classify_hours(entries):
    """Split worked hours into (entry, normal_hours, overtime_hours, multiplier) rows.

    ``entries`` must be one employee's entries in date order.  Hours worked in an ISO week
    beyond WEEKLY_HOURS_LIMIT (counting only the given entries) are overtime, paid at the
    larger of the overtime multiplier and the day's own multiplier.  Non-work entries are
    skipped.
    """
    limit = Decimal(WEEKLY_HOURS_LIMIT)
    rows = []
    for i, entry in enumerate(entries):
        if entry[3] != "work":
            continue
        hours = parse_hours(entry[2])
        before = hours_before_in_week(entries, i)
        room = limit - before
        if room < 0:
            room = Decimal("0")
        normal = min(hours, room)
        overtime = hours - normal
        rows.append((entry, normal, overtime, Decimal(day_multiplier(entry[1]))))
    return rows


def overtime_multiplier(day_mult):
    ot = Decimal(OVERTIME_MULTIPLIER)
    return day_mult if day_mult > ot else ot


def hours_summary(entries):
    """Totals by kind plus the normal/overtime split of worked hours."""
    summary = {}
    for key in ("normal", "overtime", "leave", "sick", "unpaid"):
        summary[key] = Decimal("0")
    for _entry, normal, overtime, _mult in classify_hours(entries):
        summary["normal"] += normal
        summary["overtime"] += overtime
    for entry in entries:
        if entry[3] != "work":
            summary[entry[3]] += parse_hours(entry[2])
    return summary
