"""Journey search with up to two changes between lines."""

from __future__ import annotations

from ferrylines.network import Network, format_time, offset_at, trip_times

MIN_TRANSFER = 5


def next_trip(network: Network, line_id: str, stop: str, ready: int):
    """The first trip of the line leaving ``stop`` at or after ``ready``.

    Returns ``(departure_from_first_stop, time_at_stop)`` or None. A trip cannot be boarded at
    its last stop.
    """
    line = network.get_line(line_id)
    offset = offset_at(line, stop)
    if offset is None or line[2][-1][0] == stop:
        return None
    for departure in line[3]:
        if departure + offset >= ready:
            return departure, departure + offset
    return None


def _extend(network, stop, ready, legs, max_legs, min_transfer, destination, found):
    for line_id in network.lines_at(stop):
        if legs and legs[-1][0] == line_id:
            continue
        trip = next_trip(network, line_id, stop, ready)
        if trip is None:
            continue
        departure, board_time = trip
        line = network.get_line(line_id)
        for alight, arrive in trip_times(line, departure):
            if arrive <= board_time:
                continue
            path = legs + [(line_id, stop, board_time, alight, arrive)]
            if alight == destination:
                found.append(path)
            elif len(path) < max_legs:
                _extend(network, alight, arrive + min_transfer, path, max_legs, min_transfer,
                        destination, found)


def journeys(network: Network, origin: str, destination: str, depart_after: int,
             min_transfer: int = MIN_TRANSFER, max_changes: int = 2) -> list[list[tuple]]:
    """Every journey from origin to destination, best first.

    A journey is a list of legs ``(line_id, board_stop, board_time, alight_stop, alight_time)``.
    At each stop the rider takes the first trip of a line that can be caught; a change needs
    ``min_transfer`` minutes and must be to a different line. Journeys are ordered by arrival
    time, then number of legs, then the legs themselves.
    """
    if min_transfer < 0:
        raise ValueError("min_transfer must not be negative")
    if max_changes < 0:
        raise ValueError("max_changes must not be negative")
    known = network.stops()
    if origin not in known:
        raise KeyError(origin)
    if destination not in known:
        raise KeyError(destination)
    if origin == destination:
        raise ValueError("origin and destination are the same stop")
    found: list[list[tuple]] = []
    _extend(network, origin, depart_after, [], max_changes + 1, min_transfer, destination, found)
    found.sort(key=lambda path: (path[-1][4], len(path), path))
    return found


def find_journey(network: Network, origin: str, destination: str, depart_after: int,
                 min_transfer: int = MIN_TRANSFER, max_changes: int = 2):
    """The best journey (see ``journeys``) or None when the destination cannot be reached."""
    found = journeys(network, origin, destination, depart_after, min_transfer, max_changes)
    return found[0] if found else None


def describe(legs) -> str:
    """A one-line text of a journey."""
    if not legs:
        return "no journey"
    parts = []
    for line_id, board, board_time, alight, arrive in legs:
        parts.append(f"{format_time(board_time)} {board} -[{line_id}]-> "
                     f"{format_time(arrive)} {alight}")
    changes = len(legs) - 1
    minutes = legs[-1][4] - legs[0][2]
    return "; ".join(parts) + f" ({minutes} min, {changes} change{'' if changes == 1 else 's'})"


def plan_requests(network: Network, requests, min_transfer: int = MIN_TRANSFER):
    """Best journeys for a list of ``(rider, origin, destination, depart_after)`` requests.

    Returns ``(rider, legs)`` pairs in request order; legs is None when there is no journey.
    """
    plans = []
    for rider, origin, destination, depart_after in requests:
        plans.append((rider, find_journey(network, origin, destination, depart_after,
                                          min_transfer)))
    return plans
