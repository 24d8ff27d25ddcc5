"""Small-company wages: timesheets, overtime, tax and deductions, payslips and reports."""

from . import calc, reports, tables, timesheets
from .calc import make_payslip, run_wages
from .reports import department_costs, format_department_report, format_payslip, with_ytd

__all__ = ["calc", "reports", "tables", "timesheets", "make_payslip", "run_wages",
           "department_costs", "format_department_report", "format_payslip", "with_ytd"]
