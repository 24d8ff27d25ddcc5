"""Journey planning: interchanges, fewest changes, earliest arrival, shortest time."""

from .network import MINUTES_PER_DAY, format_time, parse_time


def stop_minutes(trip, network):
    """(station code, minutes) for each call of a trip, carrying on past midnight."""
    result = []
    last = None
    day = 0
    for code, hhmm in trip.times(network):
        value = parse_time(hhmm) + day
        if last is not None and value < last:
            day += MINUTES_PER_DAY
            value += MINUTES_PER_DAY
        result.append((code, value))
        last = value
    return result


def connections(network):
    """Every (line_a, line_b, station) where two lines share a station."""
    found = []
    for i, first in enumerate(network.lines):
        for second in network.lines[i + 1:]:
            for code in first.stops:
                if code in second.stops:
                    found.append((first.line_id, second.line_id, code))
    return found


def interchange_stations(network):
    """Codes of stations served by two or more lines, sorted."""
    codes = []
    for _, _, code in connections(network):
        if code not in codes:
            codes.append(code)
    return sorted(codes)


def fewest_changes(network, origin, destination):
    """Route using the fewest changes of line, or None if there is none."""
    network.station(origin)
    network.station(destination)
    if origin == destination:
        return {"changes": 0, "lines": []}
    links = connections(network)
    start = sorted(line.line_id for line in network.lines_at(origin))
    goal = [line.line_id for line in network.lines_at(destination)]
    queue = [[line_id] for line_id in start]
    seen = list(start)
    while queue:
        path = queue.pop(0)
        current = path[-1]
        if current in goal:
            return {"changes": len(path) - 1, "lines": path}
        neighbours = []
        for a, b, _ in links:
            if a == current and b not in neighbours:
                neighbours.append(b)
            elif b == current and a not in neighbours:
                neighbours.append(a)
        for nxt in sorted(neighbours):
            if nxt not in seen:
                seen.append(nxt)
                queue.append(path + [nxt])
    return None


def earliest_arrival(network, origin, destination, depart):
    """Earliest arrival at destination leaving origin at or after `depart`.

    Dijkstra over stations where an edge is a ride on a timetabled trip.
    Returns a dict with arrival, minutes and legs, or None if unreachable.
    """
    start = parse_time(depart)
    network.station(origin)
    network.station(destination)
    best = {origin: start}
    previous = {}
    done = []
    queue = [(start, origin)]
    while queue:
        queue.sort()
        now, code = queue.pop(0)
        if code in done:
            continue
        done.append(code)
        if code == destination:
            break
        for line in network.lines_at(code):
            trips = sorted(network.trips_for(line.line_id), key=lambda t: parse_time(t.departure))
            for direction in ("F", "R"):
                # trains never overtake, so the first one we can catch is the best one
                for trip in trips:
                    if trip.direction != direction:
                        continue
                    if parse_time(trip.departure) + line.total_minutes() < now:
                        continue
                    calls = stop_minutes(trip, network)
                    board_time = None
                    for stop, minute in calls:
                        if board_time is None:
                            if stop == code and minute >= now:
                                board_time = minute
                            continue
                        if stop not in best or minute < best[stop]:
                            best[stop] = minute
                            previous[stop] = (code, line.line_id, board_time, minute)
                            queue.append((minute, stop))
                    if board_time is not None:
                        break
    if destination not in best:
        return None
    legs = []
    stop = destination
    while stop != origin:
        came_from, line_id, board_time, minute = previous[stop]
        legs.append({
            "line": line_id,
            "from": came_from,
            "to": stop,
            "depart": format_time(board_time),
            "arrive": format_time(minute),
        })
        stop = came_from
    legs.reverse()
    return {
        "arrival": format_time(best[destination]),
        "minutes": best[destination] - start,
        "legs": legs,
    }


def build_graph(network):
    """Adjacency lists of (neighbour, run minutes) for both directions of every line."""
    graph = {}
    for station in network.stations:
        graph[station.code] = []
    for line in network.lines:
        for i in range(len(line.stops) - 1):
            a = line.stops[i]
            b = line.stops[i + 1]
            graph[a].append((b, line.run_minutes[i]))
            graph[b].append((a, line.run_minutes[i]))
    return graph


def shortest_travel_time(network, origin, destination):
    """Least riding time between two stations ignoring the timetable."""
    graph = build_graph(network)
    if origin not in graph:
        raise KeyError(origin)
    if destination not in graph:
        raise KeyError(destination)
    infinity = float("inf")
    dist = {code: infinity for code in graph}
    prev = {}
    dist[origin] = 0
    unvisited = list(graph)
    while unvisited:
        current = None
        for code in unvisited:
            if current is None or dist[code] < dist[current]:
                current = code
            elif dist[code] == dist[current] and code < current:
                current = code
        if dist[current] == infinity:
            break
        unvisited.remove(current)
        if current == destination:
            break
        for nxt, minutes in graph[current]:
            if dist[current] + minutes < dist[nxt]:
                dist[nxt] = dist[current] + minutes
                prev[nxt] = current
    if dist[destination] == infinity:
        return None
    path = [destination]
    while path[-1] != origin:
        path.append(prev[path[-1]])
    path.reverse()
    return {"minutes": dist[destination], "path": path}
