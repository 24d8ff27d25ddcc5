import copy
import random
from fractions import Fraction

import pytest

from recipes import nutrition
from recipes.nutrition import FOODS, find_food, recipe_nutrition
from recipes.parsing import (
    format_ingredient,
    normalize_name,
    parse_ingredient,
    parse_quantity,
    parse_recipe_text,
)
from recipes.planning import (
    can_make,
    find_recipe,
    pantry_check,
    plan_nutrition,
    scale_recipe,
    search_by_ingredients,
    shopping_list,
    weekly_plan,
)
from recipes.units import (
    UNITS,
    UnitError,
    best_display,
    canonical_unit,
    convert,
    format_quantity,
    to_base,
)

NAMES = ["flour", "sugar", "brown sugar", "butter", "eggs", "milk", "olive oil", "garlic",
         "onions", "red onion", "tomatoes", "carrots", "potatoes", "basmati rice", "penne",
         "chicken breast", "parmesan", "baby spinach", "lemons", "lemon juice", "honey",
         "smoked paprika", "soy sauce", "mushrooms", "peaches", "cherries"]
UNIT_WORDS = ["", "cup", "cups", "tbsp", "tsp", "g", "kg", "ml", "l", "oz", "lb", "cloves",
              "can", "slices", "bunch", "pinch", "fl oz", "Tablespoons", "grams"]
QTYS = ["1", "2", "3", "1/2", "1/3", "3/4", "1 1/2", "2 2/3", "1.5", "250", "2-3"]
NOTES = ["", "", ", chopped", ", to serve", " (optional)"]


def random_line(rng):
    unit = rng.choice(UNIT_WORDS)
    unit_part = unit + " " if unit else ""
    return f"{rng.choice(QTYS)} {unit_part}{rng.choice(NAMES)}{rng.choice(NOTES)}"


def random_recipes(rng, n):
    recipes = []
    for i in range(n):
        lines = [random_line(rng) for _ in range(rng.randint(1, 8))]
        if rng.random() < 0.3:
            lines.append(rng.choice(NAMES) + " to taste")
        recipes.append({"name": f"R{i:02d}", "servings": rng.randint(1, 6),
                        "tags": rng.sample(["quick", "spicy", "sweet"], rng.randint(0, 2)),
                        "ingredients": lines, "steps": []})
    return recipes


# ---------------------------------------------------------------- reference implementations

def ref_contains(term, name):
    return (" " + normalize_name(term) + " ") in (" " + name + " ")


def ref_shopping(plan, recipes, pantry):
    totals = {}
    for entry in plan:
        recipe = [r for r in recipes if r["name"].lower() == entry["recipe"].lower()][0]
        factor = Fraction(entry["servings"], recipe["servings"])
        for line in recipe["ingredients"]:
            ing = parse_ingredient(line)
            if ing["quantity"] is None:
                key = (ing["name"], None)
                totals.setdefault(key, None)
                continue
            amount, kind = to_base(ing["quantity"] * factor, ing["unit"])
            key = (ing["name"], kind)
            totals[key] = (totals.get(key) or 0) + amount
    parsed_pantry = [parse_ingredient(p) for p in pantry]
    out = {}
    for (name, kind), qty in totals.items():
        if qty is None:
            if any(p["name"] == name for p in parsed_pantry):
                continue
            out[(name, kind)] = None
            continue
        have = None
        for p in parsed_pantry:
            if p["name"] == name and p["quantity"] is not None:
                a, k = to_base(p["quantity"], p["unit"])
                if k == kind:
                    have = (have or 0) + a
        if have is not None:
            qty = qty - have
            if qty <= 0:
                continue
        out[(name, kind)] = qty
    return out


def ref_search(recipes, wanted, excluded):
    res = []
    for r in recipes:
        names = [parse_ingredient(x)["name"] for x in r["ingredients"]]
        if any(ref_contains(e, n) for e in excluded for n in names):
            continue
        score = sum(1 for w in wanted if any(ref_contains(w, n) for n in names))
        if score:
            res.append((r["name"], score))
    return sorted(res, key=lambda t: (-t[1], t[0]))


# ---------------------------------------------------------------- quantities and units

@pytest.mark.parametrize("bad", ["", "  ", "abc", "1/0", "1 1/0", "x/2", "1..5"])
def test_parse_quantity_errors(bad):
    with pytest.raises(ValueError):
        parse_quantity(bad)


