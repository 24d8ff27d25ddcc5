from fractions import Fraction

import pytest

from recipes.nutrition import find_food, recipe_nutrition
from recipes.parsing import (
    format_ingredient,
    normalize_name,
    parse_ingredient,
    parse_quantity,
    parse_recipe_text,
)
from recipes.planning import (
    can_make,
    pantry_check,
    plan_nutrition,
    scale_recipe,
    search_by_ingredients,
    shopping_list,
    weekly_plan,
)
from recipes.units import UnitError, best_display, canonical_unit, convert, format_quantity

PANCAKES = {
    "name": "Pancakes",
    "servings": 4,
    "tags": ["breakfast", "vegetarian"],
    "ingredients": ["1 1/2 cups flour, sifted", "2 large eggs", "1 cup milk",
                    "2 tbsp butter, melted", "salt to taste"],
    "steps": ["Mix.", "Fry."],
}
PASTA = {
    "name": "Tomato Pasta",
    "servings": 2,
    "tags": ["quick", "vegetarian"],
    "ingredients": ["200 g penne", "1 can chopped tomatoes", "2 cloves garlic, minced",
                    "1 tbsp olive oil", "25 g parmesan, grated"],
    "steps": ["Boil pasta.", "Make sauce."],
}
CURRY = {
    "name": "Chickpea Curry",
    "servings": 4,
    "tags": ["spicy", "vegetarian"],
    "ingredients": ["2 cans chickpeas", "1 can coconut milk", "1 onion, diced",
                    "3 cloves garlic", "1 cup basmati rice"],
    "steps": ["Cook."],
}
RECIPES = [PANCAKES, PASTA, CURRY]


def test_parse_quantity_forms():
    assert parse_quantity("2") == 2
    assert parse_quantity("1/2") == Fraction(1, 2)
    assert parse_quantity("1 1/2") == Fraction(3, 2)
    assert parse_quantity("1.25") == Fraction(5, 4)
    assert parse_quantity("2-3") == 3


def test_parse_ingredient_full_line():
    ing = parse_ingredient("1 1/2 cups flour, sifted")
    assert ing["quantity"] == Fraction(3, 2)
    assert ing["unit"] == "cup"
    assert ing["name"] == "flour"
    assert ing["note"] == "sifted"


def test_parse_ingredient_without_unit_or_quantity():
    eggs = parse_ingredient("2 large eggs")
    assert eggs["quantity"] == 2 and eggs["unit"] is None and eggs["name"] == "egg"
    salt = parse_ingredient("salt to taste")
    assert salt["quantity"] is None and salt["name"] == "salt" and salt["note"] == "to taste"


def test_parse_ingredient_rejects_empty():
    with pytest.raises(ValueError):
        parse_ingredient("   ")


def test_normalize_name():
    assert normalize_name("Fresh Tomatoes") == "tomato"
    assert normalize_name("  Baby-Spinach (washed) ") == "baby spinach"
    assert normalize_name("Cherries") == "cherry"


def test_canonical_unit_aliases():
    assert canonical_unit("Tablespoons") == "tbsp"
    assert canonical_unit("tsp.") == "tsp"
    assert canonical_unit("lbs") == "lb"
    assert canonical_unit("handful") is None


def test_convert_units():
    assert convert(1, "cup", "tbsp") == 16
    assert convert(2, "kg", "g") == 2000
    with pytest.raises(UnitError):
        convert(1, "cup", "g")


def test_format_quantity():
    assert format_quantity(Fraction(3, 2)) == "1 1/2"
    assert format_quantity(Fraction(3, 4)) == "3/4"
    assert format_quantity(Fraction(4)) == "4"


def test_best_display():
    assert best_display(Fraction(480), "volume") == (Fraction(2), "cup")
    assert best_display(Fraction(1500), "mass") == (Fraction(3, 2), "kg")


def test_format_round_trip():
    ing = parse_ingredient("3 cloves garlic, minced")
    assert format_ingredient(ing) == "3 cloves garlic, minced"


def test_scale_recipe():
    scaled = scale_recipe(PANCAKES, 2)
    assert scaled["servings"] == 2
    assert scaled["ingredients"][0] == "3/4 cup flour, sifted"
    assert scaled["ingredients"][1] == "1 large eggs"
    assert scaled["ingredients"][4] == "salt to taste"
    assert PANCAKES["ingredients"][0] == "1 1/2 cups flour, sifted"


