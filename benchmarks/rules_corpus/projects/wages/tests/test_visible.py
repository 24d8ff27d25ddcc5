from decimal import Decimal

import pytest

from wages import calc, reports, tables, timesheets


def hourly(emp_id="E1", dept="Sales", rates=None, **extra):
    employee = {
        "id": emp_id,
        "name": "Ann " + emp_id,
        "department": dept,
        "contract": "hourly",
        "rates": rates or [("2020-01-01", "20.00")],
        "salary": None,
        "tax_code": "1257L",
        "pension_pct": "0",
        "student_loan": None,
        "start": "2020-01-01",
        "end": None,
    }
    employee.update(extra)
    return employee


def salaried(emp_id="S1", dept="Finance", salary="36000", **extra):
    employee = hourly(emp_id, dept, contract="salaried", rates=[], salary=salary)
    employee.update(extra)
    return employee


def test_holiday_lookup():
    assert tables.holiday_name("2024-12-25") == "Christmas Day"
    assert tables.is_holiday("2024-05-27")
    assert not tables.is_holiday("2024-05-28")


def test_day_multiplier():
    assert tables.day_multiplier("2024-03-04") == "1"  # Monday
    assert tables.day_multiplier("2024-03-09") == "1.25"  # Saturday
    assert tables.day_multiplier("2024-03-10") == "1.5"  # Sunday
    assert tables.day_multiplier("2024-12-25") == "2.0"


def test_tax_code_allowance():
    assert tables.tax_code_allowance("1257L") == 12570
    assert tables.tax_code_allowance("BR") == 0
    with pytest.raises(ValueError):
        tables.tax_code_allowance("XYZ")


def test_entries_for_filters_and_sorts():
    entries = [
        ("E1", "2024-03-05", "8", "work"),
        ("E2", "2024-03-04", "8", "work"),
        ("E1", "2024-03-04", "7", "work"),
        ("E1", "2024-04-01", "8", "work"),
    ]
    got = timesheets.entries_for(entries, "E1", 2024, 3)
    assert got == [("E1", "2024-03-04", "7", "work"), ("E1", "2024-03-05", "8", "work")]


def test_weekly_overtime_split():
    entries = [("E1", f"2024-03-0{d}", "9", "work") for d in range(4, 9)]  # Mon-Fri, 45h
    rows = timesheets.classify_hours(entries)
    assert sum(r[1] for r in rows) == Decimal("40")
    assert sum(r[2] for r in rows) == Decimal("5")
    assert rows[-1][1] == Decimal("4") and rows[-1][2] == Decimal("5")


def test_hours_summary_kinds():
    entries = [
        ("E1", "2024-03-04", "8", "work"),
        ("E1", "2024-03-05", "7.5", "leave"),
        ("E1", "2024-03-06", "7.5", "sick"),
    ]
    s = timesheets.hours_summary(entries)
    assert s["normal"] == 8 and s["leave"] == Decimal("7.5") and s["sick"] == Decimal("7.5")
    assert s["overtime"] == 0 and s["unpaid"] == 0


def test_validate_entry_rejects_bad_kind():
    with pytest.raises(ValueError):
        timesheets.validate_entry(("E1", "2024-03-04", "8", "holiday"))


def test_rate_on_uses_latest_effective_rate():
    emp = hourly(rates=[("2020-01-01", "10.00"), ("2024-06-01", "12.00")])
    assert calc.rate_on(emp, "2024-05-31") == Decimal("10.00")
    assert calc.rate_on(emp, "2024-06-01") == Decimal("12.00")


def test_income_tax_basic_rate():
    # 3000/month, allowance 1047.50 -> 1952.50 at 20%
    assert calc.income_tax(Decimal("3000"), "1257L") == Decimal("390.50")


def test_income_tax_special_codes():
    assert calc.income_tax(Decimal("1000"), "BR") == Decimal("200.00")
    assert calc.income_tax(Decimal("1000"), "NT") == Decimal("0.00")