def test_parse_quantity_ranges_use_upper_bound():
    assert parse_quantity("1/2 to 1") == 1
    assert parse_quantity("1 1/2 - 2") == 2
    assert parse_quantity(" 3 ") == 3


def test_canonical_unit_every_alias_any_case():
    for unit, (_kind, _factor, aliases) in UNITS.items():
        assert canonical_unit(unit.upper()) == unit
        for alias in aliases:
            assert canonical_unit(alias) == unit
            assert canonical_unit(" " + alias.title() + ". ") == unit
    assert canonical_unit(None) is None
    assert canonical_unit("") is None


def test_convert_errors_are_value_errors():
    with pytest.raises(UnitError):
        convert(1, "bucket", "cup")
    with pytest.raises(UnitError):
        convert(1, "cup", "bucket")
    with pytest.raises(ValueError):
        convert(1, "clove", "can")
    assert issubclass(UnitError, ValueError)


def test_convert_exact_fractions():
    assert convert(Fraction(1, 3), "cup", "ml") == 80
    assert convert(3, "tsp", "tbsp") == 1
    assert convert(1, "lb", "oz") == Fraction("453.6") / Fraction("28.35")


def test_format_quantity_edges():
    assert format_quantity(0) == "0"
    assert format_quantity(Fraction(-3, 2)) == "-1 1/2"
    assert format_quantity(Fraction(7, 3)) == "2 1/3"
    assert format_quantity(5) == "5"


def test_best_display_edges():
    assert best_display(0, "volume") == (0, "tsp")
    assert best_display(Fraction(1, 100), "mass") == (Fraction(1, 8), "g")
    assert best_display(3, "clove") == (3, "clove")
    assert best_display(Fraction(5, 2), "each") == (Fraction(5, 2), "each")
    assert best_display(15, "volume") == (1, "tbsp")
    assert best_display(999, "mass") == (999, "g")


# ---------------------------------------------------------------- parsing

def test_parse_ingredient_returns_independent_dicts():
    a = parse_ingredient("2 cups flour")
    a["quantity"] = Fraction(99)
    a["name"] = "changed"
    b = parse_ingredient("2 cups flour")
    assert b["quantity"] == 2 and b["name"] == "flour"


def test_parse_ingredient_variants():
    ing = parse_ingredient("1 (14 oz) can chopped tomatoes")
    assert (ing["quantity"], ing["unit"], ing["name"], ing["note"]) == (1, "can", "tomato",
                                                                       "14 oz")
    ing = parse_ingredient("200g penne")
    assert (ing["quantity"], ing["unit"], ing["name"]) == (200, "g", "penne")
    ing = parse_ingredient("- 2 tbsp. soy sauce")
    assert (ing["quantity"], ing["unit"], ing["name"]) == (2, "tbsp", "soy sauce")
    ing = parse_ingredient("4 fl oz cream")
    assert (ing["quantity"], ing["unit"], ing["name"]) == (4, "fl oz", "cream")
    ing = parse_ingredient("1 cup of milk")
    assert ing["item"] == "milk" and ing["unit"] == "cup"
    ing = parse_ingredient("Salt")
    assert ing["quantity"] is None and ing["unit"] is None and ing["name"] == "salt"


def test_parse_ingredient_unit_word_alone_is_the_name():
    ing = parse_ingredient("2 cups")
    assert ing["unit"] is None and ing["quantity"] == 2 and ing["item"] == "cups"


@pytest.mark.parametrize("bad", [None, "", "   ", "3 , chopped", "2 (large)"])
def test_parse_ingredient_errors(bad):
    with pytest.raises(ValueError):
        parse_ingredient(bad)


def test_normalize_name_cases():
    assert normalize_name("Molasses") == "molasses"
    assert normalize_name("PEACHES") == "peach"
    assert normalize_name("All-Purpose Flour") == "all purpose flour"
    assert normalize_name("") == ""
    assert normalize_name("finely chopped fresh basil leaves") == "basil leave"


def test_normalize_name_idempotent_random():
    rng = random.Random(3)
    words = NAMES + ["Fresh", "LARGE", "chopped", "(optional)", "Bell-Peppers", "glass"]
    for _ in range(300):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 4)))
        once = normalize_name(text)
        assert normalize_name(once) == once
        assert once == once.lower().strip()


