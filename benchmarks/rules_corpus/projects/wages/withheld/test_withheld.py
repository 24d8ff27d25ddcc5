import copy
import random
from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

import pytest

from wages import calc, reports, tables, timesheets

CENT = Decimal("0.01")
HOLIDAYS = {
    "2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26",
    "2024-12-25", "2024-12-26", "2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05",
    "2025-05-26", "2025-08-25", "2025-12-25", "2025-12-26",
}


def q(x):
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


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


# ---------------------------------------------------------------- reference implementations


def ref_multiplier(iso):
    if iso in HOLIDAYS:
        return Decimal("2.0")
    wd = date.fromisoformat(iso).weekday()
    return {5: Decimal("1.25"), 6: Decimal("1.5")}.get(wd, Decimal("1"))


def ref_rate(emp, iso):
    best = None
    for start, rate in emp["rates"]:
        if start <= iso and (best is None or start > best[0]):
            best = (start, rate)
    return Decimal(best[1])


def ref_classify(entries):
    used = {}
    rows = []
    for e in entries:
        if e[3] != "work":
            continue
        h = Decimal(str(e[2]))
        wk = date.fromisoformat(e[1]).isocalendar()[:2]
        before = used.get(wk, Decimal(0))
        used[wk] = before + h
        normal = min(h, max(Decimal(40) - before, Decimal(0)))
        rows.append((e, normal, h - normal, ref_multiplier(e[1])))
    return rows


def ref_hourly_gross(emp, entries):
    total = Decimal("0.00")
    for e, normal, ot, mult in ref_classify(entries):
        rate = ref_rate(emp, e[1])
        if normal > 0:
            total += q(normal * rate * mult)
        if ot > 0:
            total += q(ot * rate * max(mult, Decimal("1.5")))
    for e in entries:
        h = Decimal(str(e[2]))
        if e[3] == "leave":
            total += q(h * ref_rate(emp, e[1]))
        elif e[3] == "sick":
            total += q(h * ref_rate(emp, e[1]) * Decimal("0.8"))
    return total


def ref_tax(taxable, allowance):
    taxable = Decimal(taxable)
    rem = taxable - Decimal(allowance) / 12
    tax = Decimal(0)
    for low, high, rate in ((0, 37700, "0.20"), (37700, 125140, "0.40"), (125140, None, "0.45")):
        lo = Decimal(low) / 12
        hi = None if high is None else Decimal(high) / 12
        if rem > lo:
            top = rem if hi is None else min(rem, hi)
            tax += (top - lo) * Decimal(rate)
    return tax.quantize(CENT, rounding=ROUND_DOWN) if taxable > 0 else Decimal("0.00")


def ref_ytd(slips):
    out = []
    for s in slips:
        tot = {f: Decimal("0.00") for f in reports.YTD_FIELDS}
        for o in slips:
            if (o["employee_id"] == s["employee_id"] and o["period"][:4] == s["period"][:4]
                    and o["period"] <= s["period"]):
                for f in tot:
                    tot[f] += o[f]
        out.append(tot)
    return out


def random_month(rng, employees, year, month, extra_noise=True):
    entries = []
    day = date(year, month, 1)
    while day.month == month:
        for emp in employees:
            r = rng.random()
            if r < 0.8:
                kind = rng.choice(["work"] * 8 + ["leave", "sick", "unpaid"])
                hours = rng.choice(["7.5", "8", "9.25", "10", "12", "4"])
                entries.append((emp["id"], day.isoformat(), hours, kind))
                if rng.random() < 0.05:
                    entries.append((emp["id"], day.isoformat(), "2", "work"))
        day += timedelta(days=1)
    if extra_noise:
        # entries of other months are ignored by run_wages
        other = f"{year}-{month + 1:02d}-15" if month < 12 else f"{year}-01-15"
        entries.append((employees[0]["id"], other, "8", "work"))
    rng.shuffle(entries)
    return entries


