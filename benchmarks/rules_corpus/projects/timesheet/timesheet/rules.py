"""Pay rules: weekly overtime limits, night / weekend / holiday premium hours."""

from collections import namedtuple
from datetime import datetime, timedelta

from timesheet.punches import parse_hours, shift_hours

Employee = namedtuple("Employee", "emp_id name rate weekly_limit")
Premiums = namedtuple("Premiums", "hours night weekend holiday")
WeekSplit = namedtuple("WeekSplit", "shift week regular overtime")

NIGHT_START = 22
NIGHT_END = 6
STEP_MINUTES = 15


def check_holidays(holidays):
    """Holidays come as 'YYYY-MM-DD' strings; raise ValueError on anything else."""
    for day in holidays:
        if not isinstance(day, str):
            raise ValueError(f"holiday must be a date string: {day!r}")
        datetime.strptime(day, "%Y-%m-%d")
    return list(holidays)


def week_of(when):
    year, week, _ = when.isocalendar()
    return f"{year}-W{week:02d}"


def find_employee(employees, emp_id):
    for employee in employees:
        if employee.emp_id == emp_id:
            return employee
    raise KeyError(emp_id)


def premium_hours(shift, holidays):
    """Split a shift into premium buckets, a quarter hour at a time.

    Holiday time is not also counted as weekend time; night time stacks on either.
    """
    night = weekend = holiday = 0.0
    step = timedelta(minutes=STEP_MINUTES)
    part = STEP_MINUTES / 60
    moment = shift.start
    while moment < shift.end:
        if moment.strftime("%Y-%m-%d") in holidays:
            holiday += part
        elif moment.weekday() >= 5:
            weekend += part
        if moment.hour >= NIGHT_START or moment.hour < NIGHT_END:
            night += part
        moment += step
    return Premiums(shift_hours(shift), night, weekend, holiday)


def weekly_overtime(shifts, employees):
    """Split every shift into regular and overtime hours.

    Hours beyond the employee's weekly limit (ISO weeks, by shift start) are overtime;
    earlier shifts in the week use up the limit first. Sorted by employee and start.
    """
    ordered = sorted(shifts, key=lambda s: (s.emp, s.start, s.end, s.project))
    result = []
    for shift in ordered:
        limit = parse_hours(find_employee(employees, shift.emp).weekly_limit)
        week = week_of(shift.start)
        before = 0.0
        for other in ordered:
            if other.emp == shift.emp and week_of(other.start) == week:
                if other.start < shift.start:
                    before += shift_hours(other)
        hours = shift_hours(shift)
        regular = max(0.0, min(hours, limit - before))
        result.append(WeekSplit(shift, week, regular, hours - regular))
    return result


def week_table(shifts, employees):
    """{(emp_id, week): (hours, overtime)} for every employee-week with work."""
    table = {}
    for split in weekly_overtime(shifts, employees):
        key = (split.shift.emp, split.week)
        hours, overtime = table.get(key, (0.0, 0.0))
        table[key] = (hours + split.regular + split.overtime, overtime + split.overtime)
    return table
