"""Shortest journeys, hop counts and isochrones."""

from __future__ import annotations

from transit.network import neighbors


def shortest_path(links, origin, destination):
    """(minutes, [stops]) of a fastest journey, or None when the destination is unreachable.

    Among equally fast journeys the one found first wins, so results are stable for a given
    network file.
    """
    if origin == destination:
        return 0.0, [origin]
    dist = {origin: 0.0}
    previous = {}
    frontier = [origin]
    done = set()
    while frontier:
        current = min(frontier, key=lambda stop: dist[stop])
        frontier.remove(current)
        if current == destination:
            break
        done.add(current)
        for nxt, minutes, _ in neighbors(links, current):
            if nxt in done:
                continue
            candidate = dist[current] + minutes
            if nxt not in dist or candidate < dist[nxt]:
                dist[nxt] = candidate
                previous[nxt] = current
                if nxt not in frontier:
                    frontier.append(nxt)
    if destination not in previous:
        return None
    path = [destination]
    while path[-1] != origin:
        path.append(previous[path[-1]])
    path.reverse()
    return dist[destination], path


def hops_from(links, origin):
    """Fewest links from `origin` to every reachable stop (breadth first)."""
    hops = {origin: 0}
    queue = [origin]
    while queue:
        current = queue.pop(0)
        for nxt, _, _ in neighbors(links, current):
            if nxt not in hops:
                hops[nxt] = hops[current] + 1
                queue.append(nxt)
    return hops


def reachable_within(links, origin, minutes):
    """Stops reachable within `minutes`, sorted by travel time then name."""
    result = []
    for stop in hops_from(links, origin):
        found = shortest_path(links, origin, stop)
        if found is not None and found[0] <= minutes:
            result.append((found[0], stop))
    result.sort()
    return [stop for _, stop in result]
