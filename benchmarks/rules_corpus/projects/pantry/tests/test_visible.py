import pytest

from pantry import (
    clear_catalog,
    find_ingredient,
    load_catalog,
    parse_recipe,
    per_serving,
    plan_menu,
    recipe_totals,
    shopping_list,
)
from pantry.catalog import UnknownIngredient, clean_name
from pantry.recipes import parse_amount

CATALOG = """# name;unit;kcal;protein;fat;carbs;price
Rice (1kg);g;350;7;1;77;2,40
Tomatoes, canned;g;20;1;0;4;1,80
Egg;pc;80;6,5;5;0,5;0,30
Olive oil;ml;880;0;100;0;9,00
"""

OMELETTE = """Omelette
2 servings # vegetarian, quick
4 pc | egg
2 tbsp | Olive Oil
200 g | TOMATOES CANNED
"""

RISOTTO = """Risotto
4 servings # vegetarian
1 1/2 cup | rice
400 g | Tomatoes, canned
"""


@pytest.fixture(autouse=True)
def catalog():
    clear_catalog()
    load_catalog(CATALOG)
    yield
    clear_catalog()


def test_clean_name_and_lookup():
    assert clean_name("  Tomatoes, canned (400g) ") == "tomatoes canned"
    assert find_ingredient("RICE").name == "Rice (1kg)"
    with pytest.raises(UnknownIngredient):
        find_ingredient("saffron")


def test_amounts():
    assert parse_amount("1 1/2") == 1.5
    assert parse_amount("2,5") == 2.5


def test_nutrition_of_a_recipe():
    omelette = parse_recipe(OMELETTE)
    totals = recipe_totals(omelette)
    assert totals["kcal"] == pytest.approx(4 * 80 + 0.3 * 880 + 2 * 20)
    assert per_serving(omelette)["protein"] == pytest.approx(round((26 + 2) / 2, 1))


def test_menu_and_shopping():
    dishes = [parse_recipe(OMELETTE), parse_recipe(RISOTTO)]
    menu = plan_menu(dishes, 4, low=100, high=1000, repeat_after=1)
    assert [r.title for r in menu] == ["Risotto", "Omelette", "Risotto", "Omelette"]
    items = shopping_list(menu[:2], 8)
    assert items == [("Egg", 16, "pc"), ("Olive oil", 120, "ml"), ("Rice (1kg)", 720, "ml"),
                     ("Tomatoes, canned", 1600, "g")]


def test_duplicates_and_bad_rows():
    with pytest.raises(ValueError):
        load_catalog("rice;g;1;1;1;1;1\n")
    with pytest.raises(ValueError):
        load_catalog("salt;tsp;0;0;0;0;1\n")
