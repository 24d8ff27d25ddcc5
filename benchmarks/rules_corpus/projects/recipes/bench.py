"""Deterministic workload for the recipes package: prints a summary, never timings."""

import hashlib
import random

from recipes.nutrition import recipe_nutrition
from recipes.parsing import parse_recipe_text
from recipes.planning import (
    can_make,
    pantry_check,
    plan_nutrition,
    scale_recipe,
    search_by_ingredients,
    shopping_list,
    weekly_plan,
)

INGREDIENTS = [
    ("flour", ["cup", "cups", "g", "tbsp"]), ("sugar", ["cup", "tbsp", "tsp", "g"]),
    ("brown sugar", ["cup", "tbsp"]), ("butter", ["tbsp", "g", "cup"]), ("eggs", [""]),
    ("milk", ["cup", "ml", "l"]), ("olive oil", ["tbsp", "tsp", "ml"]), ("salt", ["tsp", "pinch"]),
    ("black pepper", ["tsp", "pinch"]), ("garlic", ["cloves", "clove"]), ("onions", [""]),
    ("red onion", [""]), ("tomatoes", ["", "can", "cans", "g"]), ("carrots", ["", "g"]),
    ("potatoes", ["", "kg", "g", "lb"]), ("basmati rice", ["cup", "g"]), ("penne", ["g", "oz"]),
    ("chicken breast", ["", "g", "lb"]), ("ground beef", ["g", "lb", "oz"]),
    ("cheddar cheese", ["cup", "g", "slices"]), ("parmesan", ["tbsp", "cup", "g"]),
    ("baby spinach", ["cups", "g", "bunch"]), ("lemons", [""]), ("lemon juice", ["tbsp", "tsp"]),
    ("honey", ["tbsp", "tsp"]), ("rolled oats", ["cup", "g"]), ("chickpeas", ["can", "g"]),
    ("coconut milk", ["can", "ml"]), ("sourdough bread", ["slices"]), ("basil leaves", ["bunch"]),
    ("smoked paprika", ["tsp"]), ("ground cumin", ["tsp"]), ("vegetable stock", ["cups", "ml"]),
    ("soy sauce", ["tbsp"]), ("ginger", ["tsp", "tbsp"]), ("bell peppers", [""]),
    ("mushrooms", ["g", "cups"]), ("zucchini", [""]), ("greek yogurt", ["cup", "g"]),
]
DESCRIBE = ["", "", "", "fresh ", "chopped ", "large ", "finely diced ", "organic ", "minced "]
NOTES = ["", "", "", ", sifted", ", softened", ", to serve", " (optional)", ", at room temperature"]
QTYS = ["1", "2", "3", "1/2", "1/4", "3/4", "1 1/2", "2 1/2", "1/3", "2-3", "1.5"]
METRIC_QTYS = ["50", "100", "150", "200", "250", "400", "500"]
TAGS = ["vegetarian", "quick", "dessert", "spicy", "dairy-free", "breakfast", "budget"]


def make_recipe_text(rng, idx):
    lines = [f"Recipe {idx:03d} {rng.choice(['Stew', 'Bake', 'Salad', 'Pasta', 'Bowl', 'Soup'])}"]
    lines.append(f"Serves: {rng.randint(1, 8)}")
    lines.append("Tags: " + ", ".join(rng.sample(TAGS, rng.randint(0, 3))))
    lines.append("Ingredients:")
    for name, units in rng.sample(INGREDIENTS, rng.randint(6, 14)):
        if rng.random() < 0.08:
            lines.append(f"- {name} to taste")
            continue
        unit = rng.choice(units)
        qty = rng.choice(METRIC_QTYS if unit in ("g", "ml") else QTYS)
        unit_part = f"{unit} " if unit else ""
        lines.append(f"- {qty} {unit_part}{rng.choice(DESCRIBE)}{name}{rng.choice(NOTES)}")
    lines.append("Steps:")
    for s in range(rng.randint(2, 5)):
        lines.append(f"{s + 1}. Do step {s + 1}.")
    return "\n".join(lines)


def make_pantry(rng):
    pantry = []
    for name, units in rng.sample(INGREDIENTS, 25):
        unit = rng.choice(units)
        unit_part = f"{unit} " if unit else ""
        pantry.append(f"{rng.choice(['2', '5', '10', '500', '1 1/2'])} {unit_part}{name}")
    return pantry


def main():
    rng = random.Random(4242)
    digest = hashlib.sha256()
    recipes = [parse_recipe_text(make_recipe_text(rng, i)) for i in range(26)]
    pantries = [make_pantry(rng) for _ in range(3)]

    kcal_total = 0.0
    unmatched = set()
    for r in recipes:
        for servings in (None, 4):
            n = recipe_nutrition(r, servings)
            kcal_total += n["kcal"]
            unmatched.update(n["unmatched"])
        digest.update(repr(n).encode())

    scaled_lines = 0
    for r in recipes:
        for servings in (2, 6):
            s = scale_recipe(r, servings)
            scaled_lines += len(s["ingredients"])
            digest.update("|".join(s["ingredients"]).encode())

    shop_items = 0
    for week, excl in enumerate([("dessert",), ("spicy", "quick")]):
        plan = weekly_plan(recipes[week * 7:] + recipes[:week * 7], days=7,
                           meals=("breakfast", "lunch", "dinner"), servings=2 + week,
                           exclude_tags=excl)
        for pantry in ((), pantries[0]):
            items = shopping_list(plan, recipes, pantry)
            shop_items += len(items)
            digest.update("\n".join(i["display"] for i in items).encode())
        days = plan_nutrition(plan, recipes)
        digest.update(repr(sorted(days.items())).encode())

    hits = 0
    for _ in range(10):
        wanted = [name for name, _u in rng.sample(INGREDIENTS, 3)]
        excluded = [name for name, _u in rng.sample(INGREDIENTS, 1)]
        res = search_by_ingredients(recipes, wanted, excluded)
        hits += len(res)
        digest.update(repr(res).encode())

    short = 0
    makeable = 0
    for pantry in pantries[1:]:
        for r in recipes[:6]:
            check = pantry_check(r, pantry, servings=4)
            short += len(check["short"])
            digest.update(repr(check).encode())
    makeable += len(can_make(recipes, pantries[0]))

    print(f"recipes={len(recipes)} scaled_lines={scaled_lines} kcal_total={kcal_total:.1f}")
    print(f"unmatched={len(unmatched)} shopping_items={shop_items} search_hits={hits}")
    print(f"short={short} makeable={makeable}")
    print("digest=" + digest.hexdigest()[:16])


if __name__ == "__main__":
    main()
