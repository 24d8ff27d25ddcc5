"""Nutrition and cost of a recipe, from the catalogue."""

from pantry.catalog import NUTRIENTS, find_ingredient


def amount_matrix(recipe):
    """One row per line: the amount in units of 100 g/ml (pieces stay pieces)."""
    rows = []
    for line in recipe.lines:
        ingredient = find_ingredient(line.ingredient)
        if (ingredient.unit == "pc") != (line.unit == "pc"):
            raise ValueError(f"{recipe.title}: {line.ingredient} measured in {line.unit}")
        rows.append([line.amount if line.unit == "pc" else line.amount / 100.0])
    return rows


def nutrient_matrix(recipe):
    rows = []
    for line in recipe.lines:
        ingredient = find_ingredient(line.ingredient)
        rows.append([float(getattr(ingredient, n)) for n in NUTRIENTS])
    return rows


def recipe_totals(recipe):
    """{nutrient: total} for the whole recipe."""
    amounts = amount_matrix(recipe)
    table = nutrient_matrix(recipe)
    totals = [0.0] * len(NUTRIENTS)
    for j in range(len(NUTRIENTS)):
        for i in range(len(table)):
            totals[j] = totals[j] + amounts[i][0] * table[i][j]
    return dict(zip(NUTRIENTS, totals))


def per_serving(recipe):
    totals = recipe_totals(recipe)
    return {k: round(v / recipe.servings, 1) for k, v in totals.items()}


def recipe_cost(recipe):
    cost = 0.0
    for line in recipe.lines:
        ingredient = find_ingredient(line.ingredient)
        if line.unit == "pc":
            cost += line.amount * ingredient.price
        else:
            cost += line.amount / 1000.0 * ingredient.price
    return round(cost, 2)
