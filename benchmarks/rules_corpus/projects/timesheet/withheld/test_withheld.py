import random
from datetime import datetime, timedelta

import pytest

from timesheet import (
    Employee,
    Shift,
    build_shifts,
    daily_hours,
    employee_totals,
    find_anomalies,
    find_employee,
    parse_hours,
    parse_manual,
    payroll,
    payroll_report,
    premium_hours,
    project_report,
    project_totals,
    week_table,
    weekly_overtime,
)

BASE = datetime(2024, 3, 4)


def stamp(when):
    return when.strftime("%Y-%m-%d %H:%M")


def random_shifts(rng, staff_ids, count):
    shifts = []
    for _ in range(count):
        start = BASE + timedelta(minutes=15 * rng.randrange(4 * 24 * 21))
        end = start + timedelta(minutes=15 * rng.randint(1, 48))
        shifts.append(Shift(rng.choice(staff_ids), start, end, rng.choice("PQRS")))
    return shifts


def ref_premiums(shift, holidays):
    night = weekend = holiday = 0
    minute = shift.start
    while minute < shift.end:
        if minute.date().isoformat() in set(holidays):
            holiday += 1
        elif minute.weekday() in (5, 6):
            weekend += 1
        if not 6 <= minute.hour < 22:
            night += 1
        minute += timedelta(minutes=1)
    return night / 60, weekend / 60, holiday / 60


def ref_overtime(shifts, limits):
    result = {}
    for shift in shifts:
        key = shift.start.isocalendar()[:2]
        used = sum(
            (o.end - o.start).total_seconds() / 3600
            for o in shifts
            if o.emp == shift.emp and o.start.isocalendar()[:2] == key and o.start < shift.start
        )
        hours = (shift.end - shift.start).total_seconds() / 3600
        regular = max(0.0, min(hours, limits[shift.emp] - used))
        result[shift] = (regular, hours - regular)
    return result


def test_empty_inputs():
    assert build_shifts([]) == []
    assert find_anomalies([]) == []
    assert weekly_overtime([], []) == []
    assert week_table([], []) == {}
    assert payroll([], [], []) == []
    assert employee_totals([]) == {}
    assert project_totals([]) == []
    assert daily_hours([], "E1") == []
    assert project_report([]).strip() == "TOTAL".ljust(12) + "     0.00 h"
    assert payroll_report([]).rstrip().endswith("0 employees, 0.00 hours, gross 0.00")


def test_bad_input_types():
    with pytest.raises(ValueError):
        build_shifts(["E1,2024-03-04 08:00,in"])
    with pytest.raises(ValueError):
        build_shifts(["E1,2024-13-04 08:00,in,A"])
    with pytest.raises(ValueError):
        build_shifts([" ,2024-03-04 08:00,in,A"])
    with pytest.raises(ValueError):
        parse_manual("E1,2024-03-04 08:00,0h,A")
    with pytest.raises(ValueError):
        parse_hours("7:75")
    with pytest.raises(ValueError):
        payroll([], [], ["04/03/2024"])
    with pytest.raises(KeyError):
        find_employee([Employee("E1", "A", "1", "40h")], "E9")
    shifts = build_shifts(["E9,2024-03-04 08:00,in,A", "E9,2024-03-04 09:00,out,A"])
    with pytest.raises(KeyError):
        payroll(shifts, [Employee("E1", "A", "1", "40h")])
    with pytest.raises(KeyError):
        weekly_overtime(shifts, [])
    with pytest.raises(ValueError):
        payroll(shifts, [Employee("E9", "A", "-1", "40h")])


def test_same_time_out_then_in():
    rows = ["E1,2024-03-04 12:00,in,B", "E1,2024-03-04 08:00,in,A", "E1,2024-03-04 12:00,out,A",
            "E1,2024-03-04 16:00,out,B"]
    shifts = build_shifts(rows)
    assert [(s.start.hour, s.end.hour, s.project) for s in shifts] == [(8, 12, "A"), (12, 16, "B")]
    assert find_anomalies(rows) == []


def test_double_in_and_long_shift():
    rows = ["E2,2024-03-04 06:00,in,A", "E2,2024-03-04 07:00,in,A", "E2,2024-03-04 20:00,out,A",
            "E1,2024-03-04 07:00,out,A"]
    problems = [(p.emp, p.when, p.issue) for p in find_anomalies(rows)]
    assert problems == [
        ("E1", "2024-03-04 07:00", "missing in"),
        ("E2", "2024-03-04 06:00", "missing out"),
        ("E2", "2024-03-04 07:00", "long shift"),
    ]
    assert find_anomalies(rows, max_hours=13) == find_anomalies(rows)[:2]
    assert [(s.start.hour, s.end.hour) for s in build_shifts(rows)] == [(7, 20)]


