"""Totals and payroll-ready summaries built from shifts."""

from collections import namedtuple

from timesheet.punches import shift_hours
from timesheet.rules import check_holidays, find_employee, premium_hours, weekly_overtime

PayLine = namedtuple(
    "PayLine", "emp_id name regular overtime night weekend holiday gross"
)

OVERTIME_FACTOR = 1.5
NIGHT_BONUS = 0.25
WEEKEND_BONUS = 0.5
HOLIDAY_BONUS = 1.0


def employee_totals(shifts):
    """{emp_id: hours} in employee order."""
    totals = {}
    for emp in sorted({s.emp for s in shifts}):
        totals[emp] = sum(shift_hours(s) for s in shifts if s.emp == emp)
    return totals


def project_totals(shifts):
    """[(project, hours, people)] by hours (most first), then project name."""
    projects = []
    for shift in shifts:
        if shift.project not in projects:
            projects.append(shift.project)
    rows = []
    for project in projects:
        hours = 0.0
        people = []
        for shift in shifts:
            if shift.project == project:
                hours += shift_hours(shift)
                if shift.emp not in people:
                    people.append(shift.emp)
        rows.append((project, hours, len(people)))
    rows.sort(key=lambda r: (-r[1], r[0]))
    return rows


def daily_hours(shifts, emp_id):
    """[('YYYY-MM-DD', hours)] for one employee, by the day each shift starts."""
    days = []
    for shift in shifts:
        if shift.emp == emp_id:
            day = shift.start.strftime("%Y-%m-%d")
            if day not in days:
                days.append(day)
    result = []
    for day in sorted(days):
        total = 0.0
        for shift in shifts:
            if shift.emp == emp_id and shift.start.strftime("%Y-%m-%d") == day:
                total += shift_hours(shift)
        result.append((day, total))
    return result


def payroll(shifts, employees, holidays=()):
    """One PayLine per employee with shifts, ordered by employee id.

    Gross pay: regular hours at the rate, overtime at 1.5x, plus premiums on top for
    night (25%), weekend (50%) and holiday (100%) hours.
    """
    holidays = check_holidays(holidays)
    splits = weekly_overtime(shifts, employees)
    lines = []
    for emp_id in sorted({s.emp for s in shifts}):
        employee = find_employee(employees, emp_id)
        rate = float(employee.rate)
        if rate < 0:
            raise ValueError(f"negative rate for {emp_id}")
        regular = overtime = night = weekend = holiday = 0.0
        for split in splits:
            if split.shift.emp != emp_id:
                continue
            regular += split.regular
            overtime += split.overtime
            extra = premium_hours(split.shift, holidays)
            night += extra.night
            weekend += extra.weekend
            holiday += extra.holiday
        gross = rate * (regular + overtime * OVERTIME_FACTOR)
        gross += rate * (night * NIGHT_BONUS + weekend * WEEKEND_BONUS + holiday * HOLIDAY_BONUS)
        lines.append(
            PayLine(emp_id, employee.name, regular, overtime, night, weekend, holiday,
                    round(gross, 2))
        )
    return lines


def payroll_report(lines, title="Payroll"):
    """Fixed-width text table of pay lines, sorted by name, with a totals row."""
    header = ["Employee", "Name", "Regular", "Overtime", "Night", "Weekend", "Holiday", "Gross"]
    widths = [8, 20, 8, 8, 7, 7, 7, 11]
    text = title + "\n" + "=" * len(title) + "\n"
    row = ""
    for i, name in enumerate(header):
        row += name.ljust(widths[i]) if i < 2 else name.rjust(widths[i])
        row += " "
    text += row.rstrip() + "\n"
    text += "-" * (sum(widths) + len(widths) - 1) + "\n"
    total_hours = 0.0
    total_gross = 0.0
    for line in sorted(lines, key=lambda pl: (pl.name, pl.emp_id)):
        cells = [
            line.emp_id.ljust(widths[0]),
            line.name[: widths[1]].ljust(widths[1]),
            format(line.regular, ".2f").rjust(widths[2]),
            format(line.overtime, ".2f").rjust(widths[3]),
            format(line.night, ".2f").rjust(widths[4]),
            format(line.weekend, ".2f").rjust(widths[5]),
            format(line.holiday, ".2f").rjust(widths[6]),
            f"{line.gross:,.2f}".rjust(widths[7]),
        ]
        text += " ".join(cells) + "\n"
        total_hours += line.regular + line.overtime
        total_gross += line.gross
    text += "-" * (sum(widths) + len(widths) - 1) + "\n"
    text += f"{len(lines)} employees, {total_hours:.2f} hours, gross {total_gross:,.2f}\n"
    return text


def project_report(shifts):
    """Text listing of hours per project with a share of the total."""
    rows = project_totals(shifts)
    grand = sum(r[1] for r in rows)
    text = ""
    for project, hours, people in rows:
        share = 100 * hours / grand if grand else 0.0
        text += project.ljust(12) + f"{hours:9.2f} h" + f"{share:7.1f}%" + f"{people:5d} people\n"
    text += "TOTAL".ljust(12) + f"{grand:9.2f} h\n"
    return text
