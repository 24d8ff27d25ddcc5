"""Journey planning: earliest arrival over the timetable and fewest transfers over the lines."""

from .network import build_adjacency, get_stop, lines_serving, stop_name
from .timeutil import format_time, parse_time

INFINITY = float("inf")


def earliest_arrival(network, origin, destination, depart):
    """Plan the journey from origin leaving at or after `depart` that arrives first.

    Returns {"arrival": 'HH:MM', "legs": [...], "transfers": n} or None if the destination
    cannot be reached. Each leg is {"trip", "line", "from", "to", "depart", "arrive"}.
    Stops are settled in order of (arrival, stop_id); segments are tried in timetable order and
    a stop's arrival only changes when strictly earlier, so among equally early journeys the one
    found first wins.
    """
    get_stop(network, origin)
    get_stop(network, destination)
    start = parse_time(depart)
    adjacency = build_adjacency(network)
    best = {}
    previous = {}
    for stop in network["stops"]:
        best[stop["stop_id"]] = INFINITY
    best[origin] = start
    unvisited = set(best)
    while unvisited:
        current = min(unvisited, key=lambda s: (best[s], s))
        if best[current] == INFINITY:
            break
        if current == destination:
            break
        unvisited.remove(current)
        for next_stop, dep, arr, trip_id in adjacency.get(current, []):
            if parse_time(dep) < best[current]:
                continue
            if parse_time(arr) < best[next_stop]:
                best[next_stop] = parse_time(arr)
                previous[next_stop] = (current, trip_id, dep, arr)
    if best[destination] == INFINITY:
        return None
    segments = []
    stop = destination
    while stop != origin:
        prev_stop, trip_id, dep, arr = previous[stop]
        segments.insert(0, (trip_id, prev_stop, stop, dep, arr))
        stop = prev_stop
    legs = []
    for trip_id, frm, to, dep, arr in segments:
        if legs and legs[-1]["trip"] == trip_id:
            legs[-1]["to"] = to
            legs[-1]["arrive"] = arr
        else:
            line_id = None
            for trip in network["trips"]:
                if trip["trip_id"] == trip_id:
                    line_id = trip["line_id"]
            leg = {"trip": trip_id, "line": line_id, "from": frm, "to": to}
            leg["depart"] = dep
            leg["arrive"] = arr
            legs.append(leg)
    return {
        "arrival": format_time(best[destination]),
        "legs": legs,
        "transfers": max(len(legs) - 1, 0),
    }


def shares_stop(line_a, line_b):
    for stop in line_a:
        if stop in line_b:
            return True
    return False


def transfer_stops(network, line_a, line_b):
    """Stops where a rider can change from line_a to line_b, in line_a's order."""
    return [s for s in network["lines"][line_a] if s in network["lines"][line_b]]


def fewest_transfers(network, origin, destination):
    """The shortest chain of lines linking origin to destination, by number of changes.

    Returns {"lines": [...], "transfers": n, "changes": [stop_id, ...]} or None. Lines are
    explored breadth first in id order, so ties go to the lexicographically earliest chain.
    """
    get_stop(network, origin)
    get_stop(network, destination)
    if origin == destination:
        return {"lines": [], "transfers": 0, "changes": []}
    start_lines = lines_serving(network, origin)
    queue = [[line_id] for line_id in start_lines]
    seen = set(start_lines)
    while queue:
        path = queue.pop(0)
        last = path[-1]
        if destination in network["lines"][last]:
            changes = []
            for a, b in zip(path, path[1:]):
                changes.append(transfer_stops(network, a, b)[0])
            return {"lines": path, "transfers": len(path) - 1, "changes": changes}
        for other in sorted(network["lines"]):
            if other in seen:
                continue
            if shares_stop(network["lines"][last], network["lines"][other]):
                seen.add(other)
                queue.append(path + [other])
    return None


def describe_journey(network, journey):
    """Human readable lines for a journey returned by earliest_arrival."""
    if journey is None:
        return ["no journey"]
    out = []
    for leg in journey["legs"]:
        ride = parse_time(leg["arrive"]) - parse_time(leg["depart"])
        out.append(
            f"{leg['depart']} line {leg['line']} from {stop_name(network, leg['from'])} "
            f"to {stop_name(network, leg['to'])}, arrive {leg['arrive']} ({ride} min)"
        )
    out.append(f"arrive {journey['arrival']} after {journey['transfers']} transfer(s)")
    return out
