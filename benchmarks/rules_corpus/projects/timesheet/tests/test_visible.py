from datetime import datetime

import pytest

from timesheet import (
    Employee,
    Shift,
    build_shifts,
    daily_hours,
    employee_totals,
    find_anomalies,
    parse_hours,
    parse_punch,
    payroll,
    payroll_report,
    premium_hours,
    project_totals,
    round_quarter,
    week_of,
    weekly_overtime,
)

STAFF = [
    Employee("E1", "Ada", "20.00", "40h"),
    Employee("E2", "Bo", "30.00", "8h"),
]

PUNCHES = [
    "E1,2024-03-04 08:02,in,ALPHA",
    "E1,2024-03-04 16:05,out,ALPHA",
    "E2,2024-03-04 22:00,in,BETA",
    "E2,2024-03-05 06:00,out,BETA",
    "E2,2024-03-06 09:00,in,ALPHA",
    "E2,2024-03-06 11:00,out,ALPHA",
]


def test_parse_hours_formats():
    assert parse_hours("7.5h") == 7.5
    assert parse_hours("7h30m") == 7.5
    assert parse_hours("45m") == 0.75
    assert parse_hours("7:30") == 7.5
    assert parse_hours("8") == 8.0


def test_parse_punch():
    punch = parse_punch("E1, 2024-03-04 08:02 ,IN,ALPHA")
    assert punch.emp == "E1"
    assert punch.when == datetime(2024, 3, 4, 8, 2)
    assert punch.kind == "in"
    assert punch.project == "ALPHA"


def test_round_quarter():
    assert round_quarter(datetime(2024, 3, 4, 8, 7)) == datetime(2024, 3, 4, 8, 0)
    assert round_quarter(datetime(2024, 3, 4, 8, 8)) == datetime(2024, 3, 4, 8, 15)
    assert round_quarter(datetime(2024, 3, 4, 23, 55)) == datetime(2024, 3, 5, 0, 0)


def test_build_shifts_pairs_and_rounds():
    shifts = build_shifts(list(reversed(PUNCHES)))
    first = Shift("E1", datetime(2024, 3, 4, 8, 0), datetime(2024, 3, 4, 16, 0), "ALPHA")
    assert shifts[0] == first
    assert [s.emp for s in shifts] == ["E1", "E2", "E2"]
    assert employee_totals(shifts) == {"E1": 8.0, "E2": 10.0}


def test_manual_entries_and_overlap():
    manual = ["E1,2024-03-04 15:00,2h,BETA"]
    shifts = build_shifts(PUNCHES, manual)
    assert len(shifts) == 4
    problems = find_anomalies(PUNCHES, manual)
    assert [(p.emp, p.when, p.issue) for p in problems] == [("E1", "2024-03-04 15:00", "overlap")]


def test_missing_punches():
    rows = ["E1,2024-03-04 08:00,in,A", "E1,2024-03-05 08:00,in,A", "E1,2024-03-05 12:00,out,A",
            "E1,2024-03-06 12:00,out,A"]
    issues = [(p.when, p.issue) for p in find_anomalies(rows)]
    assert issues == [("2024-03-04 08:00", "missing out"), ("2024-03-06 12:00", "missing in")]
    assert len(build_shifts(rows)) == 1


def test_premium_hours_night_and_weekend():
    shift = Shift("E1", datetime(2024, 3, 9, 20, 0), datetime(2024, 3, 10, 2, 0), "A")
    extra = premium_hours(shift, [])
    assert extra.hours == 6.0
    assert extra.night == 4.0
    assert extra.weekend == 6.0
    assert premium_hours(shift, ["2024-03-10"]).holiday == 2.0


def test_weekly_overtime():
    splits = weekly_overtime(build_shifts(PUNCHES), STAFF)
    e2 = [(s.regular, s.overtime) for s in splits if s.shift.emp == "E2"]
    assert e2 == [(8.0, 0.0), (0.0, 2.0)]
    assert week_of(datetime(2024, 3, 4)) == "2024-W10"


def test_payroll_lines_and_report():
    lines = payroll(build_shifts(PUNCHES), STAFF, ["2024-03-06"])
    assert [line.emp_id for line in lines] == ["E1", "E2"]
    assert lines[0].gross == 160.0
    # E2: 8h regular + 2h overtime, 8h night, 2h holiday
    assert lines[1].gross == 30 * (8 + 3) + 30 * (8 * 0.25 + 2 * 1.0)
    text = payroll_report(lines)
    assert text.splitlines()[0] == "Payroll"
    assert "Ada" in text and text.rstrip().endswith("gross 610.00")


def test_project_totals_and_daily():
    shifts = build_shifts(PUNCHES)
    assert project_totals(shifts) == [("ALPHA", 10.0, 2), ("BETA", 8.0, 1)]
    assert daily_hours(shifts, "E2") == [("2024-03-04", 8.0), ("2024-03-06", 2.0)]


def test_bad_rows():
    with pytest.raises(ValueError):
        parse_punch("E1,2024-03-04 08:00,lunch,A")
    with pytest.raises(ValueError):
        parse_hours("soon")
