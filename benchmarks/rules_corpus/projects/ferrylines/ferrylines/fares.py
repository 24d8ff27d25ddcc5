"""Fare zones, single fares and day passes."""

from __future__ import annotations

import re

from ferrylines.network import Network

# Stops belong to the zone of the area their name starts with (longest match wins).
ZONE_AREAS = {
    "harbour": 1,
    "old town": 1,
    "market": 1,
    "station": 1,
    "north": 2,
    "south": 2,
    "east": 2,
    "west": 2,
    "north shore": 3,
    "airport": 3,
    "bay": 3,
    "island": 4,
    "cape": 4,
}

# Cents by mode and number of zones travelled through (the last entry covers longer rides).
FARES = {
    "ferry": {1: 320, 2: 410, 3: 520, 4: 640},
    "bus": {1: 180, 2: 240, 3: 300, 4: 360},
}

DAY_PASSES = {"bus": 650, "ferry": 1150, "all": 1450}


def normalize_stop(name: str) -> str:
    text = name.strip().lower()
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    text = re.sub(r"\s+", " ", text)
    return text.strip()


def zone_of(stop: str) -> int:
    key = normalize_stop(stop)
    best = None
    for area, zone in ZONE_AREAS.items():
        if key == area or key.startswith(area + " "):
            if best is None or len(area) > len(best[0]):
                best = (area, zone)
    if best is None:
        raise KeyError(stop)
    return best[1]


def leg_fare(network: Network, leg) -> int:
    line_id, board, _, alight, _ = leg
    mode = network.get_line(line_id)[1]
    zones = abs(zone_of(board) - zone_of(alight)) + 1
    table = FARES[mode]
    return table[min(zones, max(table))]


def journey_fare(network: Network, legs) -> int:
    total = 0
    for leg in legs:
        total += leg_fare(network, leg)
    return total


def best_ticket(network: Network, day_legs) -> tuple[int, str]:
    """Cheapest way to pay for all the legs one rider takes in a day.

    Returns ``(cents, ticket)`` where ticket is 'singles' or '<kind> pass'; ties go to singles,
    then to the narrower pass.
    """
    singles = journey_fare(network, day_legs)
    modes = []
    for leg in day_legs:
        mode = network.get_line(leg[0])[1]
        if mode not in modes:
            modes.append(mode)
    options = [(singles, 0, "singles")]
    if modes == ["bus"]:
        options.append((DAY_PASSES["bus"], 1, "bus pass"))
    if modes == ["ferry"]:
        options.append((DAY_PASSES["ferry"], 1, "ferry pass"))
    options.append((DAY_PASSES["all"], 2, "all pass"))
    cost, _, ticket = min(options)
    return cost, ticket


def daily_fares(network: Network, plans) -> dict[str, tuple[int, str]]:
    """Ticket per rider for ``(rider, legs)`` plans; plans without a journey cost nothing."""
    riders = []
    for rider, _ in plans:
        if rider not in riders:
            riders.append(rider)
    result = {}
    for rider in sorted(riders):
        day_legs = []
        for other, legs in plans:
            if other == rider and legs:
                day_legs.extend(legs)
        if day_legs:
            result[rider] = best_ticket(network, day_legs)
        else:
            result[rider] = (0, "none")
    return result


def revenue(fares: dict[str, tuple[int, str]]) -> dict[str, int]:
    """Total cents per ticket kind."""
    totals: dict[str, int] = {}
    for cost, ticket in fares.values():
        totals[ticket] = totals.get(ticket, 0) + cost
    return dict(sorted(totals.items()))
