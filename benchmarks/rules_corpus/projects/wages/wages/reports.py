"""Year-to-date totals, payslip text and department cost reports."""

from decimal import Decimal

from .calc import find_employee

YTD_FIELDS = ["gross", "pension", "tax", "ni", "student_loan", "net"]


def fmt_money(amount):
    return f"{Decimal(amount):,.2f}"


def ytd_totals(payslips, emp_id, period):
    """Totals of YTD_FIELDS over an employee's payslips up to and including `period`.

    Only payslips in the same calendar year as `period` count.
    """
    year = period[:4]
    totals = {}
    for field in YTD_FIELDS:
        totals[field] = Decimal("0.00")
    for slip in payslips:
        if slip["employee_id"] != emp_id:
            continue
        if slip["period"][:4] != year or slip["period"] > period:
            continue
        for field in YTD_FIELDS:
            totals[field] += slip[field]
    return totals


def with_ytd(payslips):
    """New payslip dicts with a ``ytd`` key added; the input dicts are left unchanged."""
    result = []
    for slip in payslips:
        copy = dict(slip)
        copy["ytd"] = ytd_totals(payslips, slip["employee_id"], slip["period"])
        result.append(copy)
    return result


def format_payslip(slip):
    out = ""
    out += "PAYSLIP " + slip["period"] + "\n"
    out += f"{slip['employee_id']}  {slip['name']}  ({slip['department']})\n"
    out += "-" * 52 + "\n"
    for label, hours, rate, amount in slip["lines"]:
        hours_txt = "" if hours is None else f"{hours:.2f}h"
        rate_txt = "" if rate is None else "@ " + fmt_money(rate)
        out += f"{label:<24}{hours_txt:>8} {rate_txt:>9} {fmt_money(amount):>9}\n"
    out += "-" * 52 + "\n"
    for field in ["gross", "pension", "tax", "ni", "student_loan", "net"]:
        line = f"{field.replace('_', ' ').title():<24}{fmt_money(slip[field]):>28}"
        if "ytd" in slip:
            line += f"   YTD {fmt_money(slip['ytd'][field]):>12}"
        out += line + "\n"
    return out


def department_costs(payslips, employees, period=None):
    """Employer cost per department: rows of
    (department, headcount, gross, employer_ni, employer_pension, total_cost).

    Departments come from the employee records.  If `period` is given only payslips of that
    period count.  Rows are sorted by total cost (largest first), then department name.
    """
    departments = []
    for slip in payslips:
        dept = find_employee(employees, slip["employee_id"])["department"]
        if dept not in departments:
            departments.append(dept)
    rows = []
    for dept in departments:
        people = []
        gross = Decimal("0.00")
        ni = Decimal("0.00")
        pension = Decimal("0.00")
        for slip in payslips:
            if period is not None and slip["period"] != period:
                continue
            if find_employee(employees, slip["employee_id"])["department"] != dept:
                continue
            if slip["employee_id"] not in people:
                people.append(slip["employee_id"])
            gross += slip["gross"]
            ni += slip["employer_ni"]
            pension += slip["employer_pension"]
        if not people:
            continue
        rows.append((dept, len(people), gross, ni, pension, gross + ni + pension))
    rows.sort(key=lambda r: (-r[5], r[0]))
    return rows


def format_department_report(rows, title="Department costs"):
    out = title + "\n"
    out += f"{'Department':<14}{'Staff':>6}{'Gross':>14}{'Er NI':>12}{'Er pension':>12}"
    out += f"{'Total':>14}\n"
    grand = Decimal("0.00")
    for dept, count, gross, ni, pension, total in rows:
        out += (
            f"{dept:<14}{count:>6}{fmt_money(gross):>14}{fmt_money(ni):>12}"
            f"{fmt_money(pension):>12}{fmt_money(total):>14}\n"
        )
        grand += total
    out += f"{'TOTAL':<14}{'':>6}{'':>14}{'':>12}{'':>12}{fmt_money(grand):>14}\n"
    return out


def top_earners(payslips, n=5):
    """The n (employee_id, total gross) pairs with the highest gross, ties by id."""
    totals = {}
    for slip in payslips:
        totals[slip["employee_id"]] = totals.get(slip["employee_id"], Decimal("0")) + slip["gross"]
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    return ranked[:n]


def wages_register(payslips):
    """CSV text, one row per payslip, in the given order."""
    fields = ["gross", "tax", "ni", "pension", "student_loan", "net"]
    lines = ["employee_id,period," + ",".join(fields)]
    for slip in payslips:
        values = [slip["employee_id"], slip["period"]] + [str(slip[f]) for f in fields]
        lines.append(",".join(values))
    return "\n".join(lines) + "\n"
