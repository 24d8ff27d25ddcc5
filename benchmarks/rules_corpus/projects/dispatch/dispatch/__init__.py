"""Courier dispatch: stops as tuples, a distance matrix as nested lists, tours and a shift plan."""

from dispatch.plan import assign_jobs, shift_summary
from dispatch.routes import close_roads, distance_matrix, nearest_tour, tour_length, two_opt
from dispatch.stops import find_stop, load_stops

__all__ = [
    "assign_jobs",
    "close_roads",
    "distance_matrix",
    "find_stop",
    "load_stops",
    "nearest_tour",
    "shift_summary",
    "tour_length",
    "two_opt",
]
