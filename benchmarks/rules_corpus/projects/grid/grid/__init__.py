"""Warehouse floor grids: distances, heat maps and a demand matrix."""

from grid.floor import blur, column_totals, demand, shortest_walks

__all__ = ["blur", "column_totals", "demand", "shortest_walks"]
