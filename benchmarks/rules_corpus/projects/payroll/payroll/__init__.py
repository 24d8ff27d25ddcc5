"""Monthly payroll: timesheets, overtime, taxes and payslips."""

from payroll.calc import gross_pay, net_pay, run_payroll
from payroll.models import Employee, TimeEntry
from payroll.timesheets import parse_timesheet

__all__ = ["Employee", "TimeEntry", "gross_pay", "net_pay", "parse_timesheet", "run_payroll"]
