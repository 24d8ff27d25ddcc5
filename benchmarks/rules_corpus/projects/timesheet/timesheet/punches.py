"""Clock punches and manual shift entries: parsing, pairing into shifts, anomalies."""

import re
from collections import namedtuple
from datetime import datetime, timedelta

Punch = namedtuple("Punch", "emp when kind project")
Shift = namedtuple("Shift", "emp start end project")
Anomaly = namedtuple("Anomaly", "emp when issue")

STAMP = "%Y-%m-%d %H:%M"


def parse_stamp(text):
    """'2024-03-05 08:30' -> datetime (ValueError when malformed)."""
    return datetime.strptime(text.strip(), STAMP)


def format_stamp(when):
    return when.strftime(STAMP)


def round_quarter(when):
    """Round a time to the nearest quarter hour (payroll rounding)."""
    minutes = when.hour * 60 + when.minute
    if minutes % 15 < 8:
        minutes = minutes - minutes % 15
    else:
        minutes = minutes - minutes % 15 + 15
    midnight = when.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight + timedelta(minutes=minutes)


def parse_hours(text):
    """Durations as written on timesheets: '7.5h', '7h30m', '45m', '7:30' or '8'."""
    value = str(text).strip().lower()
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*h?", value)
    if m:
        return float(m.group(1))
    m = re.fullmatch(r"(\d+)\s*h\s*(\d+)\s*m", value)
    if m:
        return int(m.group(1)) + int(m.group(2)) / 60
    m = re.fullmatch(r"(\d+)\s*m(?:in)?", value)
    if m:
        return int(m.group(1)) / 60
    m = re.fullmatch(r"(\d+):(\d\d)", value)
    if m:
        if int(m.group(2)) >= 60:
            raise ValueError(f"bad duration: {text!r}")
        return int(m.group(1)) + int(m.group(2)) / 60
    raise ValueError(f"bad duration: {text!r}")


def parse_punch(row):
    """'E001,2024-03-05 08:30,in,PRJ-A' -> Punch."""
    parts = row.split(",")
    if len(parts) != 4:
        raise ValueError(f"bad punch row: {row!r}")
    emp = parts[0].strip()
    kind = parts[2].strip().lower()
    if not emp:
        raise ValueError(f"punch without employee: {row!r}")
    if kind not in ("in", "out"):
        raise ValueError(f"punch kind must be in/out: {row!r}")
    return Punch(emp, parse_stamp(parts[1]), kind, parts[3].strip())


def parse_manual(row):
    """'E001,2024-03-05 08:00,7.5h,PRJ-A' (entered by a supervisor) -> Shift."""
    parts = row.split(",")
    if len(parts) != 4:
        raise ValueError(f"bad manual row: {row!r}")
    emp = parts[0].strip()
    if not emp:
        raise ValueError(f"manual entry without employee: {row!r}")
    hours = parse_hours(parts[2])
    if hours <= 0:
        raise ValueError(f"manual entry needs a positive duration: {row!r}")
    start = round_quarter(parse_stamp(parts[1]))
    end = round_quarter(start + timedelta(hours=hours))
    return Shift(emp, start, end, parts[3].strip())


def employees_in(rows):
    ids = []
    for row in rows:
        emp = parse_punch(row).emp
        if emp not in ids:
            ids.append(emp)
    return sorted(ids)


def punches_for(rows, emp):
    """All punches of one employee in time order (an 'out' sorts before an 'in' at equal times)."""
    found = []
    for row in rows:
        if row.split(",")[0].strip() == emp:
            found.append(parse_punch(row))
    found.sort(key=lambda p: (p.when, p.kind == "in"))
    return found


def build_shifts(punch_rows, manual_rows=()):
    """Pair in/out punches into shifts and add manual entries; sorted by employee and start.

    An 'in' without a following 'out' is dropped, as is an 'out' without an 'in'
    (find_anomalies reports both). Punches are rounded to the quarter hour.
    """
    shifts = []
    for emp in employees_in(punch_rows):
        open_punch = None
        for punch in punches_for(punch_rows, emp):
            if punch.kind == "in":
                open_punch = punch
            elif open_punch is not None:
                start = round_quarter(open_punch.when)
                end = round_quarter(punch.when)
                if end > start:
                    shifts.append(Shift(emp, start, end, open_punch.project))
                open_punch = None
    for row in manual_rows:
        shifts.append(parse_manual(row))
    shifts.sort(key=lambda s: (s.emp, s.start, s.end, s.project))
    return shifts


def shift_hours(shift):
    return (shift.end - shift.start).total_seconds() / 3600


def find_anomalies(punch_rows, manual_rows=(), max_hours=12.0):
    """Missing punches, over-long shifts and overlapping shifts, sorted by employee and time."""
    problems = []
    for emp in employees_in(punch_rows):
        open_punch = None
        for punch in punches_for(punch_rows, emp):
            if punch.kind == "in":
                if open_punch is not None:
                    problems.append(Anomaly(emp, format_stamp(open_punch.when), "missing out"))
                open_punch = punch
            elif open_punch is None:
                problems.append(Anomaly(emp, format_stamp(punch.when), "missing in"))
            else:
                hours = (punch.when - open_punch.when).total_seconds() / 3600
                if hours > max_hours:
                    problems.append(Anomaly(emp, format_stamp(open_punch.when), "long shift"))
                open_punch = None
        if open_punch is not None:
            problems.append(Anomaly(emp, format_stamp(open_punch.when), "missing out"))
    shifts = build_shifts(punch_rows, manual_rows)
    for i, first in enumerate(shifts):
        for second in shifts[i + 1:]:
            if first.emp == second.emp and first.start < second.end and second.start < first.end:
                later = max(first.start, second.start)
                problems.append(Anomaly(first.emp, format_stamp(later), "overlap"))
    problems.sort()
    return problems
