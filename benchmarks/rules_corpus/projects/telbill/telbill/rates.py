"""Rate decks (destination prefix -> per-minute rates), peak hours and call rounding."""

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .tables import HOLIDAYS, PEAK_HOURS, ROUNDING_MODES


class RateDeckError(ValueError):
    pass


def _parse_rate(text, lineno):
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise RateDeckError(f"line {lineno}: bad rate {text!r}") from None
    if not value.is_finite() or value < 0:
        raise RateDeckError(f"line {lineno}: bad rate {text!r}")
    return value


def parse_rate_deck(lines):
    """Parse 'prefix,country,peak,offpeak' lines into a list of entry tuples.

    Rates are per minute. Blank lines, '#' comments and a 'prefix,...' header are
    skipped. The entries come back sorted by prefix.
    """
    deck = []
    prefixes = set()
    for lineno, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#") or line.lower().startswith("prefix,"):
            continue
        parts = [part.strip() for part in line.split(",")]
        if len(parts) != 4:
            raise RateDeckError(f"line {lineno}: expected 4 fields, got {len(parts)}")
        prefix, country, peak, offpeak = parts
        if not (prefix.isascii() and prefix.isdigit()):
            raise RateDeckError(f"line {lineno}: bad prefix {prefix!r}")
        if len(country) != 2 or not country.isalpha():
            raise RateDeckError(f"line {lineno}: bad country code {country!r}")
        if prefix in prefixes:
            raise RateDeckError(f"line {lineno}: duplicate prefix {prefix}")
        prefixes.add(prefix)
        deck.append((prefix, country.upper(), _parse_rate(peak, lineno),
                     _parse_rate(offpeak, lineno)))
    deck.sort(key=lambda entry: entry[0])
    return deck


def find_rate(deck, number):
    """The deck entry with the longest prefix of ``number``, or None.

    If a hand-built deck holds the same prefix twice, the first one wins.
    """
    best = None
    for entry in deck:
        if number.startswith(entry[0]):
            if best is None or len(entry[0]) > len(best[0]):
                best = entry
    return best


def is_peak(start, region):
    """True when a call starting at ``start`` is billed at the peak rate in ``region``."""
    if region not in PEAK_HOURS:
        raise KeyError(f"unknown region {region!r}")
    if start.strftime("%Y-%m-%d") in HOLIDAYS:
        return False
    if start.weekday() >= 5:
        return False
    first, last = PEAK_HOURS[region]
    return first <= start.hour < last


def billable_seconds(duration, rounding):
    """Seconds charged for a call of ``duration`` seconds under a rounding scheme.

    'second' bills the exact duration, 'minute' rounds up to whole minutes, '60/1'
    bills a minimum of one minute and then per second, '30/6' a minimum of 30
    seconds and then 6-second steps. A zero-length call is never charged.
    """
    if rounding not in ROUNDING_MODES:
        raise ValueError(f"unknown rounding {rounding!r}")
    if duration < 0:
        raise ValueError("negative duration")
    if duration == 0:
        return 0
    if rounding == "second":
        return duration
    if rounding == "minute":
        return math.ceil(duration / 60) * 60
    if rounding == "60/1":
        return max(60, duration)
    if duration <= 30:
        return 30
    return 30 + math.ceil((duration - 30) / 6) * 6


def call_charge(rate_per_minute, seconds):
    """Charge for ``seconds`` at a per-minute rate, to 1/100 of a cent."""
    amount = Decimal(rate_per_minute) * seconds / 60
    return amount.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def rate_table(deck, country):
    """The entries of one destination country as printable rows, longest prefix first."""
    rows = [entry for entry in deck if entry[1] == country.upper()]
    rows.sort(key=lambda entry: (-len(entry[0]), entry[0]))
    return [f"+{prefix:<8} {peak:>8} {offpeak:>8}" for prefix, _, peak, offpeak in rows]
