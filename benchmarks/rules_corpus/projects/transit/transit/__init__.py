"""Journey planning on a small city transit network."""

from transit.network import load_network, neighbors, stops
from transit.paths import hops_from, reachable_within, shortest_path
from transit.planner import journey_matrix, plan_journey

__all__ = [
    "hops_from",
    "journey_matrix",
    "load_network",
    "neighbors",
    "plan_journey",
    "reachable_within",
    "shortest_path",
    "stops",
]
