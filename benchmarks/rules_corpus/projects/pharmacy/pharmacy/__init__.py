"""Community pharmacy dispensing: prescriptions, batch stock, interactions and reports."""

from . import dates, drugs, prescriptions, reports, stock

__all__ = ["dates", "drugs", "prescriptions", "reports", "stock"]