def test_round_trip_random_lines():
    rng = random.Random(11)
    for _ in range(400):
        line = random_line(rng)
        a = parse_ingredient(line)
        b = parse_ingredient(format_ingredient(a))
        for key in ("quantity", "unit", "name", "note"):
            assert a[key] == b[key], (line, key)


def test_parse_recipe_text_errors_and_method():
    with pytest.raises(ValueError):
        parse_recipe_text("")
    with pytest.raises(ValueError):
        parse_recipe_text("Soup\nServes: 0\n")
    r = parse_recipe_text("Soup\nIngredients:\n* 1 l stock\nMethod:\n1) Heat.\n")
    assert r["servings"] == 1
    assert r["ingredients"] == ["1 l stock"]
    assert r["steps"] == ["Heat."]


# ---------------------------------------------------------------- scaling

def test_scale_recipe_does_not_touch_input():
    rng = random.Random(5)
    for recipe in random_recipes(rng, 20):
        before = copy.deepcopy(recipe)
        scaled = scale_recipe(recipe, 7)
        assert recipe == before
        scaled["tags"].append("extra")
        scaled["ingredients"].append("1 egg")
        assert recipe == before


@pytest.mark.parametrize("bad", [0, -2, 2.5, "4", None])
def test_scale_recipe_bad_servings(bad):
    recipe = {"name": "X", "servings": 2, "ingredients": ["1 egg"]}
    with pytest.raises(ValueError):
        scale_recipe(recipe, bad)


def test_scale_recipe_matches_reference():
    rng = random.Random(21)
    for recipe in random_recipes(rng, 40):
        servings = rng.randint(1, 12)
        scaled = scale_recipe(recipe, servings)
        factor = Fraction(servings, recipe["servings"])
        assert len(scaled["ingredients"]) == len(recipe["ingredients"])
        for old, new in zip(recipe["ingredients"], scaled["ingredients"]):
            a, b = parse_ingredient(old), parse_ingredient(new)
            assert a["name"] == b["name"] and a["unit"] == b["unit"] and a["note"] == b["note"]
            if a["quantity"] is None:
                assert new == old
            else:
                assert b["quantity"] == a["quantity"] * factor


def test_scale_to_same_servings_keeps_quantities():
    recipe = {"name": "X", "servings": 3, "ingredients": ["1 1/2 cups flour", "salt"]}
    scaled = scale_recipe(recipe, 3)
    assert scaled["ingredients"] == ["1 1/2 cups flour", "salt"]


# ---------------------------------------------------------------- food table and nutrition

def test_find_food_prefers_longest_and_exact():
    assert find_food("red onions") == "red onion"
    assert find_food("onions") == "onion"
    assert find_food("Light Brown Sugar") == "brown sugar"
    assert find_food("lemon juice") == "lemon juice"
    assert find_food("lemon zest") == "lemon"
    assert find_food("Extra-Virgin Olive Oil") == "olive oil"
    assert find_food("") is None
    assert find_food("(optional)") is None


def test_find_food_sees_new_table_entries(monkeypatch):
    assert find_food("quinoa") is None
    monkeypatch.setitem(FOODS, "quinoa", {"kcal": 368, "protein": 14.1, "fat": 6.1,
                                          "carbs": 64.2, "density": 0.72, "portions": {},
                                          "aliases": ["red quinoa"]})
    assert find_food("quinoa") == "quinoa"
    assert find_food("Red Quinoa") == "quinoa"
    n = recipe_nutrition({"name": "Q", "servings": 1, "ingredients": ["100 g quinoa"]})
    assert n["kcal"] == 368.0


def test_find_food_sees_changed_aliases(monkeypatch):
    entry = dict(nutrition.FOODS["honey"])
    entry["aliases"] = ["clover honey", "acacia nectar"]
    monkeypatch.setitem(nutrition.FOODS, "honey", entry)
    assert find_food("acacia nectar") == "honey"


def test_recipe_nutrition_unmatched_sorted_unique_and_errors():
    recipe = {"name": "X", "servings": 2,
              "ingredients": ["2 tsp smoked paprika", "1 cup eggs", "1 tsp smoked paprika",
                              "salt to taste", "100 g sugar", "3 bunches zucchini"]}
    before = copy.deepcopy(recipe)
    n = recipe_nutrition(recipe)
    assert n["unmatched"] == ["egg", "smoked paprika", "zucchini"]
    assert n["kcal"] == 387.0
    assert n["carbs"] == 100.0
    assert recipe == before
    with pytest.raises(ValueError):
        recipe_nutrition(recipe, 0)


