"""Sales CSV exports: read with the csv module, clean and convert fields, group, report."""

from csvreport.load import clean_label, parse_money, parse_percent, read_catalog, read_sales
from csvreport.report import enrich, format_table, line_total, summarize, write_csv

__all__ = [
    "clean_label",
    "enrich",
    "format_table",
    "line_total",
    "parse_money",
    "parse_percent",
    "read_catalog",
    "read_sales",
    "summarize",
    "write_csv",
]
