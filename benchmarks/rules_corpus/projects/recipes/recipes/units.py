"""Unit tables and conversions between kitchen units."""

import re
from fractions import Fraction

# canonical unit -> (kind, size of one unit in the base unit of that kind, aliases)
# base units: ml for volume, g for mass; count-like units are their own kind
UNITS = {
    "ml": ("volume", Fraction(1), ["milliliter", "milliliters", "millilitre", "millilitres"]),
    "l": ("volume", Fraction(1000), ["liter", "liters", "litre", "litres", "ltr"]),
    "tsp": ("volume", Fraction(5), ["teaspoon", "teaspoons", "tsps", "tspn"]),
    "tbsp": ("volume", Fraction(15), ["tablespoon", "tablespoons", "tbsps", "tbs", "tbl", "tbls"]),
    "cup": ("volume", Fraction(240), ["cups", "c"]),
    "fl oz": ("volume", Fraction("29.57"), ["fluid ounce", "fluid ounces", "floz", "fl. oz"]),
    "pint": ("volume", Fraction(473), ["pints", "pt", "pts"]),
    "quart": ("volume", Fraction(946), ["quarts", "qt", "qts"]),
    "pinch": ("volume", Fraction(5, 16), ["pinches"]),
    "mg": ("mass", Fraction(1, 1000), ["milligram", "milligrams"]),
    "g": ("mass", Fraction(1), ["gram", "grams", "gr", "grs"]),
    "kg": ("mass", Fraction(1000), ["kilogram", "kilograms", "kilo", "kilos", "kgs"]),
    "oz": ("mass", Fraction("28.35"), ["ounce", "ounces"]),
    "lb": ("mass", Fraction("453.6"), ["lbs", "pound", "pounds"]),
    "each": ("each", Fraction(1), ["whole", "piece", "pieces", "pc", "pcs"]),
    "clove": ("clove", Fraction(1), ["cloves"]),
    "can": ("can", Fraction(1), ["cans", "tin", "tins"]),
    "bunch": ("bunch", Fraction(1), ["bunches"]),
    "slice": ("slice", Fraction(1), ["slices"]),
}

# units used when showing an amount of a given kind, smallest first
DISPLAY_UNITS = {"volume": ["tsp", "tbsp", "cup", "l"], "mass": ["g", "kg"]}

PLURAL_UNITS = {"cup": "cups", "pint": "pints", "quart": "quarts", "pinch": "pinches",
                "clove": "cloves", "can": "cans", "bunch": "bunches", "slice": "slices"}


class UnitError(ValueError):
    """Raised for unknown units or conversions between incompatible kinds."""


def canonical_unit(word):
    """Return the canonical unit for a word such as 'Tbsp.' or 'cups', or None."""
    if word is None:
        return None
    w = word.strip().lower().rstrip(".")
    w = re.sub(r"\s+", " ", w)
    for unit, (_kind, _factor, aliases) in UNITS.items():
        if w == unit or w in aliases:
            return unit
    return None


def to_base(quantity, unit):
    """Convert quantity in unit to (quantity in base unit, kind)."""
    u = canonical_unit(unit) if unit is not None else "each"
    if u is None:
        raise UnitError(f"unknown unit: {unit!r}")
    kind, factor, _aliases = UNITS[u]
    return Fraction(quantity) * factor, kind


def convert(quantity, from_unit, to_unit):
    """Convert a quantity between two units of the same kind."""
    base, kind = to_base(quantity, from_unit)
    target = canonical_unit(to_unit)
    if target is None:
        raise UnitError(f"unknown unit: {to_unit!r}")
    target_kind, factor, _aliases = UNITS[target]
    if target_kind != kind:
        raise UnitError(f"cannot convert {from_unit} to {to_unit}")
    return base / factor


def format_quantity(q):
    """Format a Fraction as a mixed number: '1 1/2', '3/4', '2'."""
    q = Fraction(q)
    if q < 0:
        return "-" + format_quantity(-q)
    whole = q.numerator // q.denominator
    rest = q - whole
    if rest == 0:
        return str(whole)
    if whole == 0:
        return f"{rest.numerator}/{rest.denominator}"
    return f"{whole} {rest.numerator}/{rest.denominator}"


def unit_label(unit, quantity):
    if unit is None:
        return ""
    if unit == "each":
        return "whole"
    if quantity is not None and quantity > 1 and unit in PLURAL_UNITS:
        return PLURAL_UNITS[unit]
    return unit


def best_display(base_quantity, kind):
    """Pick a friendly unit for an amount in base units; returns (quantity, unit).

    The quantity is rounded to the nearest eighth (never below 1/8 for a positive amount).
    Kinds without display units keep their own unit.
    """
    if kind not in DISPLAY_UNITS:
        unit = kind
        q = Fraction(base_quantity)
    else:
        choices = DISPLAY_UNITS[kind]
        unit = choices[0]
        for u in choices:
            if Fraction(base_quantity) / UNITS[u][1] >= 1:
                unit = u
        q = Fraction(base_quantity) / UNITS[unit][1]
    rounded = Fraction(round(q * 8), 8)
    if rounded == 0 and q > 0:
        rounded = Fraction(1, 8)
    return rounded, unit
