"""Prices in decimal, American and fractional notation; implied probabilities and margins."""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import total_ordering


class PriceError(ValueError):
    """A price that cannot be read, or that is not a valid price."""


_AMERICAN_RE = re.compile(r"[+-]\d+")
_FRACTIONAL_RE = re.compile(r"(\d+)\s*/\s*(\d+)")
_DECIMAL_RE = re.compile(r"\d+(?:\.\d+)?")
_EVENS = frozenset({"ev", "evs", "evens"})
_TWO_PLACES = Decimal("0.01")
EXACT_TYPES = (int, str, Fraction, Decimal)


@total_ordering
class Price:
    """A bookmaker's price, held as exact decimal odds (the stake is included)."""

    __slots__ = ("_decimal",)

    def __init__(self, decimal):
        if isinstance(decimal, (bool, float)) or not isinstance(decimal, EXACT_TYPES):
            raise TypeError(f"decimal odds must be exact, not {type(decimal).__name__}")
        try:
            value = Fraction(decimal)
        except (ValueError, ArithmeticError) as exc:
            raise PriceError(f"not a decimal price: {decimal!r}") from exc
        if value <= 1:
            raise PriceError(f"decimal odds must be greater than 1, got {decimal!r}")
        self._decimal = value

    @classmethod
    def from_american(cls, value: int) -> Price:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError("American odds must be an int")
        if value >= 100:
            return cls(1 + Fraction(value, 100))
        if value <= -100:
            return cls(1 + Fraction(100, -value))
        raise PriceError(f"American odds must be at least +100 or at most -100, got {value}")

    @classmethod
    def from_fractional(cls, numerator: int, denominator: int = 1) -> Price:
        if not all(type(part) is int for part in (numerator, denominator)):
            raise TypeError("fractional odds need int numerator and denominator")
        if numerator <= 0 or denominator <= 0:
            raise PriceError(f"fractional odds must be positive, got {numerator}/{denominator}")
        return cls(1 + Fraction(numerator, denominator))

    @property
    def decimal(self) -> Fraction:
        return self._decimal

    @property
    def fractional(self) -> Fraction:
        return self._decimal - 1

    @property
    def american(self) -> int:
        if self._decimal >= 2:
            return math.floor((self._decimal - 1) * 100 + Fraction(1, 2))
        return -math.floor(100 / (self._decimal - 1) + Fraction(1, 2))

    def implied(self) -> Fraction:
        """The probability the price implies, margin included."""
        return 1 / self._decimal

    def __eq__(self, other):
        if isinstance(other, Price):
            return self._decimal == other._decimal
        return NotImplemented

    def __lt__(self, other):
        if isinstance(other, Price):
            return self._decimal < other._decimal
        return NotImplemented

    def __hash__(self):
        return hash(self._decimal)

    def __repr__(self):
        return f"Price({str(self._decimal)!r})"


def parse_price(text: str) -> Price:
    """Read a price written as decimal ("2.50"), American ("+150") or fractional ("6/4")."""
    if not isinstance(text, str):
        raise TypeError(f"price text must be str, not {type(text).__name__}")
    cleaned = text.strip().lower()
    if not cleaned:
        raise PriceError("empty price")
    if cleaned in _EVENS:
        return Price(2)
    if _AMERICAN_RE.fullmatch(cleaned):
        return Price.from_american(int(cleaned))
    match = _FRACTIONAL_RE.fullmatch(cleaned)
    if match:
        return Price.from_fractional(int(match.group(1)), int(match.group(2)))
    if _DECIMAL_RE.fullmatch(cleaned):
        return Price(cleaned)
    raise PriceError(f"unrecognised price {text!r}")


def format_price(price: Price, style: str = "decimal") -> str:
    if not isinstance(price, Price):
        raise TypeError("format_price needs a Price")
    if style == "decimal":
        value = Decimal(price.decimal.numerator) / Decimal(price.decimal.denominator)
        return str(value.quantize(_TWO_PLACES, rounding=ROUND_HALF_UP))
    if style == "american":
        return f"{price.american:+d}"
    if style == "fractional":
        frac = price.fractional
        return "evs" if frac == 1 else f"{frac.numerator}/{frac.denominator}"
    raise ValueError(f"unknown price style {style!r}")


def overround(prices) -> Fraction:
    """The bookmaker's margin over a complete market: sum of implied probabilities minus one."""
    implied = [price.implied() for price in prices]
    if not implied:
        raise ValueError("overround of an empty market")
    return sum(implied) - 1


def remove_margin(prices, method: str = "proportional") -> list:
    """Fair probabilities for a complete market with the margin taken out: "proportional"
    scales the implied probabilities exactly; "power" finds k with sum(p ** k) == 1 (floats)."""
    prices = list(prices)
    if len(prices) < 2:
        raise ValueError("a margin can only be removed from two or more prices")
    if not all(isinstance(price, Price) for price in prices):
        raise TypeError("remove_margin needs Price objects")
    if method == "proportional":
        implied = [price.implied() for price in prices]
        total = sum(implied)
        return [p / total for p in implied]
    if method == "power":
        return _power_fair(prices)
    raise ValueError(f"unknown margin method {method!r}")


def _power_fair(prices, tolerance=1e-12, max_rounds=200):
    low, high = 0.0, 50.0
    k = 1.0
    for _ in range(max_rounds):
        k = (low + high) / 2
        total = sum(float(price.implied()) ** k for price in prices)
        if abs(total - 1.0) <= tolerance:
            break
        if total > 1.0:
            low = k
        else:
            high = k
    return [float(price.implied()) ** k for price in prices]
