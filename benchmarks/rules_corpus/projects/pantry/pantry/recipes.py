"""Recipes as the cooks type them: a title line, a servings line, then one ingredient a line."""

from collections import namedtuple
from fractions import Fraction

Recipe = namedtuple("Recipe", "title servings tags lines")
Line = namedtuple("Line", "ingredient amount unit")

TO_BASE = {
    "g": ("g", 1.0),
    "kg": ("g", 1000.0),
    "ml": ("ml", 1.0),
    "l": ("ml", 1000.0),
    "tbsp": ("ml", 15.0),
    "tsp": ("ml", 5.0),
    "cup": ("ml", 240.0),
    "pc": ("pc", 1.0),
}


def parse_amount(text):
    """'1 1/2' -> 1.5, '3/4' -> 0.75, '2,5' -> 2.5."""
    total = Fraction(0)
    for part in text.replace(",", ".").split():
        if "/" in part:
            num, den = part.split("/")
            total += Fraction(int(num), int(den))
        else:
            total += Fraction(part)
    return float(total)


def parse_line(text):
    """'1 1/2 cup | rice' -> Line('rice', 360.0, 'ml')."""
    if "|" not in text:
        raise ValueError(f"no '|' in ingredient line {text!r}")
    left, name = text.split("|", 1)
    words = left.split()
    if not words:
        raise ValueError(f"no amount in {text!r}")
    unit = words[-1].lower()
    if unit not in TO_BASE:
        raise ValueError(f"unknown unit {unit!r} in {text!r}")
    base, factor = TO_BASE[unit]
    return Line(name.strip(), parse_amount(" ".join(words[:-1])) * factor, base)


def parse_recipe(text):
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if len(lines) < 3:
        raise ValueError("a recipe needs a title, servings and at least one ingredient")
    title = lines[0]
    head, _, tags = lines[1].partition("#")
    servings = int(head.split()[0])
    if servings <= 0:
        raise ValueError(f"{title}: servings must be positive")
    return Recipe(title, servings, tuple(t.strip() for t in tags.split(",") if t.strip()),
                  [parse_line(line) for line in lines[2:]])
