from datetime import date

import pytest

from payroll import Employee, TimeEntry, gross_pay, net_pay, parse_timesheet, run_payroll
from payroll.payslips import department_summary, money, payslip
from payroll.rules import income_tax, social_security


def test_parse_timesheet() -> None:
    entries = parse_timesheet(["# header", "E1;2024-03-04;7,5", "E2; 2024-03-05 ;8;Night", ""])
    assert entries == [
        TimeEntry("E1", date(2024, 3, 4), 7.5, "regular"),
        TimeEntry("E2", date(2024, 3, 5), 8.0, "night"),
    ]


def test_gross_with_overtime_and_premiums() -> None:
    emp = Employee("E1", "Ann", "it", "A1")
    entries = [TimeEntry("E1", date(2024, 3, d), 10.0) for d in range(4, 9)]
    entries.append(TimeEntry("E1", date(2024, 3, 11), 8.0, "holiday"))
    entries.append(TimeEntry("E2", date(2024, 3, 11), 8.0))
    # 50 h in week 10 (10 overtime) + 8 holiday hours at double rate
    expected = round(50 * 14.5 + 10 * 14.5 * 0.5 + 16 * 14.5, 2)
    assert gross_pay(emp, entries) == pytest.approx(expected)


def test_salaried_and_taxes() -> None:
    boss = Employee("B", "Bo", "finance", "E1", salaried=True, monthly_salary=6000.0)
    assert gross_pay(boss, []) == 6000.0
    assert income_tax(1000) == 0.0
    assert income_tax(2000) == pytest.approx(112.0)
    assert social_security(10000) == pytest.approx(678.9)
    assert net_pay(2000) == pytest.approx(2000 - 112 - 186)


def test_run_payroll_and_slips() -> None:
    emps = [Employee("E1", "Ann", "it", "A1"), Employee("E2", "Ben", "hr", "B1")]
    entries = [TimeEntry("E2", date(2024, 3, 4), 8.0), TimeEntry("E1", date(2024, 3, 4), 4.0)]
    results = run_payroll(emps, entries)
    assert [r["emp_id"] for r in results] == ["E1", "E2"]
    assert results[1]["gross"] == 150.0
    assert money(1234.5) == "1.234,50 EUR"
    assert "Payslip E1 - Ann (it)" in payslip(results[0])
    assert department_summary(results)[0].startswith("hr")
