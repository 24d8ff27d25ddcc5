"""Dated tariffs with tiered unit prices and a daily standing charge."""

from collections import namedtuple
from datetime import timedelta
from decimal import Decimal

from .meters import SERVICES, parse_day
from .money import round_units, to_decimal

BAND_DAYS = 30  # tier limits are quoted per 30 days and scaled to the days billed
ONE_DAY = timedelta(days=1)

Tier = namedtuple("Tier", "upto price")  # upto: units per 30 days, None for the top tier
Tariff = namedtuple("Tariff", "code service effective standing tiers")
Segment = namedtuple("Segment", "start end tariff")  # [start, end) under one tariff


def parse_tariff(line):
    """'E-STD electric 2024-01-01 standing=0.4512 100@0.2412 300@0.2701 *@0.3105'."""
    parts = line.split()
    if len(parts) < 5:
        raise ValueError(f"bad tariff line: {line!r}")
    code, service, effective, standing = parts[:4]
    if not standing.startswith("standing="):
        raise ValueError(f"missing standing charge: {line!r}")
    tiers = []
    for item in parts[4:]:
        limit, sep, price = item.partition("@")
        if not sep:
            raise ValueError(f"bad tier {item!r}")
        upto = None if limit == "*" else int(limit)
        tiers.append(Tier(upto, to_decimal(price)))
    return Tariff(code.upper(), service.lower(), parse_day(effective),
                  to_decimal(standing[len("standing="):]), tuple(tiers))


def parse_tariffs(text):
    tariffs = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            tariffs.append(parse_tariff(line))
    return tariffs


def check_tariff(tariff):
    if not isinstance(tariff, Tariff):
        raise TypeError("expected a Tariff")
    if tariff.service not in SERVICES:
        raise ValueError(f"unknown service {tariff.service!r}")
    if tariff.standing < 0:
        raise ValueError("negative standing charge")
    if not tariff.tiers:
        raise ValueError("a tariff needs at least one tier")
    if tariff.tiers[-1].upto is not None:
        raise ValueError("the top tier must be open-ended")
    previous = 0
    for tier in tariff.tiers[:-1]:
        if tier.upto is None or tier.upto <= previous:
            raise ValueError("tier limits must be positive and increasing")
        previous = tier.upto
    if any(tier.price < 0 for tier in tariff.tiers):
        raise ValueError("negative unit price")


def band_usage(tariff, units, days):
    """Split `units` used over `days` into (units, unit price) pairs, cheapest tier first."""
    if units < 0:
        raise ValueError("negative consumption")
    if days <= 0:
        raise ValueError("days must be positive")
    remaining = units
    lower = Decimal(0)
    bands = []
    for tier in tariff.tiers:
        if remaining <= 0:
            break
        if tier.upto is None:
            band = remaining
        else:
            limit = round_units(Decimal(tier.upto) * days / BAND_DAYS)
            band = min(remaining, limit - lower)
            lower = limit
        if band > 0:
            bands.append((band, tier.price))
            remaining -= band
    return bands


class TariffBook:
    """Every version of every tariff; a version applies from its effective date on."""

    def __init__(self, tariffs=()):
        self.tariffs = []
        for tariff in tariffs:
            self.add(tariff)

    def add(self, tariff):
        check_tariff(tariff)
        for other in self.tariffs:
            if other.code == tariff.code and other.effective == tariff.effective:
                raise ValueError(f"{tariff.code} already has a version from {tariff.effective}")
            if other.code == tariff.code and other.service != tariff.service:
                raise ValueError(f"{tariff.code} is a {other.service} tariff")
        self.tariffs.append(tariff)

    def codes(self):
        return sorted({t.code for t in self.tariffs})

    def history(self, code):
        return sorted([t for t in self.tariffs if t.code == code], key=lambda t: t.effective)

    def tariff_on(self, code, day):
        current = None
        for tariff in self.history(code):
            if tariff.effective <= day:
                current = tariff
            else:
                break
        if current is None:
            raise LookupError(f"no {code} tariff in force on {day}")
        return current

    def segments(self, code, start, end):
        """Split [start, end) into the stretches billed under one tariff version each."""
        if end <= start:
            raise ValueError("period must end after it starts")
        segments = []
        seg_start = start
        current = self.tariff_on(code, start)
        day = start + ONE_DAY
        while day < end:
            tariff = self.tariff_on(code, day)
            if tariff != current:
                segments.append(Segment(seg_start, day, current))
                seg_start = day
                current = tariff
            day += ONE_DAY
        segments.append(Segment(seg_start, end, current))
        return segments

    def changes_between(self, code, start, end):
        """Tariff versions of `code` that start inside [start, end)."""
        return [t for t in self.history(code) if start <= t.effective < end]
