"""Accounts, meter readings and the ledger that gives a meter value for any day."""

import re
from collections import namedtuple
from datetime import datetime
from decimal import Decimal

from .money import round_units, to_decimal

SERVICES = ("electric", "water")
SOURCES = {"A": "actual", "C": "customer", "E": "estimated"}
UNIT_NAMES = {"electric": "kWh", "water": "m3"}
DEFAULT_DAILY_USE = {"electric": Decimal("8.000"), "water": Decimal("0.350")}

Account = namedtuple("Account", "account_id name service tariff_code opened")
Reading = namedtuple("Reading", "account_id day value source")
# A meter value on a given day and how it was obtained: actual, interpolated or estimated.
Read = namedtuple("Read", "day value kind")

_ACCOUNT_RE = re.compile(r"^([A-Z]{1,4})-?(\d{1,8})$")
_FIELD_SEP = re.compile(r"\s*[|;\t]\s*")


def normalise_account_id(text):
    """'ac 00012' / 'AC00012' / ' AC-00012 ' -> 'AC-00012'."""
    if not isinstance(text, str):
        raise TypeError("account id must be a string")
    cleaned = re.sub(r"\s+", "", text).upper()
    match = _ACCOUNT_RE.match(cleaned)
    if not match:
        raise ValueError(f"bad account id: {text!r}")
    return f"{match.group(1)}-{match.group(2)}"


def parse_day(text):
    """Parse a YYYY-MM-DD date."""
    if not isinstance(text, str):
        raise TypeError("date must be a string")
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise ValueError(f"bad date: {text!r}") from None


def split_fields(line):
    return _FIELD_SEP.split(line.strip())


def parse_readings(text):
    """Parse 'ACCOUNT | YYYY-MM-DD | VALUE [| SOURCE]' lines ('#' starts a comment)."""
    readings = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        fields = split_fields(line)
        if len(fields) not in (3, 4):
            raise ValueError(f"line {number}: expected 3 or 4 fields, got {len(fields)}")
        try:
            account_id = normalise_account_id(fields[0])
            day = parse_day(fields[1])
            value = to_decimal(fields[2])
        except ValueError as exc:
            raise ValueError(f"line {number}: {exc}") from None
        source = fields[3].upper() if len(fields) == 4 else "A"
        if source not in SOURCES:
            raise ValueError(f"line {number}: unknown reading source {fields[3]!r}")
        if value < 0:
            raise ValueError(f"line {number}: negative meter value")
        readings.append(Reading(account_id, day, value, source))
    return readings


def _estimate_forward(history, before, day, default_daily):
    recent = [r for r in history if r.day <= before.day][-4:]
    if len(recent) >= 2:
        days = (recent[-1].day - recent[0].day).days
        daily = (recent[-1].value - recent[0].value) / days
    else:
        daily = default_daily
    return round_units(before.value + daily * (day - before.day).days)


def read_from(history, day, default_daily=Decimal(0)):
    """The meter value on `day` given an account's readings (oldest first)."""
    before = None
    after = None
    for r in history:
        if r.day == day:
            kind = "estimated" if r.source == "E" else "actual"
            return Read(day, r.value, kind)
        if r.day < day:
            before = r
        elif after is None:
            after = r
    if before is None:
        raise LookupError(f"no reading on or before {day}")
    if after is None:
        return Read(day, _estimate_forward(history, before, day, default_daily), "estimated")
    span = (after.day - before.day).days
    value = before.value + (after.value - before.value) * (day - before.day).days / span
    kind = "estimated" if "E" in (before.source, after.source) else "interpolated"
    return Read(day, round_units(value), kind)


class MeterLedger:
    """Accounts and every meter reading taken for them."""

    def __init__(self):
        self.accounts = []
        self.readings = []

    def add_account(self, account):
        if not isinstance(account, Account):
            raise TypeError("expected an Account")
        if account.service not in SERVICES:
            raise ValueError(f"unknown service {account.service!r}")
        if any(a.account_id == account.account_id for a in self.accounts):
            raise ValueError(f"duplicate account {account.account_id}")
        self.accounts.append(account)

    def account(self, account_id):
        for account in self.accounts:
            if account.account_id == account_id:
                return account
        raise KeyError(account_id)

    def account_ids(self):
        return [a.account_id for a in self.accounts]

    def readings_for(self, account_id):
        """The readings of one account, oldest first."""
        return sorted((r for r in self.readings if r.account_id == account_id),
                      key=lambda r: r.day)

    def add_reading(self, reading):
        if not isinstance(reading, Reading):
            raise TypeError("expected a Reading")
        account = self.account(reading.account_id)
        if reading.day < account.opened:
            raise ValueError(f"{reading.account_id}: reading before the account opened")
        history = self.readings_for(reading.account_id)
        if any(r.day == reading.day for r in history):
            raise ValueError(f"{reading.account_id}: already read on {reading.day}")
        earlier = [r for r in history if r.day < reading.day]
        later = [r for r in history if r.day > reading.day]
        if earlier and reading.value < earlier[-1].value:
            raise ValueError(f"{reading.account_id}: meter went backwards on {reading.day}")
        if later and reading.value > later[0].value:
            raise ValueError(f"{reading.account_id}: reading above a later one on {reading.day}")
        self.readings.append(reading)

    def add_readings(self, readings):
        count = 0
        for reading in readings:
            self.add_reading(reading)
            count += 1
        return count

    def read_at(self, account_id, day):
        account = self.account(account_id)
        history = self.readings_for(account_id)
        return read_from(history, day, DEFAULT_DAILY_USE[account.service])

    def consumption(self, account_id, start, end):
        """Units used over [start, end) with the two reads it was worked out from."""
        if end <= start:
            raise ValueError("period must end after it starts")
        account = self.account(account_id)
        history = self.readings_for(account_id)
        daily = DEFAULT_DAILY_USE[account.service]
        first = read_from(history, start, daily)
        last = read_from(history, end, daily)
        return last.value - first.value, first, last

    def daily_average(self, account_id):
        history = self.readings_for(account_id)
        if len(history) < 2 or history[-1].day == history[0].day:
            return None
        days = (history[-1].day - history[0].day).days
        return round_units((history[-1].value - history[0].value) / days)
