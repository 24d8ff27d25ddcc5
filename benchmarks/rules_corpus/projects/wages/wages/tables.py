"""Static wages tables: tax bands, NI, bank holidays, premiums (money kept as strings)."""

from datetime import date

# Annual income tax bands over taxable income (after the allowance): name, lower, upper, rate.
TAX_BANDS = [
    ("basic", "0", "37700", "0.20"),
    ("higher", "37700", "125140", "0.40"),
    ("additional", "125140", None, "0.45"),
]

# Tax codes that are not "<number><letter>": code -> band used for all income (None = no tax).
SPECIAL_TAX_CODES = [("BR", "basic"), ("D0", "higher"), ("D1", "additional"), ("NT", None)]

TAX_CODE_SUFFIXES = ["L", "M", "N", "T"]

# Employee national insurance, monthly thresholds: name, lower, upper, rate.
NI_BANDS = [("main", "1048", "4189", "0.08"), ("upper", "4189", None, "0.02")]

EMPLOYER_NI_THRESHOLD = "758"
EMPLOYER_NI_RATE = "0.138"
EMPLOYER_PENSION_PCT = "3"

# Student loan plans: plan, monthly threshold, rate.
STUDENT_LOAN_PLANS = [
    ("plan1", "2082.50", "0.09"), ("plan2", "2274.58", "0.09"),
    ("plan4", "2616.66", "0.09"), ("postgrad", "1750", "0.06"),
]

BANK_HOLIDAYS = [
    ("2024-01-01", "New Year's Day"), ("2024-03-29", "Good Friday"),
    ("2024-04-01", "Easter Monday"), ("2024-05-06", "Early May bank holiday"),
    ("2024-05-27", "Spring bank holiday"), ("2024-08-26", "Summer bank holiday"),
    ("2024-12-25", "Christmas Day"), ("2024-12-26", "Boxing Day"),
    ("2025-01-01", "New Year's Day"), ("2025-04-18", "Good Friday"),
    ("2025-04-21", "Easter Monday"), ("2025-05-05", "Early May bank holiday"),
    ("2025-05-26", "Spring bank holiday"), ("2025-08-25", "Summer bank holiday"),
    ("2025-12-25", "Christmas Day"), ("2025-12-26", "Boxing Day"),
]

# Weekday (Monday = 0) -> pay multiplier for work on that day.
DAY_PREMIUMS = [(5, "1.25"), (6, "1.5")]

HOLIDAY_MULTIPLIER = "2.0"
OVERTIME_MULTIPLIER = "1.5"
WEEKLY_HOURS_LIMIT = "40"
SICK_PAY_FRACTION = "0.8"
SALARIED_HOURS_PER_YEAR = "1950"

ENTRY_KINDS = ("work", "leave", "sick", "unpaid")
CONTRACT_TYPES = ("hourly", "salaried")


def holiday_name(day):
    """Name of the bank holiday on `day` (a date or ISO string), or None."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    for iso, name in BANK_HOLIDAYS:
        if date.fromisoformat(iso) == day:
            return name
    return None


def is_holiday(day):
    return holiday_name(day) is not None


def day_multiplier(day):
    """Pay multiplier for work done on `day`: bank holiday, weekend premium or 1."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    if is_holiday(day):
        return HOLIDAY_MULTIPLIER
    for weekday, mult in DAY_PREMIUMS:
        if weekday == day.weekday():
            return mult
    return "1"


def tax_code_allowance(code):
    """Annual tax-free allowance for a tax code like '1257L' (as an int of pounds).

    Special codes (BR, D0, D1, NT) have no allowance and return 0.
    Raises ValueError for codes that cannot be read.
    """
    code = code.strip().upper()
    for special, _band in SPECIAL_TAX_CODES:
        if code == special:
            return 0
    for suffix in TAX_CODE_SUFFIXES:
        if code.endswith(suffix):
            digits = code[: -len(suffix)]
            if digits.isdigit():
                return int(digits) * 10
    raise ValueError(f"unreadable tax code: {code!r}")


def special_tax_band(code):
    """(True, band) for special codes, (False, None) for ordinary allowance codes."""
    code = code.strip().upper()
    for special, band in SPECIAL_TAX_CODES:
        if code == special:
            return True, band
    return False, None
