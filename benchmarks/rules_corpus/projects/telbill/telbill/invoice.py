"""Invoice lines, monthly statements per account, usage summaries and a small ledger."""

import calendar
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from .tables import COUNTRY_NAMES, PLANS, TAX_RATES

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_money(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(value, currency="EUR"):
    amount = to_money(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}{currency} {abs(amount):,.2f}"


def format_duration(seconds):
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def invoice_lines(calls, plan):
    """Invoice lines for one account's calls of one month.

    The monthly fee comes first, then one line per (kind, country, peak/off-peak) group
    in that order of keys. Each line is ``(description, count, seconds, amount)``.
    """
    lines = [(f"Monthly fee - {plan['name']}", 1, 0, to_money(plan["monthly_fee"]))]
    groups = {}
    for call in calls:
        key = (call["kind"], call["country"], call["peak"] and call["kind"] == "voice")
        count, seconds, amount = groups.get(key, (0, 0, Decimal("0")))
        groups[key] = (count + 1, seconds + call["billed_seconds"], amount + call["charge"])
    for kind, country, peak in sorted(groups):
        count, seconds, amount = groups[kind, country, peak]
        if kind == "sms":
            description = f"SMS to {country}"
        else:
            description = f"Calls to {country} ({'peak' if peak else 'off-peak'})"
        lines.append((description, count, seconds, to_money(amount)))
    return lines


def build_statement(account, calls, month, plans=None):
    if plans is None:
        plans = PLANS
    plan = plans[account["plan"]]
    if account["region"] not in TAX_RATES:
        raise KeyError(f"no tax rate for region {account['region']!r}")
    lines = invoice_lines(calls, plan)
    subtotal = sum((line[3] for line in lines), ZERO)
    tax = to_money(subtotal * TAX_RATES[account["region"]])
    return {
        "account": account["id"],
        "name": account["name"],
        "month": month,
        "plan": account["plan"],
        "lines": lines,
        "calls": len(calls),
        "free_seconds": sum(call["free_seconds"] for call in calls),
        "subtotal": subtotal,
        "tax": tax,
        "total": subtotal + tax,
    }


def build_statements(rated, accounts, month, plans=None):
    """One statement per account for ``month`` ('YYYY-MM'), sorted by account id.

    Accounts without calls still get a statement (the monthly fee); rated calls of
    accounts that are not in ``accounts`` are ignored.
    """
    statements = []
    for account in sorted(accounts, key=lambda acc: acc["id"]):
        calls = [call for call in rated
                 if call["account"] == account["id"] and call["month"] == month]
        statements.append(build_statement(account, calls, month, plans))
    return statements


def statement_totals(statements):
    """Sum of subtotals, taxes and totals over a list of statements."""
    subtotal = sum((s["subtotal"] for s in statements), ZERO)
    tax = sum((s["tax"] for s in statements), ZERO)
    return {"subtotal": subtotal, "tax": tax, "total": subtotal + tax}


def render_statement(statement, currency="EUR"):
    out = [
        f"Statement {statement['month']} for {statement['name']} ({statement['account']})",
        f"Plan: {statement['plan']}   calls: {statement['calls']}   "
        f"free minutes used: {format_duration(statement['free_seconds'])}",
        "-" * 64,
    ]
    for description, count, seconds, amount in statement["lines"]:
        usage = f"{count:>5} x {format_duration(seconds):>9}" if seconds else f"{count:>5}"
        out.append(f"{description:<34}{usage:<18}{format_money(amount, currency):>12}")
    out.append("-" * 64)
    out.append(f"{'Subtotal':<52}{format_money(statement['subtotal'], currency):>12}")
    out.append(f"{'Tax':<52}{format_money(statement['tax'], currency):>12}")
    out.append(f"{'Total':<52}{format_money(statement['total'], currency):>12}")
    return "\n".join(out)


def country_name(code):
    for iso, name in COUNTRY_NAMES:
        if iso == code:
            return name
    return code


def usage_by_country(rated, month=None):
    """Traffic and revenue per destination country, biggest revenue first.

    Each row is ``(country, name, calls, billed_seconds, revenue, share)`` where share is
    the percentage of the total revenue, to one decimal. Ties on revenue are ordered by
    country code. With ``month`` only that month's calls count.
    """
    rows = []
    for call in rated:
        if month is not None and call["month"] != month:
            continue
        row = None
        for candidate in rows:
            if candidate[0] == call["country"]:
                row = candidate
                break
        if row is None:
            row = [call["country"], country_name(call["country"]), 0, 0, Decimal("0")]
            rows.append(row)
        row[2] += 1
        row[3] += call["billed_seconds"]
        row[4] += call["charge"]
    total = sum((row[4] for row in rows), Decimal("0"))
    result = []
    for country, name, calls, seconds, revenue in rows:
        if total:
            share = (revenue * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        else:
            share = Decimal("0.0")
        revenue = revenue.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        result.append((country, name, calls, seconds, revenue, share))
    result.sort(key=lambda row: (-row[4], row[0]))
    return result


def usage_by_hour(rated, month=None):
    """Number of calls starting in each hour of the day, as a list of 24 counts."""
    counts = [0] * 24
    for call in rated:
        if month is None or call["month"] == month:
            counts[call["start"].hour] += 1
    return counts


def parse_month(month):
    """'YYYY-MM' -> (year, month); raises ValueError for anything else."""
    parts = month.split("-") if isinstance(month, str) else []
    if len(parts) != 2 or len(parts[0]) != 4 or len(parts[1]) != 2:
        raise ValueError(f"month must look like 'YYYY-MM', got {month!r}")
    if not (parts[0].isdigit() and parts[1].isdigit()) or not 1 <= int(parts[1]) <= 12:
        raise ValueError(f"month must look like 'YYYY-MM', got {month!r}")
    return int(parts[0]), int(parts[1])


def daily_usage(rated, month):
    """Calls, billed seconds and revenue for every day of ``month``, quiet days included.

    Each row is ``(iso_date, calls, billed_seconds, revenue)``; a call belongs to the
    day it started on.
    """
    year, mon = parse_month(month)
    first = date(year, mon, 1)
    out = []
    for offset in range(calendar.monthrange(year, mon)[1]):
        day = first + timedelta(days=offset)
        calls = [call for call in rated if call["start"].date() == day]
        seconds = sum(call["billed_seconds"] for call in calls)
        revenue = sum((call["charge"] for call in calls), Decimal("0"))
        out.append((day.isoformat(), len(calls), seconds, to_money(revenue)))
    return out


def peak_share(rated):
    """Fraction of voice seconds billed at peak, as a Decimal percentage."""
    peak = total = 0
    for call in rated:
        if call["kind"] != "voice":
            continue
        total += call["billed_seconds"]
        if call["peak"]:
            peak += call["billed_seconds"]
    if not total:
        return Decimal("0.0")
    return (Decimal(peak) * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def format_usage(rows, limit=10):
    out = [f"{'country':<24}{'calls':>7}{'minutes':>10}{'revenue':>12}{'share':>8}"]
    for country, name, calls, seconds, revenue, share in rows[:limit]:
        label = f"{name} ({country})"
        out.append(f"{label:<24}{calls:>7}{seconds / 60:>10.1f}{revenue:>12}{share:>7}%")
    return "\n".join(out)


class Ledger:
    """Running balance of one account: statements charged, payments received."""

    def __init__(self, account_id, opening=ZERO):
        self.account_id = account_id
        self._entries = []
        self._balance = to_money(opening)

    def charge(self, statement):
        if statement["account"] != self.account_id:
            raise ValueError("statement belongs to another account")
        self._balance += statement["total"]
        self._entries.append((statement["month"], "statement", statement["total"]))

    def pay(self, amount, when):
        amount = to_money(amount)
        if amount <= 0:
            raise ValueError("a payment must be positive")
        self._balance -= amount
        self._entries.append((when, "payment", -amount))

    @property
    def balance(self):
        return self._balance

    def entries(self):
        return list(self._entries)

    def __repr__(self):
        return f"Ledger({self.account_id!r}, balance={self._balance})"