def test_national_insurance():
    assert calc.national_insurance(Decimal("1000")) == Decimal("0.00")
    assert calc.national_insurance(Decimal("2048")) == Decimal("80.00")


def test_student_loan_rounds_down_to_pounds():
    assert calc.student_loan(Decimal("3000"), "plan2") == Decimal("65.00")
    assert calc.student_loan(Decimal("3000"), None) == Decimal("0.00")


def test_hourly_payslip():
    emp = hourly(pension_pct="5")
    entries = [("E1", "2024-03-04", "8", "work"), ("E1", "2024-03-09", "4", "work")]
    slip = calc.make_payslip(emp, entries, 2024, 3)
    assert slip["gross"] == Decimal("260.00")  # 160 + 4 * 20 * 1.25
    assert slip["pension"] == Decimal("13.00")
    assert slip["net"] == slip["gross"] - slip["pension"] - slip["tax"] - slip["ni"]
    assert slip["period"] == "2024-03"


def test_salaried_full_month():
    slip = calc.make_payslip(salaried(), [], 2024, 3)
    assert slip["gross"] == Decimal("3000.00")


def test_salaried_starter_is_prorated():
    emp = salaried(start="2024-03-18")
    slip = calc.make_payslip(emp, [], 2024, 3)
    # March 2024 has 20 working days (Good Friday is a holiday), 9 from the 18th
    assert slip["gross"] == Decimal("1350.00")


def test_run_wages_sorted_and_active_only():
    employees = [hourly("E2"), hourly("E1"), hourly("E3", start="2024-05-01")]
    entries = [("E1", "2024-03-04", "8", "work"), ("E2", "2024-03-04", "8", "work")]
    slips = calc.run_wages(employees, entries, 2024, 3)
    assert [s["employee_id"] for s in slips] == ["E1", "E2"]


def test_run_wages_unknown_employee():
    with pytest.raises(KeyError):
        calc.run_wages([hourly("E1")], [("E9", "2024-03-04", "8", "work")], 2024, 3)


def test_ytd_totals_accumulate():
    emp = hourly()
    slips = []
    for month in (1, 2, 3):
        entries = [("E1", f"2024-{month:02d}-10", "8", "work")]
        slips.extend(calc.run_wages([emp], entries, 2024, month))
    out = reports.with_ytd(slips)
    assert out[2]["ytd"]["gross"] == sum(s["gross"] for s in slips)
    assert out[0]["ytd"]["gross"] == slips[0]["gross"]
    assert "ytd" not in slips[0]


def test_department_costs():
    employees = [hourly("E1", "Sales"), hourly("E2", "Ops"), hourly("E3", "Sales")]
    entries = [(e, "2024-03-04", "8", "work") for e in ("E1", "E2", "E3")]
    slips = calc.run_wages(employees, entries, 2024, 3)
    rows = reports.department_costs(slips, employees)
    assert [r[0] for r in rows] == ["Sales", "Ops"]
    assert rows[0][1] == 2 and rows[0][2] == Decimal("320.00")


def test_format_payslip_contains_totals():
    slip = calc.make_payslip(hourly(), [("E1", "2024-03-04", "8", "work")], 2024, 3)
    text = reports.format_payslip(slip)
    assert "PAYSLIP 2024-03" in text
    assert "160.00" in text


def test_department_report_text():
    rows = [("Sales", 2, Decimal("1000"), Decimal("10"), Decimal("30"), Decimal("1040"))]
    text = reports.format_department_report(rows)
    assert "Sales" in text and "1,040.00" in text


def test_wages_register_csv():
    slip = calc.make_payslip(hourly(), [("E1", "2024-03-04", "8", "work")], 2024, 3)
    text = reports.wages_register([slip])
    lines = text.strip().split("\n")
    assert lines[0].startswith("employee_id,period,gross")
    assert lines[1].startswith("E1,2024-03,160.00")
