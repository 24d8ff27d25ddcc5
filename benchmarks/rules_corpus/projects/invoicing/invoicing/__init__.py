"""Invoices for a wholesaler: price lists, tax rules and printed statements."""

from invoicing.statement import Line, Statement, TaxTable

__all__ = ["Line", "Statement", "TaxTable"]
