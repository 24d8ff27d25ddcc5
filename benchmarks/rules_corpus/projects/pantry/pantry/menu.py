"""Weekly menus: a different dish each day, cheapest first within the calorie band, and the
shopping list for the week."""

from pantry.catalog import find_ingredient
from pantry.nutrition import per_serving, recipe_cost


def fits(recipe, low, high, avoid):
    kcal = per_serving(recipe)["kcal"]
    if kcal < low or kcal > high:
        return False
    for tag in recipe.tags:
        if tag in avoid:
            return False
    return True


def plan_menu(recipes, days, low=450, high=900, avoid=(), repeat_after=5):
    """A dish per day; a dish comes back at the earliest `repeat_after` days later."""
    menu = []
    for day in range(days):
        recent = [r.title for r in menu[-repeat_after:]] if repeat_after else []
        options = [r for r in recipes if fits(r, low, high, avoid) and r.title not in recent]
        if not options:
            raise ValueError(f"no dish fits day {day + 1}")
        options.sort(key=lambda r: (recipe_cost(r) / r.servings, r.title))
        menu.append(options[0])
    return menu


def shopping_list(menu, guests):
    """[(ingredient, amount, unit)] for feeding `guests` every day, amounts rounded up to 10."""
    needed = []
    for recipe in menu:
        scale = guests / recipe.servings
        for line in recipe.lines:
            name = find_ingredient(line.ingredient).name
            for i, (have, amount, unit) in enumerate(needed):
                if have == name:
                    needed[i] = (have, amount + line.amount * scale, unit)
                    break
            else:
                needed.append((name, line.amount * scale, line.unit))
    out = []
    for name, amount, unit in sorted(needed):
        if unit == "pc":
            out.append((name, -(-amount // 1), unit))
        else:
            out.append((name, -(-amount // 10) * 10, unit))
    return out