def random_employees(rng, n):
    emps = []
    for i in range(n):
        if rng.random() < 0.7:
            rates = [("2020-01-01", f"{rng.randint(1100, 3000) / 100:.2f}")]
            for m in rng.sample(range(2, 13), 2):
                rates.append((f"2024-{m:02d}-01", f"{rng.randint(1100, 3000) / 100:.2f}"))
            rng.shuffle(rates)
            emps.append(hourly(f"E{i:03d}", rng.choice("ABCD"), rates=rates,
                               pension_pct=rng.choice(["0", "5"])))
        else:
            emps.append(salaried(f"E{i:03d}", rng.choice("ABCD"),
                                 salary=str(rng.randrange(20000, 150000, 250))))
    rng.shuffle(emps)
    return emps


# ---------------------------------------------------------------- tables


def test_holiday_name_accepts_date_objects():
    assert tables.holiday_name(date(2025, 4, 18)) == "Good Friday"
    assert tables.holiday_name(date(2025, 4, 19)) is None


def test_holiday_name_bad_string_raises():
    with pytest.raises(ValueError):
        tables.holiday_name("2024-13-01")


def test_day_multiplier_accepts_date_and_holiday_beats_weekday():
    assert tables.day_multiplier(date(2024, 12, 26)) == "2.0"
    assert tables.day_multiplier(date(2024, 3, 8)) == "1"


@pytest.mark.parametrize(
    "code,allowance",
    [("1257L", 12570), (" 1257l ", 12570), ("0T", 0), ("1385M", 13850), ("1100N", 11000),
     ("D0", 0), ("D1", 0), ("NT", 0)],
)
def test_tax_code_allowance_variants(code, allowance):
    assert tables.tax_code_allowance(code) == allowance


@pytest.mark.parametrize("code", ["K100", "L", "", "12.5L", "BRX"])
def test_tax_code_allowance_rejects(code):
    with pytest.raises(ValueError):
        tables.tax_code_allowance(code)


# ---------------------------------------------------------------- timesheets


@pytest.mark.parametrize(
    "entry",
    [
        ("E1", "2024-03-04", "25", "work"),
        ("E1", "2024-03-04", "-1", "work"),
        ("E1", "2024-03-04", "abc", "work"),
        ("E1", "2024-02-30", "8", "work"),
        ("", "2024-03-04", "8", "work"),
        ("E1", "2024-03-04", "8"),
        ("E1", "2024-03-04", "8", "Work"),
    ],
)
def test_validate_entry_errors(entry):
    with pytest.raises(ValueError):
        timesheets.validate_entry(entry)


def test_validate_entry_accepts_numbers_and_returns_entry():
    entry = ("E1", "2024-03-04", Decimal("7.5"), "leave")
    assert timesheets.validate_entry(entry) is entry
    assert timesheets.validate_entry(("E1", "2024-03-04", 0, "work"))
    assert timesheets.validate_entry(("E1", "2024-03-04", "24", "work"))


def test_entries_for_stable_on_same_day_and_does_not_mutate():
    entries = [
        ("E1", "2024-03-05", "1", "work"),
        ("E1", "2024-03-04", "2", "work"),
        ("E1", "2024-03-05", "3", "sick"),
        ("E1", "2024-03-04", "4", "leave"),
        ("E1", "2023-03-04", "5", "work"),
    ]
    before = list(entries)
    got = timesheets.entries_for(entries, "E1", 2024, 3)
    assert [e[2] for e in got] == ["2", "4", "1", "3"]
    assert entries == before
    assert timesheets.entries_for(entries, "E2", 2024, 3) == []
    assert timesheets.entries_for([], "E1", 2024, 3) == []


def test_classify_ignores_non_work_for_limit():
    entries = [("E1", "2024-03-04", "8", "leave")] + [
        ("E1", f"2024-03-0{d}", "10", "work") for d in range(5, 9)
    ]
    rows = timesheets.classify_hours(entries)
    assert len(rows) == 4
    assert sum(r[2] for r in rows) == 0


def test_classify_exactly_at_limit_and_beyond():
    entries = [("E1", f"2024-03-0{d}", "10", "work") for d in range(4, 8)]
    entries.append(("E1", "2024-03-09", "5", "work"))  # Saturday, all overtime
    entries.append(("E1", "2024-03-11", "9", "work"))  # next Monday, fresh week
    rows = timesheets.classify_hours(entries)
    assert [r[2] for r in rows] == [0, 0, 0, 0, 5, 0]
    assert rows[4][3] == Decimal("1.25")
    assert timesheets.overtime_multiplier(rows[4][3]) == Decimal("1.5")
    assert timesheets.overtime_multiplier(Decimal("2.0")) == Decimal("2.0")


