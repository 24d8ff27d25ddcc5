"""Itinerary searches over a FlightNetwork.

An itinerary is a tuple ``(depart, arrive, fare, legs)`` where ``legs`` is a tuple of
flight numbers.  A connection at an airport needs at least that airport's minimum
connection time between arrival and the next departure.
"""

from __future__ import annotations

from flights.times import format_duration, format_minutes


def _check_ends(net, origin: str, dest: str) -> None:
    net.airport(origin)
    net.airport(dest)
    if origin == dest:
        raise ValueError("origin and destination are the same airport")


def _itinerary(net, legs: tuple[str, ...]) -> tuple:
    first = net.flight(legs[0])
    last = net.flight(legs[-1])
    fare = 0
    for number in legs:
        fare += net.flight(number)[5]
    return (first[3], last[4], fare, legs)


def earliest_arrival(net, origin: str, dest: str, depart_after: int = 0):
    """The itinerary reaching ``dest`` soonest, leaving ``origin`` at or after ``depart_after``."""
    _check_ends(net, origin, dest)
    best = {origin: depart_after}
    frontier = [(depart_after, origin, ())]
    done = []
    while frontier:
        item = min(frontier)
        frontier.remove(item)
        time, code, legs = item
        if code in done:
            continue
        done.append(code)
        if code == dest:
            return _itinerary(net, legs)
        ready = time + net.min_connection(code) if legs else time
        for flight in net.departures(code):
            if flight[3] < ready or flight[2] in done:
                continue
            if flight[4] < best.get(flight[2], float("inf")):
                best[flight[2]] = flight[4]
                frontier.append((flight[4], flight[2], legs + (flight[0],)))
    return None


def cheapest(net, origin: str, dest: str, depart_after: int = 0):
    """The lowest-fare itinerary; among equal fares the one arriving first."""
    _check_ends(net, origin, dest)
    frontier = [(f[5], f[4], (f[0],)) for f in net.departures(origin, depart_after)]
    done = []
    while frontier:
        frontier.sort()
        cost, arrive, legs = frontier.pop(0)
        last = net.flight(legs[-1])
        if last[0] in done:
            continue
        done.append(last[0])
        if last[2] == dest:
            return _itinerary(net, legs)
        ready = arrive + net.min_connection(last[2])
        for flight in net.departures(last[2], ready):
            if flight[0] not in done:
                frontier.append((cost + flight[5], flight[4], legs + (flight[0],)))
    return None


def alternatives(net, origin: str, dest: str, k: int = 3, depart_after: int = 0,
                 max_legs: int = 3) -> list[tuple]:
    """Up to ``k`` cheapest itineraries of at most ``max_legs`` flights, never revisiting
    an airport, ordered by fare, then arrival, then flight numbers."""
    _check_ends(net, origin, dest)
    if k < 1:
        raise ValueError("k must be at least 1")
    if max_legs < 1:
        raise ValueError("max_legs must be at least 1")
    found = []
    frontier = [(f[5], f[4], (f[0],), (origin, f[2]))
                for f in net.departures(origin, depart_after)]
    while frontier and len(found) < k:
        frontier.sort()
        cost, arrive, legs, path = frontier.pop(0)
        here = path[-1]
        if here == dest:
            found.append(_itinerary(net, legs))
            continue
        if len(legs) >= max_legs:
            continue
        ready = arrive + net.min_connection(here)
        for flight in net.departures(here, ready):
            if flight[2] in path:
                continue
            frontier.append((cost + flight[5], flight[4], legs + (flight[0],),
                             path + (flight[2],)))
    return found


def describe(net, itinerary) -> list[str]:
    """Printable lines for an itinerary: one per leg, one per connection, then a total."""
    depart, arrive, fare, legs = itinerary
    lines = []
    previous = None
    for number in legs:
        flight = net.flight(number)
        origin = net.airport(flight[1])
        dest = net.airport(flight[2])
        if previous is not None:
            wait = flight[3] - previous[4]
            lines.append(f"  connect at {origin[0]} ({origin[1]}): {format_duration(wait)}")
        lines.append(
            f"{number:<7} {origin[0]} {format_minutes(flight[3])} -> "
            f"{dest[0]} {format_minutes(flight[4])}  {flight[5]:>5}"
        )
        previous = flight
    stops = len(legs) - 1
    lines.append(
        f"total {fare}, {format_duration(arrive - depart)} door to door, "
        f"{stops} connection{'s' if stops != 1 else ''}"
    )
    return lines
