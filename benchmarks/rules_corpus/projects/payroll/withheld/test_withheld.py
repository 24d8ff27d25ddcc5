import copy
import random
from datetime import date, timedelta

import pytest

from payroll import Employee, TimeEntry, gross_pay, parse_timesheet, run_payroll
from payroll.calc import overtime_hours, weekly_hours
from payroll.payslips import department_summary, money
from payroll.rules import TAX_BANDS, UnknownRate, hourly_rate, income_tax
from payroll.timesheets import TimesheetError


def test_parse_errors() -> None:
    for bad in ("E1;2024-03-04", "E1;2024-02-30;8", "E1;2024-03-04;25", "E1;2024-03-04;-1",
                "E1;2024-03-04;8;vacation", "E1;04.03.2024;8", "E1;2024-03-04;eight",
                "a;b;c;d;e"):
        with pytest.raises(TimesheetError):
            parse_timesheet([bad])
    with pytest.raises(ValueError):
        parse_timesheet(["ok;2024-03-04;8", "E1;2024-3-4x;8"])


def test_same_day_strings_parse_to_equal_dates() -> None:
    entries = parse_timesheet(["a;2024-03-04;1", "b;2024-03-04;2", "c; 2024-03-04;3"])
    assert {e.day for e in entries} == {date(2024, 3, 4)}
    assert entries[0].day is not None


def test_unknown_rate_and_salaried_with_unknown_rate() -> None:
    with pytest.raises(UnknownRate):
        gross_pay(Employee("x", "x", "d", "ZZ"), [TimeEntry("x", date(2024, 3, 4), 1.0)])
    with pytest.raises(KeyError):
        gross_pay(Employee("x", "x", "d", "ZZ"), [])
    assert gross_pay(Employee("x", "x", "d", "ZZ", True, 100.0), []) == 100.0
    assert hourly_rate("A1") == 14.5


def test_week_boundaries_and_year_change() -> None:
    entries = [TimeEntry("e", date(2024, 12, 30) + timedelta(days=d), 9.0) for d in range(6)]
    weeks = weekly_hours(entries)
    assert list(weeks) == [(2025, 1)]
    assert overtime_hours(entries) == pytest.approx(14.0)
    split = [TimeEntry("e", date(2024, 3, 10), 30.0), TimeEntry("e", date(2024, 3, 11), 30.0)]
    assert overtime_hours(split) == 0.0


def test_tax_band_edges_and_table_untouched() -> None:
    before = list(TAX_BANDS)
    assert income_tax(1200) == 0.0
    assert income_tax(2500) == pytest.approx(182.0)
    assert income_tax(5000) == pytest.approx(182.0 + 600.0)
    assert income_tax(10000) == pytest.approx(782.0 + 4000 * 0.42 + 1000 * 0.45)
    assert TAX_BANDS == before


def test_employees_without_entries_and_duplicate_ids() -> None:
    emps = [Employee("a", "A", "x", "A1"), Employee("a", "A again", "x", "A1")]
    entries = [TimeEntry("a", date(2024, 3, 4), 2.0)]
    results = run_payroll(emps, entries)
    assert [r["gross"] for r in results] == [29.0, 29.0]
    assert run_payroll([Employee("z", "Z", "x", "A1")], entries)[0]["hours"] == 0.0
    assert run_payroll([], entries) == []


def test_inputs_not_mutated_and_order_kept() -> None:
    rng = random.Random(2)
    emps = [Employee(f"e{i}", f"n{i}", rng.choice(["a", "b"]), rng.choice(["A1", "C2"]))
            for i in range(12)]
    entries = [
        TimeEntry(f"e{rng.randrange(12)}", date(2024, 3, 1) + timedelta(days=rng.randrange(31)),
                  rng.choice([4.0, 8.0, 12.0]), rng.choice(["regular", "night", "holiday"]))
        for _ in range(300)
    ]
    snapshot = copy.deepcopy(entries)
    results = run_payroll(list(reversed(emps)), entries)
    assert entries == snapshot
    assert [r["emp_id"] for r in results] == [e.emp_id for e in reversed(emps)]
    for r in results:
        mine = [e for e in entries if e.emp_id == r["emp_id"]]
        assert r["hours"] == round(sum(e.hours for e in mine), 2)


def test_money_and_summary_format() -> None:
    assert money(-0.5) == "-0,50 EUR"
    assert money(1e6) == "1.000.000,00 EUR"
    results = [
        {"department": "b", "gross": 10.0, "net": 8.0},
        {"department": "a", "gross": 1.0, "net": 1.0},
        {"department": "b", "gross": 5.0, "net": 4.0},
    ]
    assert department_summary(results) == [
        "a               1 staff  gross 1,00 EUR  net 1,00 EUR",
        "b               2 staff  gross 15,00 EUR  net 12,00 EUR",
    ]
