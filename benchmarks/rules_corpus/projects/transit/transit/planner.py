"""What the journey planner web page calls."""

from __future__ import annotations

from transit.paths import shortest_path
from transit.timetable import format_hhmm, next_departures, parse_hhmm

ZONES = {
    "1": ["S000", "S001", "S002", "S003", "S004", "S005", "S006", "S007", "S008", "S009"],
    "2": ["S010", "S011", "S012", "S013", "S014", "S015", "S016", "S017", "S018", "S019"],
}
BASE_FARE = 2.10
ZONE_FARE = 0.80


def zone_of(stop):
    for zone, members in ZONES.items():
        if stop in members:
            return zone
    return "3"


def fare(path):
    zones = []
    for stop in path:
        zone = zone_of(stop)
        if zone not in zones:
            zones.append(zone)
    return round(BASE_FARE + ZONE_FARE * (len(zones) - 1), 2)


def plan_journey(links, timetable, origin, destination, depart_after):
    found = shortest_path(links, origin, destination)
    if found is None:
        return None
    minutes, path = found
    departures = next_departures(timetable, origin, depart_after, count=1)
    leave = departures[0][0] if departures else depart_after
    arrive = format_hhmm(parse_hhmm(leave) + minutes)
    return {
        "from": origin,
        "to": destination,
        "leave": leave,
        "arrive": arrive,
        "minutes": round(minutes, 1),
        "stops": len(path),
        "fare": fare(path),
    }


def journey_matrix(links, origins, destinations):
    """Travel minutes between every origin and destination (None when unreachable)."""
    matrix = {}
    for origin in origins:
        for destination in destinations:
            found = shortest_path(links, origin, destination)
            matrix[(origin, destination)] = None if found is None else round(found[0], 1)
    return matrix
