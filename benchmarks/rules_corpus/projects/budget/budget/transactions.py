"""Reading bank exports: CSV text to transaction rows, amounts, dates and payee names."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

# A transaction row is a list of strings: date (ISO), payee, amount (two decimals), account, memo.
DATE, PAYEE, AMOUNT, ACCOUNT, MEMO = range(5)
HEADER = ["date", "payee", "amount", "account", "memo"]

PAYEE_PREFIXES = (
    "POS PURCHASE ",
    "POS ",
    "DEBIT CARD PURCHASE ",
    "CHECKCARD ",
    "ACH DEBIT ",
    "ACH CREDIT ",
    "SQ *",
    "TST* ",
    "PAYPAL *",
)


def parse_amount(text: str) -> float:
    s = text.strip()
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative = True
        s = s[1:-1].strip()
    if s.startswith("-"):
        negative = not negative
        s = s[1:].strip()
    s = s.replace("$", "").replace(",", "")
    if not re.fullmatch(r"\d+(\.\d{1,2})?", s):
        raise ValueError(f"bad amount: {text!r}")
    value = float(s)
    if negative:
        value = -value
    return round(value, 2)


def format_money(value: float) -> str:
    value = round(value, 2)
    if value == 0:
        value = 0.0
    return f"{value:.2f}"


def parse_date(text: str) -> str:
    s = text.strip()
    for fmt in ("%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(s, fmt).date().isoformat()
        except ValueError:
            continue
    raise ValueError(f"bad date: {text!r}")


def normalize_payee(raw: str) -> str:
    name = raw.strip().upper()
    for prefix in PAYEE_PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix) :]
    name = re.sub(r"#\s*\d+", " ", name)
    name = re.sub(r"\b\d{4,}\b", " ", name)
    name = re.sub(r"[^A-Z0-9&' ]+", " ", name)
    name = re.sub(r"\s+", " ", name).strip()
    return " ".join(word.capitalize() for word in name.split(" ") if word)


def parse_transactions(text: str, account: str = "checking") -> list[list[str]]:
    """Parse a bank export. The header names the columns; account and memo are optional."""
    reader = csv.reader(io.StringIO(text))
    header = None
    rows = []
    for line_no, record in enumerate(reader, 1):
        if not record or all(not field.strip() for field in record):
            continue
        if header is None:
            header = [field.strip().lower() for field in record]
            if "payee" not in header and "description" in header:
                header[header.index("description")] = "payee"
            for needed in ("date", "payee", "amount"):
                if needed not in header:
                    raise ValueError(f"missing column: {needed}")
            continue
        if len(record) < len(header):
            raise ValueError(f"line {line_no}: expected {len(header)} fields, got {len(record)}")
        date = parse_date(record[header.index("date")])
        payee = record[header.index("payee")].strip()
        amount = parse_amount(record[header.index("amount")])
        acct = account
        if "account" in header and record[header.index("account")].strip():
            acct = record[header.index("account")].strip()
        memo = ""
        if "memo" in header:
            memo = record[header.index("memo")].strip()
        rows.append([date, payee, format_money(amount), acct, memo])
    return rows


def to_csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow(row[:5])
    return out.getvalue()


def merge_transactions(existing: list[list[str]], incoming: list[list[str]]) -> list[list[str]]:
    """Existing rows plus the incoming rows that are not already there.

    An incoming row duplicates an existing one with the same date, amount, account and
    normalized payee; each existing row absorbs at most one incoming row.
    """
    merged = [list(row) for row in existing]
    used = [False] * len(existing)
    for row in incoming:
        found = False
        for i, old in enumerate(existing):
            if used[i]:
                continue
            if (
                old[DATE] == row[DATE]
                and old[AMOUNT] == row[AMOUNT]
                and old[ACCOUNT] == row[ACCOUNT]
                and normalize_payee(old[PAYEE]) == normalize_payee(row[PAYEE])
            ):
                used[i] = True
                found = True
                break
        if not found:
            merged.append(list(row))
    return merged