def test_classify_iso_week_across_year_end():
    # Mon 2024-12-30 .. Fri 2025-01-03 are ISO week 1 of 2025
    days = ["2024-12-30", "2024-12-31", "2025-01-01", "2025-01-02", "2025-01-03"]
    rows = timesheets.classify_hours([("E1", d, "9", "work") for d in days])
    assert sum(r[2] for r in rows) == 5
    assert rows[2][3] == Decimal("2.0")


def test_classify_empty_and_summary_empty():
    assert timesheets.classify_hours([]) == []
    s = timesheets.hours_summary([])
    assert all(v == 0 for v in s.values())
    assert set(s) == {"normal", "overtime", "leave", "sick", "unpaid"}


def test_classify_randomized_against_reference():
    rng = random.Random(7)
    for _ in range(30):
        entries = []
        day = date(2024, rng.randint(1, 12), 1)
        for _ in range(rng.randint(0, 40)):
            day += timedelta(days=rng.choice([0, 1, 1, 2]))
            kind = rng.choice(["work", "work", "work", "leave", "sick"])
            entries.append(("E1", day.isoformat(), rng.choice(["8", "9.5", "12", "3"]), kind))
        snapshot = list(entries)
        got = timesheets.classify_hours(entries)
        assert got == ref_classify(entries)
        assert entries == snapshot


# ---------------------------------------------------------------- calc


def test_money_rounds_half_up():
    assert calc.money("2.345") == Decimal("2.35")
    assert calc.money(Decimal("-1.005")) == Decimal("-1.01")
    assert calc.money(3) == Decimal("3.00")


def test_rate_on_unsorted_rates_and_errors():
    rates = [("2024-06-01", "12.00"), ("2020-01-01", "10.00"), ("2024-03-01", "11.00")]
    emp = hourly(rates=rates)
    snapshot = list(rates)
    assert calc.rate_on(emp, "2024-03-15") == Decimal("11.00")
    assert calc.rate_on(emp, "2024-12-31") == Decimal("12.00")
    assert emp["rates"] == snapshot
    with pytest.raises(ValueError):
        calc.rate_on(emp, "2019-12-31")


def test_rate_change_mid_month_applies_per_day():
    emp = hourly(rates=[("2020-01-01", "10.00"), ("2024-03-06", "20.00")])
    entries = [("E1", "2024-03-05", "8", "work"), ("E1", "2024-03-06", "8", "work")]
    gross, lines = calc.hourly_gross(emp, entries)
    assert gross == Decimal("240.00")
    assert [line[0] for line in lines] == ["work 2024-03-05", "work 2024-03-06"]


def test_hourly_gross_line_order_and_sick_pay():
    emp = hourly(rates=[("2020-01-01", "15.00")])
    entries = [
        ("E1", "2024-03-04", "7.5", "sick"),
        ("E1", "2024-03-05", "7.5", "leave"),
        ("E1", "2024-03-06", "8", "work"),
        ("E1", "2024-03-07", "8", "unpaid"),
    ]
    gross, lines = calc.hourly_gross(emp, entries)
    assert [line[0] for line in lines] == ["work 2024-03-06", "sick 2024-03-04",
                                           "leave 2024-03-05"]
    assert lines[1][3] == Decimal("90.00")
    assert gross == Decimal("120.00") + Decimal("90.00") + Decimal("112.50")


def test_holiday_overtime_paid_at_double():
    emp = hourly(rates=[("2020-01-01", "10.00")])
    entries = [("E1", f"2024-12-2{d}", "10", "work") for d in (3, 4, 5, 6)]
    entries.append(("E1", "2024-12-27", "4", "work"))
    gross, _ = calc.hourly_gross(emp, entries)
    # 23,24 normal; 25,26 holidays at 2x; 27 is all overtime at 1.5
    assert gross == Decimal("200") + Decimal("400") + Decimal("60")


