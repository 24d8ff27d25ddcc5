import copy

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
from pantry.catalog import CATALOG, UnknownIngredient
from pantry.nutrition import recipe_cost

CATALOG_TEXT = """Rice (1kg);g;350;7;1;77;2,40
Tomatoes, canned;g;20;1;0;4;1,80
Egg;pc;80;6,5;5;0,5;0,30
Olive oil;ml;880;0;100;0;9,00
Lentils;g;310;24;1;50;3,10
"""


def dish(title, servings, tags, *lines):
    head = f"{servings} servings # {', '.join(tags)}"
    return parse_recipe("\n".join([title, head, *lines]))


@pytest.fixture(autouse=True)
def catalog():
    clear_catalog()
    load_catalog(CATALOG_TEXT)
    yield
    clear_catalog()


def test_catalogue_reload_and_clear():
    assert find_ingredient("lentils").kcal == 310
    clear_catalog()
    with pytest.raises(UnknownIngredient):
        find_ingredient("lentils")
    load_catalog("Lentils (red);g;330;25;1;48;3,50\n")
    assert find_ingredient("LENTILS").kcal == 330
    assert len(CATALOG) == 1


def test_failed_load_keeps_earlier_rows():
    with pytest.raises(ValueError):
        load_catalog("Salt;g;0;0;0;0;0,5\nsalt (fine);g;0;0;0;0;1\n")
    assert find_ingredient("salt").price == 0.5
    with pytest.raises(ValueError):
        load_catalog("Pepper;g;1;2;3\n")


def test_lookup_is_by_cleaned_name():
    assert find_ingredient("tomatoes (400g), canned").name == "Tomatoes, canned"
    assert find_ingredient("  olive   OIL ").unit == "ml"
    with pytest.raises(UnknownIngredient):
        find_ingredient("")


def test_totals_are_summed_in_order():
    r = dish("Oil", 1, [], "0,1 ml | olive oil", "0,2 ml | olive oil", "0,3 ml | olive oil")
    assert recipe_totals(r)["kcal"] == ((0.0 + 0.1 / 100.0 * 880.0) + 0.2 / 100.0 * 880.0) + 0.3 / 100.0 * 880.0


def test_piece_mismatch_and_unknown_ingredient():
    with pytest.raises(ValueError):
        recipe_totals(dish("Bad", 2, [], "100 g | egg"))
    with pytest.raises(UnknownIngredient):
        per_serving(dish("Odd", 2, [], "100 g | saffron"))


def test_menu_ties_avoid_and_no_option():
    a = dish("A", 2, ["pork"], "200 g | lentils")
    b = dish("B", 2, [], "200 g | lentils")
    c = dish("C", 4, [], "400 g | lentils")
    menu = plan_menu([c, b, a], 3, low=0, high=5000, repeat_after=0)
    assert [r.title for r in menu] == ["A", "A", "A"]
    menu = plan_menu([c, b, a], 3, low=0, high=5000, avoid=("pork",), repeat_after=1)
    assert [r.title for r in menu] == ["B", "C", "B"]
    with pytest.raises(ValueError):
        plan_menu([a], 2, low=0, high=5000, repeat_after=3)
    with pytest.raises(ValueError):
        plan_menu([a, b], 1, low=5000, high=6000)


def test_menu_does_not_change_its_input():
    recipes = [dish(t, 2, [], f"{n}00 g | rice") for t, n in (("X", 1), ("Y", 2), ("Z", 3))]
    before = copy.deepcopy(recipes)
    plan_menu(recipes, 6, low=0, high=5000, repeat_after=2)
    assert recipes == before
    assert recipe_cost(recipes[0]) == 0.24


def test_shopping_rounds_up_and_merges_spellings():
    r1 = dish("R1", 3, [], "1 pc | egg", "100 g | Rice", "1 tsp | olive oil")
    r2 = dish("R2", 1, [], "2 pc | EGG", "5 g | rice (1kg)")
    items = shopping_list([r1, r2, r1], 2)
    assert items == [("Egg", 6, "pc"), ("Olive oil", 10, "ml"), ("Rice (1kg)", 150, "g")]
    assert shopping_list([], 10) == []
