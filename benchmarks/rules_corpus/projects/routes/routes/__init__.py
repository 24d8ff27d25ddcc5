"""Road networks as edge lists: reachability, hop counts, shortest routes, hubs, itineraries."""

from routes.graph import (
    components,
    hops_from,
    hubs,
    make_edges,
    neighbours,
    nodes_of,
    shortest_paths,
)
from routes.plan import itinerary, path_to, route, trip

__all__ = [
    "components",
    "hops_from",
    "hubs",
    "itinerary",
    "make_edges",
    "neighbours",
    "nodes_of",
    "path_to",
    "route",
    "shortest_paths",
    "trip",
]
