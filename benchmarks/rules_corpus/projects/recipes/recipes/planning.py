"""Scaling, meal plans, shopping lists, search and pantry checks."""

import copy
from fractions import Fraction

from .nutrition import NUTRIENTS, recipe_nutrition
from .parsing import format_ingredient, normalize_name, parse_ingredient
from .units import best_display, format_quantity, to_base, unit_label


def scale_recipe(recipe, servings):
    """Return a copy of recipe with ingredient quantities scaled to the given servings."""
    if not isinstance(servings, int) or servings <= 0:
        raise ValueError("servings must be a positive integer")
    factor = Fraction(servings, recipe["servings"])
    scaled = copy.deepcopy(recipe)
    scaled["servings"] = servings
    lines = []
    for line in recipe["ingredients"]:
        ing = parse_ingredient(line)
        if ing["quantity"] is None:
            lines.append(line)
            continue
        ing["quantity"] = ing["quantity"] * factor
        lines.append(format_ingredient(ing))
    scaled["ingredients"] = lines
    return scaled


def find_recipe(recipes, name):
    target = " ".join(name.lower().split())
    for r in recipes:
        if " ".join(r["name"].lower().split()) == target:
            return r
    raise KeyError(name)


def weekly_plan(recipes, days=7, meals=("lunch", "dinner"), servings=2, exclude_tags=()):
    """Assign recipes to the meals of each day, round robin over the eligible recipes
    (those without an excluded tag) sorted by name."""
    excluded = [t.strip().lower() for t in exclude_tags]
    eligible = []
    for r in recipes:
        tags = [t.strip().lower() for t in r.get("tags", [])]
        if not any(t in excluded for t in tags):
            eligible.append(r)
    if not eligible:
        raise ValueError("no recipes left to plan with")
    eligible = sorted(eligible, key=lambda r: r["name"].lower())
    plan = []
    for day in range(1, days + 1):
        for meal in meals:
            choice = eligible[len(plan) % len(eligible)]
            plan.append({"day": day, "meal": meal, "recipe": choice["name"],
                         "servings": servings})
    return plan


def _in_pantry(pantry, name):
    return any(parse_ingredient(line)["name"] == name for line in pantry)


def _pantry_amount(pantry, name, kind):
    """Total amount of name in the pantry lines (base units of kind), or None if absent."""
    total = None
    for line in pantry:
        p = parse_ingredient(line)
        if p["name"] != name or p["quantity"] is None:
            continue
        amount, p_kind = to_base(p["quantity"], p["unit"])
        if p_kind == kind:
            total = (total or 0) + amount
    return total


def shopping_list(plan, recipes, pantry=()):
    """Aggregate the scaled ingredients of a plan into a shopping list.

    Amounts of the same ingredient and kind are added up in base units; amounts in the
    pantry (a list of ingredient lines) are subtracted. Items without a quantity ('salt to
    taste') are listed once with quantity None unless the pantry has them.
    """
    items = []
    for entry in plan:
        recipe = find_recipe(recipes, entry["recipe"])
        scaled = scale_recipe(recipe, entry["servings"])
        for line in scaled["ingredients"]:
            ing = parse_ingredient(line)
            amount = kind = None
            if ing["quantity"] is not None:
                amount, kind = to_base(ing["quantity"], ing["unit"])
            found = None
            for item in items:
                if item["name"] == ing["name"] and item["kind"] == kind:
                    found = item
                    break
            if found is None:
                items.append({"name": ing["name"], "kind": kind, "quantity": amount,
                              "recipes": [recipe["name"]]})
            else:
                if amount is not None:
                    found["quantity"] = found["quantity"] + amount
                if recipe["name"] not in found["recipes"]:
                    found["recipes"].append(recipe["name"])
    result = []
    for item in items:
        if item["quantity"] is None:
            if not _in_pantry(pantry, item["name"]):
                item["display"] = item["name"]
                result.append(item)
            continue
        have = _pantry_amount(pantry, item["name"], item["kind"])
        if have is not None:
            item["quantity"] = item["quantity"] - have
            if item["quantity"] <= 0:
                continue
        q, unit = best_display(item["quantity"], item["kind"])
        label = "" if item["kind"] == "each" else unit_label(unit, q) + " "
        item["display"] = f"{format_quantity(q)} {label}{item['name']}"
        item["recipes"] = sorted(item["recipes"])
        result.append(item)
    result.sort(key=lambda i: (i["name"], i["kind"] or ""))
    return result


def search_by_ingredients(recipes, wanted, excluded=()):
    """Rank recipes by how many wanted ingredients they use.

    A wanted term matches an ingredient when its normalised words appear in the ingredient's
    normalised name. Recipes using any excluded ingredient are dropped, as are recipes
    matching nothing. Returns (name, score) pairs, best first, ties by name.
    """
    results = []
    for recipe in recipes:
        names = [parse_ingredient(line)["name"] for line in recipe["ingredients"]]
        bad = False
        for ex in excluded:
            for n in names:
                if (" " + normalize_name(ex) + " ") in (" " + n + " "):
                    bad = True
        if bad:
            continue
        score = 0
        for w in wanted:
            for n in names:
                if (" " + normalize_name(w) + " ") in (" " + n + " "):
                    score += 1
                    break
        if score > 0:
            results.append((recipe["name"], score))
    results.sort(key=lambda r: (-r[1], r[0]))
    return results


def pantry_check(recipe, pantry, servings=None):
    """Compare a recipe's needs with the pantry lines.

    Returns {'have': [...], 'missing': [...], 'short': [{'name', 'need', 'have', 'unit'}]}
    with names sorted; an ingredient whose pantry amount is in another kind of unit is missing.
    """
    if servings is not None:
        recipe = scale_recipe(recipe, servings)
    have, missing, short = [], [], []
    for line in recipe["ingredients"]:
        ing = parse_ingredient(line)
        if ing["quantity"] is None:
            (have if _in_pantry(pantry, ing["name"]) else missing).append(ing["name"])
            continue
        need, kind = to_base(ing["quantity"], ing["unit"])
        got = _pantry_amount(pantry, ing["name"], kind)
        if got is None:
            missing.append(ing["name"])
        elif got >= need:
            have.append(ing["name"])
        else:
            q_need, unit = best_display(need, kind)
            q_have = Fraction(round(got / to_base(1, unit)[0] * 8), 8)
            short.append({"name": ing["name"], "need": q_need, "have": q_have, "unit": unit})
    return {"have": sorted(set(have)), "missing": sorted(set(missing)),
            "short": sorted(short, key=lambda s: s["name"])}


def can_make(recipes, pantry, servings=None):
    """Names of the recipes that the pantry fully covers, sorted."""
    names = []
    for recipe in recipes:
        check = pantry_check(recipe, pantry, servings)
        if not check["missing"] and not check["short"]:
            names.append(recipe["name"])
    return sorted(names)


def plan_nutrition(plan, recipes):
    """Nutrition totals per day of a plan: {day: {nutrient: value}}."""
    days = {}
    for entry in plan:
        recipe = find_recipe(recipes, entry["recipe"])
        totals = recipe_nutrition(recipe, entry["servings"])
        day = days.setdefault(entry["day"], {k: 0.0 for k in NUTRIENTS})
        for k in NUTRIENTS:
            day[k] = round(day[k] + totals[k], 1)
    return days
