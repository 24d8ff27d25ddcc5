"""recipes: ingredient parsing, unit conversion, scaling, nutrition and meal planning."""

from . import nutrition, parsing, planning, units

__all__ = ["nutrition", "parsing", "planning", "units"]
