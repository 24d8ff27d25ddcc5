"""Trip planning on top of the graph search: routes, multi-stop trips, printable itineraries."""

from routes.graph import shortest_paths


def path_to(prev, start, goal):
    """The places from start to goal following `prev` links, or [] when goal was not reached."""
    if goal == start:
        return [start]
    if goal not in prev:
        return []
    path = [goal]
    while path[-1] != start:
        path.append(prev[path[-1]])
    path.reverse()
    return path


def route(edges, start, goal):
    """(km, [start, ..., goal]) for the shortest route, or None when there is none."""
    dist, prev = shortest_paths(edges, start)
    if goal not in dist:
        return None
    return dist[goal], path_to(prev, start, goal)


def trip(edges, stops):
    """Visit `stops` in order: (total km, legs) where each leg is (from, to, km, places)."""
    if len(stops) < 2:
        raise ValueError("a trip needs at least two stops")
    legs = []
    total = 0
    for a, b in zip(stops, stops[1:]):
        found = route(edges, a, b)
        if found is None:
            raise LookupError(f"no road from {a} to {b}")
        km, places = found
        legs.append((a, b, km, places))
        total += km
    return total, legs


def itinerary(total, legs):
    """Printable lines for a planned trip."""
    lines = []
    for number, (a, b, km, places) in enumerate(legs, start=1):
        via = " > ".join(places[1:-1]) or "direct"
        lines.append(f"{number:>2}. {a} to {b}: {km} km via {via}")
    lines.append(f"    total {total} km over {len(legs)} legs")
    return "\n".join(lines)
