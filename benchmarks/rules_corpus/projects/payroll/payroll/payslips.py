"""Payslips and the department summary for accounting."""

from __future__ import annotations


def money(value):
    return f"{float(value):,.2f}".replace(",", "X").replace(".", ",").replace("X", ".") + " EUR"


def payslip(result):
    lines = [
        f"Payslip {result['emp_id']} - {result['name']} ({result['department']})",
        f"  hours worked      {float(result['hours']):>10.2f}",
        f"  of which overtime {float(result['overtime']):>10.2f}",
        f"  gross             {money(result['gross']):>16}",
        f"  income tax        {money(-result['tax']):>16}",
        f"  social security   {money(-result['social']):>16}",
        f"  net               {money(result['net']):>16}",
    ]
    return "\n".join(lines)


def department_summary(results):
    departments = []
    for result in results:
        if result["department"] not in departments:
            departments.append(result["department"])
    lines = []
    for department in sorted(departments):
        gross = 0.0
        net = 0.0
        heads = 0
        for result in results:
            if result["department"] == department:
                gross += result["gross"]
                net += result["net"]
                heads += 1
        lines.append(f"{department:<12} {heads:>4} staff  gross {money(gross)}  net {money(net)}")
    return lines