@pytest.mark.parametrize(
    "taxable,code",
    [("0", "1257L"), ("-50", "1257L"), ("1047.50", "1257L"), ("4189.16", "1257L"),
     ("5000", "1257L"), ("12000", "1257L"), ("20000", "1257L"), ("333.33", "0T"),
     ("2500", "1100L")],
)
def test_income_tax_against_reference(taxable, code):
    allowance = tables.tax_code_allowance(code)
    assert calc.income_tax(Decimal(taxable), code) == ref_tax(taxable, allowance)


def test_income_tax_special_bands():
    assert calc.income_tax(Decimal("1000.05"), "D0") == Decimal("400.02")
    assert calc.income_tax(Decimal("1000"), "D1") == Decimal("450.00")
    assert calc.income_tax(Decimal("-5"), "BR") == Decimal("0.00")
    with pytest.raises(ValueError):
        calc.income_tax(Decimal("100"), "ZZ9")


@pytest.mark.parametrize(
    "gross,ni",
    [("1048", "0.00"), ("1048.01", "0.00"), ("1049", "0.08"), ("4189", "251.28"),
     ("5189", "271.28"), ("0", "0.00")],
)
def test_national_insurance_bands(gross, ni):
    assert calc.national_insurance(Decimal(gross)) == Decimal(ni)


def test_employer_ni_and_student_loans():
    assert calc.employer_ni(Decimal("758")) == Decimal("0.00")
    assert calc.employer_ni(Decimal("1758")) == Decimal("138.00")
    assert calc.student_loan(Decimal("2082.50"), "plan1") == Decimal("0.00")
    assert calc.student_loan(Decimal("2200"), "plan1") == Decimal("10.00")
    assert calc.student_loan(Decimal("2000"), "postgrad") == Decimal("15.00")
    with pytest.raises(ValueError):
        calc.student_loan(Decimal("3000"), "plan9")


def test_find_employee_missing_raises_keyerror():
    with pytest.raises(KeyError):
        calc.find_employee([], "E1")


def test_make_payslip_unknown_contract():
    with pytest.raises(ValueError):
        calc.make_payslip(hourly(contract="zero-hours"), [], 2024, 3)


def test_salaried_leaver_and_unpaid():
    emp = salaried(salary="39000", end="2024-03-08")
    entries = [("S1", "2024-03-04", "7.5", "unpaid"), ("S1", "2024-03-05", "9", "work")]
    slip = calc.make_payslip(emp, entries, 2024, 3)
    # 6 of 20 working days of 3250.00 = 975.00; unpaid 7.5h at 20/h = 150.00
    assert slip["gross"] == Decimal("825.00")
    assert slip["unpaid_hours"] == Decimal("7.5")
    assert slip["normal_hours"] == Decimal("9")


def test_salaried_gross_never_negative():
    emp = salaried(salary="19500")
    entries = [("S1", f"2024-03-{d:02d}", "24", "unpaid") for d in range(1, 20)]
    gross, lines = calc.salaried_gross(emp, entries, 2024, 3)
    assert gross == Decimal("0.00")
    assert len(lines) == 20


def test_working_days():
    assert calc.working_days(date(2024, 12, 1), date(2024, 12, 31)) == 20
    assert calc.working_days(date(2024, 3, 10), date(2024, 3, 9)) == 0


def test_payslip_net_identity_and_employer_costs():
    emp = hourly(pension_pct="5", student_loan="plan2", tax_code="1257L",
                 rates=[("2020-01-01", "30.00")])
    entries = [("E1", f"2024-05-{d:02d}", "10", "work") for d in range(1, 32)]
    slip = calc.make_payslip(emp, entries, 2024, 5)
    assert slip["net"] == (slip["gross"] - slip["pension"] - slip["tax"] - slip["ni"]
                           - slip["student_loan"])
    assert slip["employer_pension"] == q(slip["gross"] * Decimal("0.03"))
    assert slip["employer_ni"] == q((slip["gross"] - 758) * Decimal("0.138"))
    assert slip["gross"] == ref_hourly_gross(emp, entries)


# ---------------------------------------------------------------- run_wages


