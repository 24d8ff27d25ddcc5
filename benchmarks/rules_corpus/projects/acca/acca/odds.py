"""Odds formats: parsing prices as punters and feeds write them, and converting between
decimal, fractional and American (moneyline) styles."""

import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
EVENS = Decimal("2")

EVENS_WORDS = ("evs", "evens", "even", "ev", "evns")
FAVOURITE_MARKS = ("jf", "cf", "f")

FRACTION_PATTERN = r"(\d+)\s*[/-]\s*(\d+)"
AMERICAN_PATTERN = r"([+-])\s*(\d+(?:\.\d+)?)"
DECIMAL_PATTERN = r"(\d+(?:\.\d*)?|\.\d+)"

# The fractional prices bookmakers actually display, shortest first.
STANDARD_FRACTIONS = (
    "1/10", "1/9", "1/8", "2/15", "1/7", "2/13", "1/6", "2/11", "1/5", "2/9",
    "1/4", "2/7", "3/10", "1/3", "4/11", "2/5", "4/9", "1/2", "8/15", "4/7",
    "8/13", "4/6", "8/11", "4/5", "5/6", "10/11", "1/1", "11/10", "6/5", "5/4",
    "11/8", "6/4", "13/8", "7/4", "15/8", "2/1", "9/4", "5/2", "11/4", "3/1",
    "10/3", "7/2", "4/1", "9/2", "5/1", "11/2", "6/1", "13/2", "7/1", "15/2",
    "8/1", "17/2", "9/1", "10/1", "11/1", "12/1", "14/1", "16/1", "18/1", "20/1",
    "22/1", "25/1", "28/1", "33/1", "40/1", "50/1", "66/1", "80/1", "100/1",
    "125/1", "150/1", "200/1", "250/1", "500/1",
)


class OddsError(ValueError):
    """Raised for a price that cannot be read or is not a valid price."""


def fractional_to_decimal(numerator, denominator):
    """5/2 -> 3.5: the stake comes back on top of the fractional winnings."""
    if not isinstance(numerator, int) or not isinstance(denominator, int):
        raise TypeError("fractional odds need integer parts")
    if numerator <= 0 or denominator <= 0:
        raise OddsError(f"invalid fractional odds {numerator}/{denominator}")
    return ONE + Decimal(numerator) / Decimal(denominator)


def american_to_decimal(moneyline):
    """+150 -> 2.5 and -200 -> 1.5."""
    value = Decimal(moneyline)
    if value >= HUNDRED:
        return ONE + value / HUNDRED
    if value <= -HUNDRED:
        return ONE + HUNDRED / -value
    raise OddsError(f"American odds must be at least +100 or at most -100, got {moneyline}")


def _check_decimal(value):
    if not value.is_finite() or value <= ONE:
        raise OddsError(f"decimal odds must be greater than 1, got {value}")
    return value


def parse_odds(value):
    """Read a price in any of the usual styles and return decimal odds as a Decimal.

    Accepts Decimal/int/float decimal odds and strings such as '5/2', '5-2', '7/4F',
    'evs', '+150', '-200', '3.5' or '2.75'.
    """
    if isinstance(value, bool):
        raise TypeError("odds cannot be a bool")
    if isinstance(value, Decimal):
        return _check_decimal(value)
    if isinstance(value, int):
        return _check_decimal(Decimal(value))
    if isinstance(value, float):
        return _check_decimal(Decimal(repr(value)))
    if not isinstance(value, str):
        raise TypeError(f"cannot read odds from {type(value).__name__}")
    text = value.strip().lower().replace(" ", "").replace("\u2044", "/")
    for mark in FAVOURITE_MARKS:
        stem = text[: -len(mark)]
        if text.endswith(mark) and stem and (stem[-1].isdigit() or stem in EVENS_WORDS):
            text = stem
            break
    if text in EVENS_WORDS:
        return EVENS
    match = re.fullmatch(FRACTION_PATTERN, text)
    if match:
        return fractional_to_decimal(int(match.group(1)), int(match.group(2)))
    match = re.fullmatch(AMERICAN_PATTERN, text)
    if match:
        sign, digits = match.groups()
        return american_to_decimal(Decimal(sign + digits))
    match = re.fullmatch(DECIMAL_PATTERN, text)
    if match:
        return _check_decimal(Decimal(match.group(1)))
    raise OddsError(f"cannot read odds {value!r}")


def _split_fraction(text):
    top, bottom = text.split("/")
    return int(top), int(bottom)


def to_fractional(decimal_odds):
    """Nearest standard fractional price, e.g. 3.5 -> '5/2' and 2.0 -> 'evs'."""
    target = parse_odds(decimal_odds)
    ladder = []
    for text in STANDARD_FRACTIONS:
        ladder.append((text, fractional_to_decimal(*_split_fraction(text))))
    best_text, best_value = ladder[0]
    for text, value in ladder[1:]:
        if abs(value - target) < abs(best_value - target):
            best_text, best_value = text, value
    if best_text == "1/1":
        return "evs"
    return best_text


def exact_fraction(decimal_odds, max_denominator=100):
    """The fractional price as a Fraction, not snapped to the display ladder."""
    value = parse_odds(decimal_odds)
    return Fraction(value - ONE).limit_denominator(max_denominator)


def to_american(decimal_odds):
    """Moneyline as an int: 2.5 -> 150, 1.5 -> -200 (evens is +100)."""
    value = parse_odds(decimal_odds)
    if value >= EVENS:
        return int(((value - ONE) * HUNDRED).quantize(ONE, rounding=ROUND_HALF_UP))
    return -int((HUNDRED / (value - ONE)).quantize(ONE, rounding=ROUND_HALF_UP))


def implied_probability(decimal_odds):
    return ONE / parse_odds(decimal_odds)


def format_odds(decimal_odds, style="fractional"):
    """Display a price in the given style: 'fractional', 'decimal' or 'american'."""
    if style == "fractional":
        return to_fractional(decimal_odds)
    if style == "decimal":
        return str(parse_odds(decimal_odds).quantize(CENT, rounding=ROUND_HALF_UP))
    if style == "american":
        moneyline = to_american(decimal_odds)
        return f"+{moneyline}" if moneyline > 0 else str(moneyline)
    raise ValueError(f"unknown odds style {style!r}")


def overround(prices):
    """Book percentage of a market minus 100%: how much the bookmaker has built in."""
    prices = list(prices)
    if not prices:
        raise ValueError("an empty market has no overround")
    return sum((implied_probability(price) for price in prices), ZERO) - ONE
