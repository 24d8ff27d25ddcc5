"""Recipes for a canteen kitchen: ingredient catalogue, nutrition per serving, weekly menus."""

from pantry.catalog import clear_catalog, find_ingredient, load_catalog
from pantry.menu import plan_menu, shopping_list
from pantry.nutrition import per_serving, recipe_totals
from pantry.recipes import parse_recipe

__all__ = [
    "clear_catalog",
    "find_ingredient",
    "load_catalog",
    "parse_recipe",
    "per_serving",
    "plan_menu",
    "recipe_totals",
    "shopping_list",
]
