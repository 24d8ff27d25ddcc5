"""Workload: a canteen's catalogue, 30 recipes, nutrition for all, menus for a term, shopping.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random

from pantry import (
    clear_catalog,
    load_catalog,
    parse_recipe,
    per_serving,
    plan_menu,
    shopping_list,
)

SYLLABLES = ["ka", "ro", "mi", "te", "lu", "sa", "po", "ni", "ve", "da", "gu", "fe"]
UNITS = ["g", "g", "g", "ml", "pc"]
N_INGREDIENTS, N_RECIPES, TERM_DAYS = 120, 30, 6


def make_catalog(rng: random.Random, n: int) -> tuple[str, list[tuple[str, str]]]:
    rows = ["# name;unit;kcal;protein;fat;carbs;price"]
    names = []
    seen = set()
    while len(names) < n:
        name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        unit = rng.choice(UNITS)
        label = f"{name} ({rng.randint(1, 9)}00{unit})" if rng.random() < 0.3 else name
        kcal = rng.randint(10, 400) if unit != "pc" else rng.randint(5, 120)
        rows.append(f"{label};{unit};{kcal};{rng.randint(0, 30)},{rng.randint(0, 9)};"
                    f"{rng.randint(0, 40)};{rng.randint(0, 80)};{rng.randint(1, 40)},{rng.randint(0, 99):02d}")
        names.append((label, unit))
    return "\n".join(rows), names


def make_recipe(rng: random.Random, i: int, names: list[tuple[str, str]]) -> str:
    lines = [f"Dish {i:03d}", f"{rng.choice([4, 6, 8, 10])} servings # "
             + ", ".join(rng.sample(["vegan", "spicy", "nuts", "fish", "pork", "kids"], 2))]
    for label, unit in rng.sample(names, rng.randint(6, 11)):
        plain = label.split(" (")[0]
        spelled = rng.choice([plain, plain.upper(), f" {plain.lower()} ", label])
        if unit == "pc":
            lines.append(f"{rng.randint(1, 4)} pc | {spelled}")
        elif unit == "ml":
            lines.append(f"{rng.choice(['1 1/2', '2', '3/4', '1'])} {rng.choice(['cup', 'tbsp', 'l', 'ml'])} | {spelled}")
        else:
            lines.append(rng.choice([f"{rng.choice(['250', '80', '400'])} g", "0,5 kg"]) + f" | {spelled}")
    return "\n".join(lines)


def main() -> None:
    rng = random.Random(4711)
    catalog, names = make_catalog(rng, N_INGREDIENTS)
    clear_catalog()
    print(f"catalogue {load_catalog(catalog)} ingredients")
    recipes = [parse_recipe(make_recipe(rng, i, names)) for i in range(N_RECIPES)]
    servings = [per_serving(r) for r in recipes]
    print(f"mean kcal per serving {sum(s['kcal'] for s in servings) / len(servings):.1f}")
    term = plan_menu(recipes, TERM_DAYS, low=300, high=1200, repeat_after=4)
    light = plan_menu(recipes, TERM_DAYS // 2, low=200, high=900, avoid=("pork", "nuts"))
    print(f"term menu starts {[r.title for r in term[:5]]}")
    print(f"light menu starts {[r.title for r in light[:5]]}")
    shopping = shopping_list(term, 120)
    print(f"{len(shopping)} items to buy; first {shopping[:3]}")
    digest = hashlib.sha256(repr((servings, shopping)).encode()).hexdigest()[:16]
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()
