"""The ingredient catalogue, loaded from the supplier's CSV export into a module-level list."""

import csv
import io
import re
from collections import namedtuple

Ingredient = namedtuple("Ingredient", "name unit kcal protein fat carbs price")
# per 100 g (or per piece for unit "pc"); price per kg (or per piece)

NUTRIENTS = ("kcal", "protein", "fat", "carbs")

CATALOG = []


class UnknownIngredient(LookupError):
    pass


def clean_name(raw):
    """'  Tomatoes, canned (400g) ' -> 'tomatoes canned'."""
    text = raw.lower()
    text = re.sub(r"\(.*?\)", " ", text)
    text = re.sub(r"[^a-zäöüß ]+", " ", text)
    return " ".join(text.split())


def clear_catalog():
    del CATALOG[:]


def load_catalog(text):
    """Rows: name;unit;kcal;protein;fat;carbs;price (decimal commas allowed). Returns count."""
    reader = csv.reader(io.StringIO(text), delimiter=";")
    added = 0
    for row in reader:
        if not row or row[0].startswith("#"):
            continue
        if len(row) != 7:
            raise ValueError(f"bad catalogue row: {row!r}")
        name, unit = row[0].strip(), row[1].strip()
        numbers = [float(cell.replace(",", ".")) for cell in row[2:]]
        if unit not in ("g", "ml", "pc"):
            raise ValueError(f"{name}: unknown unit {unit!r}")
        for existing in CATALOG:
            if clean_name(existing.name) == clean_name(name):
                raise ValueError(f"duplicate ingredient {name!r}")
        CATALOG.append(Ingredient(name, unit, *numbers))
        added += 1
    return added


def find_ingredient(name):
    wanted = clean_name(name)
    for ingredient in CATALOG:
        if clean_name(ingredient.name) == wanted:
            return ingredient
    raise UnknownIngredient(name)