def test_overlap_every_pair_reported():
    manual = ["E1,2024-03-04 08:00,8h,A", "E1,2024-03-04 09:00,1h,B", "E1,2024-03-04 10:00,1h,C",
              "E2,2024-03-04 09:00,1h,B", "E1,2024-03-04 16:00,1h,D"]
    problems = [(p.emp, p.when, p.issue) for p in find_anomalies([], manual)]
    assert problems == [("E1", "2024-03-04 09:00", "overlap"),
                        ("E1", "2024-03-04 10:00", "overlap")]
    dup = ["E1,2024-03-04 08:00,2h,A", "E1,2024-03-04 08:00,2h,A"]
    assert len(find_anomalies([], dup)) == 1


def test_inputs_mutated_between_calls():
    rows = ["E1,2024-03-04 08:00,in,A", "E1,2024-03-04 12:00,out,A"]
    staff = [Employee("E1", "Ann", "10", "40h")]
    assert employee_totals(build_shifts(rows)) == {"E1": 4.0}
    first = payroll(build_shifts(rows), staff)
    rows.append("E1,2024-03-05 08:00,in,A")
    assert find_anomalies(rows)[0].issue == "missing out"
    rows.append("E1,2024-03-05 10:00,out,A")
    assert employee_totals(build_shifts(rows)) == {"E1": 6.0}
    staff[0] = Employee("E1", "Ann", "20", "40h")
    second = payroll(build_shifts(rows), staff)
    assert first[0].gross == 40.0 and second[0].gross == 120.0
    rows[0] = "E1,2024-03-04 09:00,in,A"
    assert employee_totals(build_shifts(rows)) == {"E1": 5.0}
    staff[0] = Employee("E1", "Ann", "20", "3h")
    assert [s.overtime for s in weekly_overtime(build_shifts(rows), staff)] == [0.0, 2.0]


def test_duplicate_employee_first_wins():
    staff = [Employee("E1", "First", "10", "40h"), Employee("E1", "Second", "99", "1h")]
    shifts = build_shifts(["E1,2024-03-04 08:00,in,A", "E1,2024-03-04 10:00,out,A"])
    assert payroll(shifts, staff)[0].name == "First"
    assert payroll(shifts, staff)[0].gross == 20.0


def test_week_boundary_resets_limit():
    staff = [Employee("E1", "A", "10", "4h")]
    manual = ["E1,2024-03-10 20:00,6h,A", "E1,2024-03-11 08:00,3h,A", "E1,2024-03-11 12:00,3h,A"]
    splits = weekly_overtime(build_shifts([], manual), staff)
    assert [(s.week, s.regular, s.overtime) for s in splits] == [
        ("2024-W10", 4.0, 2.0), ("2024-W11", 3.0, 0.0), ("2024-W11", 1.0, 2.0)]
    assert week_table(build_shifts([], manual), staff) == {
        ("E1", "2024-W10"): (6.0, 2.0), ("E1", "2024-W11"): (6.0, 2.0)}


def test_equal_starts_share_nothing():
    staff = [Employee("E1", "A", "10", "4h")]
    shifts = [Shift("E1", BASE, BASE + timedelta(hours=3), "A"),
              Shift("E1", BASE, BASE + timedelta(hours=3), "B")]
    assert [(s.regular, s.overtime) for s in weekly_overtime(shifts, staff)] == [(3.0, 0.0)] * 2


def test_project_ties_and_order():
    shifts = [Shift("E2", BASE, BASE + timedelta(hours=2), "ZED"),
              Shift("E1", BASE, BASE + timedelta(hours=2), "ABC"),
              Shift("E1", BASE + timedelta(hours=3), BASE + timedelta(hours=4), "MID"),
              Shift("E2", BASE + timedelta(hours=3), BASE + timedelta(hours=4), "MID")]
    assert project_totals(shifts) == [("ABC", 2.0, 1), ("MID", 2.0, 2), ("ZED", 2.0, 1)]
    lines = project_report(shifts).splitlines()
    assert lines[0].startswith("ABC") and "33.3%" in lines[0]
    assert lines[-1] == "TOTAL".ljust(12) + "     6.00 h"