def test_recipe_nutrition_scales_linearly():
    rng = random.Random(8)
    for recipe in random_recipes(rng, 15):
        base = recipe_nutrition(recipe)
        double = recipe_nutrition(recipe, recipe["servings"] * 2)
        for k in ("kcal", "protein", "fat", "carbs"):
            assert double[k] == pytest.approx(base[k] * 2, abs=0.2)
        assert double["unmatched"] == base["unmatched"]


# ---------------------------------------------------------------- planning

def test_weekly_plan_errors_and_empty():
    with pytest.raises(ValueError):
        weekly_plan([])
    with pytest.raises(ValueError):
        weekly_plan([{"name": "A", "servings": 1, "tags": ["spicy"], "ingredients": []}],
                    exclude_tags=[" SPICY "])
    assert weekly_plan([{"name": "A", "servings": 1, "ingredients": []}], days=0) == []


def test_weekly_plan_does_not_reorder_input():
    recipes = [{"name": n, "servings": 1, "ingredients": []} for n in ["b", "C", "a"]]
    order = [r["name"] for r in recipes]
    plan = weekly_plan(recipes, days=2, meals=("x", "y"))
    assert [r["name"] for r in recipes] == order
    assert [p["recipe"] for p in plan] == ["a", "b", "C", "a"]
    assert [(p["day"], p["meal"]) for p in plan] == [(1, "x"), (1, "y"), (2, "x"), (2, "y")]


def test_find_recipe_normalises_and_raises():
    recipes = [{"name": "Tomato  Pasta", "servings": 1, "ingredients": []}]
    assert find_recipe(recipes, " tomato pasta ") is recipes[0]
    with pytest.raises(KeyError):
        find_recipe(recipes, "Pizza")


def test_shopping_list_unknown_recipe_and_empty():
    with pytest.raises(KeyError):
        shopping_list([{"day": 1, "meal": "x", "recipe": "nope", "servings": 1}], [])
    assert shopping_list([], []) == []


def test_shopping_list_kinds_kept_apart_and_sorted():
    recipes = [{"name": "A", "servings": 1,
                "ingredients": ["1 cup sugar", "100 g sugar", "2 eggs", "pepper to taste"]},
               {"name": "B", "servings": 2, "ingredients": ["2 tbsp sugar", "pepper"]}]
    plan = [{"day": 1, "meal": "x", "recipe": "A", "servings": 1},
            {"day": 1, "meal": "y", "recipe": "B", "servings": 2}]
    items = shopping_list(plan, recipes)
    assert [(i["name"], i["kind"]) for i in items] == [("egg", "each"), ("pepper", None),
                                                       ("sugar", "mass"), ("sugar", "volume")]
    sugar_volume = items[3]
    assert sugar_volume["quantity"] == 270
    assert sugar_volume["recipes"] == ["A", "B"]
    assert items[0]["display"] == "2 egg"
    assert items[1]["quantity"] is None and items[1]["display"] == "pepper"
    assert items[1]["recipes"] == ["A", "B"]


def test_shopping_list_pantry_removes_unquantified_and_exact():
    recipes = [{"name": "A", "servings": 1, "ingredients": ["1 cup sugar", "salt to taste"]}]
    plan = [{"day": 1, "meal": "x", "recipe": "A", "servings": 1}]
    assert shopping_list(plan, recipes, ["16 tbsp sugar", "a pinch of salt", "salt"]) == []


def test_shopping_list_matches_reference_and_keeps_inputs():
    rng = random.Random(99)
    recipes = random_recipes(rng, 12)
    for _ in range(6):
        plan = weekly_plan(recipes, days=3, meals=("a", "b"), servings=rng.randint(1, 5))
        pantry = [random_line(rng) for _ in range(rng.randint(0, 15))]
        snap = copy.deepcopy((plan, recipes, pantry))
        got = shopping_list(plan, recipes, pantry)
        assert (plan, recipes, pantry) == snap
        expected = ref_shopping(plan, recipes, pantry)
        assert {(i["name"], i["kind"]): i["quantity"] for i in got} == expected
        keys = [(i["name"], i["kind"] or "") for i in got]
        assert keys == sorted(keys)