def test_run_wages_empty_inputs():
    assert calc.run_wages([], [], 2024, 3) == []
    slips = calc.run_wages([hourly(), salaried()], [], 2024, 3)
    assert [s["employee_id"] for s in slips] == ["E1", "S1"]
    assert slips[0]["gross"] == Decimal("0.00") and slips[0]["net"] == Decimal("0.00")


def test_run_wages_ignores_unknown_outside_month_but_validates_all():
    emp = hourly()
    entries = [("E1", "2024-03-04", "8", "work"), ("ZZ", "2024-04-01", "8", "work")]
    assert len(calc.run_wages([emp], entries, 2024, 3)) == 1
    with pytest.raises(ValueError):
        calc.run_wages([emp], entries + [("E1", "2024-04-01", "8", "nap")], 2024, 3)


def test_run_wages_leavers_and_starters():
    employees = [
        hourly("A", end="2024-02-29"),
        hourly("B", end="2024-03-01"),
        hourly("C", start="2024-03-31"),
        hourly("D", start="2024-04-01"),
    ]
    slips = calc.run_wages(employees, [], 2024, 3)
    assert [s["employee_id"] for s in slips] == ["B", "C"]


def test_run_wages_does_not_mutate_inputs():
    rng = random.Random(11)
    employees = random_employees(rng, 8)
    entries = random_month(rng, employees, 2024, 6)
    emp_copy = copy.deepcopy(employees)
    ent_copy = list(entries)
    calc.run_wages(employees, entries, 2024, 6)
    assert employees == emp_copy
    assert entries == ent_copy


def test_run_wages_randomized_against_reference():
    rng = random.Random(2024)
    employees = random_employees(rng, 25)
    for month in (1, 3, 12):
        entries = random_month(rng, employees, 2024, month)
        slips = calc.run_wages(employees, entries, 2024, month)
        assert [s["employee_id"] for s in slips] == sorted(e["id"] for e in employees)
        for slip in slips:
            emp = calc.find_employee(employees, slip["employee_id"])
            own = sorted(
                (e for e in entries if e[0] == emp["id"] and e[1].startswith(f"2024-{month:02d}")),
                key=lambda e: e[1],
            )
            work = ref_classify(own)
            assert slip["normal_hours"] == sum((r[1] for r in work), Decimal(0))
            assert slip["overtime_hours"] == sum((r[2] for r in work), Decimal(0))
            if emp["contract"] == "hourly":
                assert slip["gross"] == ref_hourly_gross(emp, own)
            taxable = slip["gross"] - slip["pension"]
            assert slip["tax"] == ref_tax(taxable, 12570)


# ---------------------------------------------------------------- reports


def _year_of_slips(seed=5, n=10, months=(1, 2, 3, 4)):
    rng = random.Random(seed)
    employees = random_employees(rng, n)
    slips = []
    for m in months:
        slips.extend(calc.run_wages(employees, random_month(rng, employees, 2024, m), 2024, m))
    return employees, slips


def test_with_ytd_matches_reference_in_any_order():
    _emps, slips = _year_of_slips()
    rng = random.Random(3)
    rng.shuffle(slips)
    snapshot = copy.deepcopy(slips)
    out = reports.with_ytd(slips)
    assert [s["ytd"] for s in out] == ref_ytd(slips)
    assert [s["employee_id"] for s in out] == [s["employee_id"] for s in slips]
    assert slips == snapshot
    assert all(o is not s for o, s in zip(out, slips))


def test_with_ytd_resets_each_year_and_empty():
    emp = hourly()
    slips = calc.run_wages([emp], [("E1", "2024-12-02", "8", "work")], 2024, 12)
    slips += calc.run_wages([emp], [("E1", "2025-01-06", "8", "work")], 2025, 1)
    out = reports.with_ytd(slips)
    assert out[1]["ytd"]["gross"] == Decimal("160.00")
    assert reports.with_ytd([]) == []


def test_ytd_totals_direct():
    _emps, slips = _year_of_slips(seed=9, n=4)
    emp_id = slips[0]["employee_id"]
    totals = reports.ytd_totals(slips, emp_id, "2024-02")
    expected = sum(s["net"] for s in slips if s["employee_id"] == emp_id
                   and s["period"] <= "2024-02")
    assert totals["net"] == expected
    assert reports.ytd_totals(slips, "nobody", "2024-12")["gross"] == Decimal("0.00")