def test_find_food():
    assert find_food("plain flour") == "flour"
    assert find_food("chopped tomatoes") == "tomato"
    assert find_food("smoked paprika") is None


def test_recipe_nutrition():
    n = recipe_nutrition(PASTA)
    assert n["unmatched"] == []
    assert n["kcal"] == pytest.approx(1057.3, abs=0.05)
    half = recipe_nutrition(PASTA, 1)
    assert half["kcal"] == pytest.approx(n["kcal"] / 2, abs=0.2)


def test_weekly_plan_round_robin():
    plan = weekly_plan(RECIPES, days=2, meals=("lunch", "dinner"), servings=3)
    assert [p["recipe"] for p in plan] == ["Chickpea Curry", "Pancakes", "Tomato Pasta",
                                           "Chickpea Curry"]
    assert all(p["servings"] == 3 for p in plan)


def test_weekly_plan_excludes_tags():
    plan = weekly_plan(RECIPES, days=1, meals=("dinner",), exclude_tags=["Spicy"])
    assert plan[0]["recipe"] == "Pancakes"


def test_shopping_list_aggregates():
    plan = [{"day": 1, "meal": "dinner", "recipe": "Tomato Pasta", "servings": 4},
            {"day": 2, "meal": "dinner", "recipe": "Chickpea Curry", "servings": 4}]
    items = {i["name"]: i for i in shopping_list(plan, RECIPES)}
    assert items["garlic"]["quantity"] == 7
    assert items["garlic"]["display"] == "7 cloves garlic"
    assert items["penne"]["display"] == "400 g penne"
    assert items["garlic"]["recipes"] == ["Chickpea Curry", "Tomato Pasta"]


def test_shopping_list_subtracts_pantry():
    plan = [{"day": 1, "meal": "dinner", "recipe": "Tomato Pasta", "servings": 2}]
    items = {i["name"]: i for i in shopping_list(plan, RECIPES, ["500 g penne", "1 clove garlic"])}
    assert "penne" not in items
    assert items["garlic"]["quantity"] == 1


def test_search_by_ingredients():
    res = search_by_ingredients(RECIPES, ["garlic", "olive oil"])
    assert res == [("Tomato Pasta", 2), ("Chickpea Curry", 1)]
    res = search_by_ingredients(RECIPES, ["garlic"], excluded=["parmesan"])
    assert res == [("Chickpea Curry", 1)]


def test_pantry_check():
    pantry = ["4 cups flour", "6 eggs", "500 ml milk", "salt"]
    check = pantry_check(PANCAKES, pantry)
    assert check["have"] == ["egg", "flour", "milk", "salt"]
    assert check["missing"] == ["butter"]
    assert check["short"] == []


def test_pantry_check_short():
    check = pantry_check(PANCAKES, ["100 ml milk"], servings=4)
    assert check["short"] == [{"name": "milk", "need": Fraction(1), "have": Fraction(3, 8),
                               "unit": "cup"}]


def test_can_make():
    pantry = ["1 kg penne", "2 cans tomatoes", "1 bulb garlic", "10 cloves garlic",
              "1 cup olive oil", "100 g parmesan"]
    assert can_make(RECIPES, pantry) == ["Tomato Pasta"]


def test_parse_recipe_text():
    text = """Lemon Rice
Serves: 3
Tags: Quick, Vegetarian
Ingredients:
- 1 cup basmati rice
- 2 tbsp lemon juice
Steps:
1. Cook rice.
2. Add lemon.
"""
    r = parse_recipe_text(text)
    assert r["name"] == "Lemon Rice"
    assert r["servings"] == 3
    assert r["tags"] == ["quick", "vegetarian"]
    assert r["ingredients"] == ["1 cup basmati rice", "2 tbsp lemon juice"]
    assert r["steps"] == ["Cook rice.", "Add lemon."]


def test_plan_nutrition_per_day():
    plan = weekly_plan(RECIPES, days=2, meals=("dinner",), servings=2)
    days = plan_nutrition(plan, RECIPES)
    assert sorted(days) == [1, 2]
    assert days[2]["kcal"] == recipe_nutrition(PANCAKES, 2)["kcal"]