def test_search_edges():
    recipes = [{"name": "B", "servings": 1, "ingredients": ["1 cup rice"]},
               {"name": "A", "servings": 1, "ingredients": ["2 cups Rice", "1 egg"]}]
    assert search_by_ingredients(recipes, []) == []
    assert search_by_ingredients([], ["rice"]) == []
    assert search_by_ingredients(recipes, ["RICE"]) == [("A", 1), ("B", 1)]
    assert search_by_ingredients(recipes, ["rice", "rice"]) == [("A", 2), ("B", 2)]
    assert search_by_ingredients(recipes, ["rice"], excluded=["eggs"]) == [("B", 1)]
    assert search_by_ingredients(recipes, ["ric"]) == []


def test_search_matches_reference():
    rng = random.Random(42)
    recipes = random_recipes(rng, 30)
    snap = copy.deepcopy(recipes)
    for _ in range(30):
        wanted = rng.sample(NAMES + ["sugar", "onion", "lemon", "oil"], rng.randint(1, 4))
        excluded = rng.sample(NAMES, rng.randint(0, 2))
        assert search_by_ingredients(recipes, wanted, excluded) == \
            ref_search(recipes, wanted, excluded)
    assert recipes == snap


def test_pantry_check_sums_pantry_lines_and_kinds():
    recipe = {"name": "X", "servings": 2, "ingredients": ["1 cup milk", "200 g flour", "2 eggs"]}
    pantry = ["100 ml milk", "150 ml milk", "1 cup flour", "1 egg"]
    snap = list(pantry)
    check = pantry_check(recipe, pantry)
    assert pantry == snap
    assert check["have"] == ["milk"]
    assert check["missing"] == ["flour"]
    assert check["short"] == [{"name": "egg", "need": 2, "have": 1, "unit": "each"}]
    bigger = pantry_check(recipe, pantry, servings=4)
    assert bigger["have"] == []
    assert [s["name"] for s in bigger["short"]] == ["egg", "milk"]


def test_pantry_check_empty_inputs():
    empty = {"name": "E", "servings": 1, "ingredients": []}
    assert pantry_check(empty, []) == {"have": [], "missing": [], "short": []}
    one = {"name": "O", "servings": 1, "ingredients": ["1 egg", "pepper"]}
    assert pantry_check(one, []) == {"have": [], "missing": ["egg", "pepper"], "short": []}


def test_pantry_check_random_against_reference():
    rng = random.Random(7)
    recipes = random_recipes(rng, 25)
    for recipe in recipes:
        pantry = [random_line(rng) for _ in range(12)]
        check = pantry_check(recipe, pantry)
        parsed = [parse_ingredient(p) for p in pantry]
        for line in recipe["ingredients"]:
            ing = parse_ingredient(line)
            if ing["quantity"] is None:
                present = any(p["name"] == ing["name"] for p in parsed)
                assert ing["name"] in (check["have"] if present else check["missing"])
                continue
            need, kind = to_base(ing["quantity"], ing["unit"])
            got = None
            for p in parsed:
                if p["name"] == ing["name"] and p["quantity"] is not None:
                    a, k = to_base(p["quantity"], p["unit"])
                    if k == kind:
                        got = (got or 0) + a
            if got is None:
                assert ing["name"] in check["missing"]
            elif got >= need:
                assert ing["name"] in check["have"]
            else:
                assert ing["name"] in [s["name"] for s in check["short"]]


def test_can_make_edges():
    recipes = [{"name": "Zed", "servings": 1, "ingredients": []},
               {"name": "Alpha", "servings": 1, "ingredients": ["1 egg"]},
               {"name": "Beta", "servings": 2, "ingredients": ["2 eggs"]}]
    assert can_make(recipes, []) == ["Zed"]
    assert can_make(recipes, ["2 eggs"]) == ["Alpha", "Beta", "Zed"]
    assert can_make(recipes, ["3 eggs"], servings=3) == ["Alpha", "Beta", "Zed"]
    assert can_make(recipes, ["1 egg", "1 egg"], servings=3) == ["Zed"]


def test_plan_nutrition_empty_and_sums():
    assert plan_nutrition([], []) == {}
    recipes = [{"name": "S", "servings": 1, "ingredients": ["100 g sugar"]}]
    plan = [{"day": 3, "meal": "a", "recipe": "S", "servings": 1},
            {"day": 3, "meal": "b", "recipe": "s", "servings": 2}]
    assert plan_nutrition(plan, recipes) == {3: {"kcal": 1161.0, "protein": 0.0, "fat": 0.0,
                                                 "carbs": 300.0}}