def ref_departments(slips, employees, period=None):
    by_id = {e["id"]: e for e in employees}
    acc = {}
    for s in slips:
        if period is not None and s["period"] != period:
            continue
        d = by_id[s["employee_id"]]["department"]
        a = acc.setdefault(d, [set(), Decimal("0.00"), Decimal("0.00"), Decimal("0.00")])
        a[0].add(s["employee_id"])
        a[1] += s["gross"]
        a[2] += s["employer_ni"]
        a[3] += s["employer_pension"]
    rows = [(d, len(a[0]), a[1], a[2], a[3], a[1] + a[2] + a[3]) for d, a in acc.items()]
    return sorted(rows, key=lambda r: (-r[5], r[0]))


def test_department_costs_against_reference_and_period_filter():
    employees, slips = _year_of_slips(seed=21, n=20)
    assert reports.department_costs(slips, employees) == ref_departments(slips, employees)
    got = reports.department_costs(slips, employees, period="2024-02")
    assert got == ref_departments(slips, employees, "2024-02")
    assert reports.department_costs(slips, employees, period="2030-01") == []
    assert reports.department_costs([], employees) == []


def test_department_costs_uses_employee_record_and_ties_by_name():
    employees = [hourly("E1", "Zeta"), hourly("E2", "Alpha")]
    entries = [("E1", "2024-03-04", "8", "work"), ("E2", "2024-03-04", "8", "work")]
    slips = calc.run_wages(employees, entries, 2024, 3)
    slips[0] = dict(slips[0], department="Wrong")
    rows = reports.department_costs(slips, employees)
    assert [r[0] for r in rows] == ["Alpha", "Zeta"]


def test_department_costs_unknown_employee():
    _emps, slips = _year_of_slips(seed=1, n=3, months=(1,))
    with pytest.raises(KeyError):
        reports.department_costs(slips, [])


def test_format_department_report_empty():
    text = reports.format_department_report([], "T")
    lines = text.splitlines()
    assert lines[0] == "T"
    assert lines[-1].startswith("TOTAL") and lines[-1].endswith("0.00")
    assert len(lines) == 3


def test_format_payslip_exact_lines():
    emp = hourly(rates=[("2020-01-01", "12.50")])
    slip = calc.make_payslip(emp, [("E1", "2024-03-10", "4", "work")], 2024, 3)
    text = reports.format_payslip(slip)
    lines = text.splitlines()
    assert lines[0] == "PAYSLIP 2024-03"
    assert lines[1] == "E1  Ann E1  (Sales)"
    assert lines[3] == f"{'work 2024-03-10':<24}{'4.00h':>8} {'@ 18.75':>9} {'75.00':>9}"
    assert lines[-1] == f"{'Net':<24}{'75.00':>28}"
    ytd_text = reports.format_payslip(reports.with_ytd([slip])[0])
    assert ytd_text.splitlines()[-1].endswith("YTD        75.00")


def test_fmt_money_and_top_earners_ties():
    assert reports.fmt_money(Decimal("-1234567.891")) == "-1,234,567.89"
    slips = [
        {"employee_id": "B", "gross": Decimal("10")},
        {"employee_id": "A", "gross": Decimal("4")},
        {"employee_id": "A", "gross": Decimal("6")},
        {"employee_id": "C", "gross": Decimal("3")},
    ]
    assert reports.top_earners(slips, 2) == [("A", Decimal("10")), ("B", Decimal("10"))]
    assert reports.top_earners([], 3) == []


def test_wages_register_order_and_empty():
    _emps, slips = _year_of_slips(seed=4, n=3, months=(2,))
    text = reports.wages_register(list(reversed(slips)))
    rows = text.splitlines()[1:]
    assert [r.split(",")[0] for r in rows] == [s["employee_id"] for s in reversed(slips)]
    header = "employee_id,period,gross,tax,ni,pension,student_loan,net\n"
    assert reports.wages_register([]) == header