def test_report_sorted_by_name_then_id():
    staff = [Employee("E3", "Cy", "10", "40h"), Employee("E1", "Cy", "10", "40h"),
             Employee("E2", "Al", "10", "40h")]
    manual = [f"{e.emp_id},2024-03-04 08:00,1h,A" for e in staff]
    text = payroll_report(payroll(build_shifts([], manual), staff), "T")
    body = [line.split()[0] for line in text.splitlines()[4:7]]
    assert body == ["E2", "E1", "E3"]


def test_premiums_random_against_minutes():
    rng = random.Random(7)
    holidays = ["2024-03-08", "2024-03-17", "2024-03-23"]
    for shift in random_shifts(rng, ["E1"], 150):
        extra = premium_hours(shift, holidays)
        night, weekend, holiday = ref_premiums(shift, holidays)
        assert extra.hours == (shift.end - shift.start).total_seconds() / 3600
        assert (extra.night, extra.weekend, extra.holiday) == (night, weekend, holiday)


def test_overtime_random_against_reference():
    rng = random.Random(11)
    ids = [f"E{i}" for i in range(6)]
    staff = [Employee(e, e, "10", rng.choice(["8h", "20h", "37.5h"])) for e in ids]
    shifts = random_shifts(rng, ids, 300)
    expected = ref_overtime(shifts, {e.emp_id: parse_hours(e.weekly_limit) for e in staff})
    splits = weekly_overtime(shifts, staff)
    assert len(splits) == len(shifts)
    assert [s.shift for s in splits] == sorted(shifts, key=lambda s: (s.emp, s.start, s.end,
                                                                        s.project))
    for split in splits:
        assert (split.regular, split.overtime) == expected[split.shift]


def test_payroll_random_against_reference():
    rng = random.Random(5)
    ids = [f"E{i}" for i in range(8)]
    staff = [Employee(e, f"N{e}", f"{rng.randint(1000, 3000) / 100:.2f}", "30h") for e in ids]
    holidays = ["2024-03-15"]
    shifts = random_shifts(rng, ids[:6], 200)
    expected = ref_overtime(shifts, {e: 30.0 for e in ids})
    lines = payroll(shifts, staff, holidays)
    assert [line.emp_id for line in lines] == sorted({s.emp for s in shifts})
    for line in lines:
        mine = [s for s in shifts if s.emp == line.emp_id]
        regular = sum(expected[s][0] for s in mine)
        overtime = sum(expected[s][1] for s in mine)
        prem = [ref_premiums(s, holidays) for s in mine]
        night, weekend, holiday = (sum(p[i] for p in prem) for i in range(3))
        rate = float(find_employee(staff, line.emp_id).rate)
        gross = rate * (regular + overtime * 1.5)
        gross += rate * (night * 0.25 + weekend * 0.5 + holiday * 1.0)
        assert (line.regular, line.overtime) == (regular, overtime)
        assert (line.night, line.weekend, line.holiday) == (night, weekend, holiday)
        assert line.gross == pytest.approx(round(gross, 2), abs=0.011)


def test_random_punches_against_reference():
    rng = random.Random(3)
    rows = []
    expected = {}
    for emp in ("E1", "E2", "E3"):
        when = BASE
        for _ in range(60):
            when += timedelta(minutes=rng.randint(30, 900))
            start = when
            when += timedelta(minutes=rng.randint(20, 600))
            rows.append(f"{emp},{stamp(start)},in,P")
            rows.append(f"{emp},{stamp(when)},out,P")
            q_start = BASE + timedelta(minutes=round((start - BASE).total_seconds() / 900) * 15)
            q_end = BASE + timedelta(minutes=round((when - BASE).total_seconds() / 900) * 15)
            if q_end > q_start:
                day = q_start.date().isoformat()
                per_day = expected.setdefault(emp, {})
                per_day[day] = per_day.get(day, 0) + (q_end - q_start).total_seconds() / 3600
    rng.shuffle(rows)
    shifts = build_shifts(rows)
    assert find_anomalies(rows) == [a for a in find_anomalies(rows) if a.issue == "long shift"]
    for emp, per_day in expected.items():
        assert daily_hours(shifts, emp) == sorted(per_day.items())
        assert employee_totals(shifts)[emp] == sum(per_day.values())
    assert sum(h for _, h, _ in project_totals(shifts)) == sum(employee_totals(shifts).values())
