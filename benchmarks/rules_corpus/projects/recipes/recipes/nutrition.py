"""Food table and nutrition totals."""

from .parsing import normalize_name, parse_ingredient
from .units import UNITS

NUTRIENTS = ("kcal", "protein", "fat", "carbs")

# name: (kcal, protein, fat, carbs per 100 g, density in g/ml, grams per portion, aliases)
_FOOD_ROWS = {
    "flour": (364, 10.3, 1.0, 76.3, 0.53, {}, ["all purpose flour", "plain flour", "wheat flour"]),
    "sugar": (387, 0.0, 0.0, 100.0, 0.85, {}, ["granulated sugar", "caster sugar", "white sugar"]),
    "brown sugar": (380, 0.1, 0.0, 98.1, 0.93, {}, []),
    "butter": (717, 0.9, 81.1, 0.1, 0.96, {"slice": 10}, ["unsalted butter", "salted butter"]),
    "egg": (155, 13.0, 11.0, 1.1, None, {"each": 50}, ["eggs", "hen egg"]),
    "milk": (61, 3.2, 3.3, 4.8, 1.03, {}, ["whole milk", "skim milk"]),
    "olive oil": (884, 0.0, 100.0, 0.0, 0.91, {}, ["extra virgin olive oil", "evoo"]),
    "salt": (0, 0.0, 0.0, 0.0, 1.2, {}, ["sea salt", "kosher salt"]),
    "black pepper": (251, 10.4, 3.3, 64.0, 0.5, {}, ["pepper", "ground black pepper"]),
    "garlic": (149, 6.4, 0.5, 33.1, 0.6, {"clove": 5, "each": 40}, ["garlic clove"]),
    "onion": (40, 1.1, 0.1, 9.3, 0.6, {"each": 110}, ["yellow onion", "white onion"]),
    "red onion": (42, 0.9, 0.1, 9.5, 0.6, {"each": 110}, []),
    "tomato": (18, 0.9, 0.2, 3.9, 0.6, {"each": 120, "can": 400}, ["plum tomato"]),
    "carrot": (41, 0.9, 0.2, 9.6, 0.55, {"each": 60}, []),
    "potato": (77, 2.0, 0.1, 17.5, 0.65, {"each": 170}, ["russet potato"]),
    "rice": (365, 7.1, 0.7, 80.0, 0.85, {}, ["white rice", "basmati rice", "long grain rice"]),
    "pasta": (371, 13.0, 1.5, 75.0, 0.4, {}, ["spaghetti", "penne", "dried pasta"]),
    "chicken breast": (165, 31.0, 3.6, 0.0, None, {"each": 170}, ["chicken"]),
    "ground beef": (250, 26.0, 15.0, 0.0, None, {}, ["minced beef", "beef mince"]),
    "cheddar": (403, 25.0, 33.0, 1.3, 0.45, {"slice": 28}, ["cheddar cheese"]),
    "parmesan": (431, 38.0, 29.0, 4.1, 0.4, {}, ["parmigiano", "parmesan cheese"]),
    "spinach": (23, 2.9, 0.4, 3.6, 0.13, {"bunch": 340}, ["baby spinach"]),
    "lemon": (29, 1.1, 0.3, 9.3, None, {"each": 85}, []),
    "lemon juice": (22, 0.4, 0.2, 6.9, 1.03, {}, []),
    "honey": (304, 0.3, 0.0, 82.4, 1.42, {}, []),
    "rolled oats": (379, 13.2, 6.5, 67.7, 0.35, {}, ["oats", "porridge oats"]),
    "chickpeas": (139, 7.0, 2.1, 22.5, 0.7, {"can": 240}, ["garbanzo beans"]),
    "coconut milk": (197, 2.0, 21.0, 2.8, 0.98, {"can": 400}, []),
    "bread": (265, 9.0, 3.2, 49.0, None, {"slice": 30, "each": 400}, ["sourdough bread"]),
    "basil": (23, 3.2, 0.6, 2.7, 0.1, {"bunch": 30}, ["basil leaves"]),
}

FOODS = {}
for _name, _row in _FOOD_ROWS.items():
    FOODS[_name] = {"kcal": _row[0], "protein": _row[1], "fat": _row[2], "carbs": _row[3],
                    "density": _row[4], "portions": _row[5], "aliases": _row[6]}


def find_food(name):
    """Find the food-table key for an ingredient name, or None.

    Exact matches on the key or an alias win; otherwise the longest key or alias that appears
    as whole words inside the name (ties broken by key order).
    """
    n = normalize_name(name)
    if not n:
        return None
    for key, info in FOODS.items():
        if normalize_name(key) == n:
            return key
        for alias in info["aliases"]:
            if normalize_name(alias) == n:
                return key
    best = None
    best_len = 0
    for key, info in FOODS.items():
        for candidate in [key] + info["aliases"]:
            c = normalize_name(candidate)
            if c and (" " + c + " ") in (" " + n + " ") and len(c) > best_len:
                best = key
                best_len = len(c)
    return best


def ingredient_grams(ing, food_key):
    """Weight in grams of a parsed ingredient, or None when it cannot be worked out."""
    if ing["quantity"] is None:
        return 0.0
    food = FOODS[food_key]
    unit = ing["unit"] or "each"
    kind, factor, _aliases = UNITS[unit]
    amount = ing["quantity"] * factor
    if kind == "mass":
        return float(amount)
    if kind == "volume":
        if food["density"] is None:
            return None
        return float(amount) * food["density"]
    portion = food["portions"].get(unit)
    if portion is None:
        return None
    return float(amount) * portion


def recipe_nutrition(recipe, servings=None):
    """Totals for a recipe (optionally scaled to a number of servings).

    Returns a dict with the NUTRIENTS rounded to 1 decimal and 'unmatched', a sorted list of
    ingredient names that could not be measured.
    """
    factor = 1.0
    if servings is not None:
        if servings <= 0:
            raise ValueError("servings must be positive")
        factor = servings / recipe["servings"]
    totals = {k: 0.0 for k in NUTRIENTS}
    unmatched = []
    for line in recipe["ingredients"]:
        ing = parse_ingredient(line)
        key = find_food(ing["name"])
        grams = ingredient_grams(ing, key) if key is not None else None
        if grams is None:
            if ing["name"] not in unmatched:
                unmatched.append(ing["name"])
            continue
        for k in NUTRIENTS:
            totals[k] += grams * FOODS[key][k] / 100.0 * factor
    result = {k: round(v, 1) for k, v in totals.items()}
    result["unmatched"] = sorted(unmatched)
    return result

