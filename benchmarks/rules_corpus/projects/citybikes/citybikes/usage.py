"""Usage histograms and rebalancing suggestions."""

from collections import namedtuple
from itertools import groupby

Suggestion = namedtuple("Suggestion", "hour station_id action bikes")
Move = namedtuple("Move", "hour source target bikes km")


def hourly_histogram(trips):
    """Departures per hour of the day (24 counts)."""
    counts = [0] * 24
    for trip in trips:
        counts[trip.start_hour] += 1
    return counts


def daily_counts(trips):
    """date -> number of trips started that day, in date order."""
    ordered = sorted(trips, key=lambda t: t.day)
    return {day: sum(1 for _ in group) for day, group in groupby(ordered, key=lambda t: t.day)}


def station_usage(trips):
    """station_id -> [departures, arrivals]."""
    usage = {}
    for trip in trips:
        usage.setdefault(trip.origin, [0, 0])[0] += 1
        usage.setdefault(trip.dest, [0, 0])[1] += 1
    return usage


def busiest_stations(trips, k=5):
    """The k stations with most departures plus arrivals: (station_id, total), ties by id."""
    usage = station_usage(trips)
    ranked = sorted(usage.items(), key=lambda item: (-(item[1][0] + item[1][1]), item[0]))
    return [(station_id, dep + arr) for station_id, (dep, arr) in ranked[:k]]


def top_routes(trips, k=5):
    """Most frequent (origin, dest) pairs as ((origin, dest), count), ties by route."""
    routes = sorted((t.origin, t.dest) for t in trips)
    counted = [(route, sum(1 for _ in group)) for route, group in groupby(routes)]
    counted.sort(key=lambda item: (-item[1], item[0]))
    return counted[:k]


def hourly_net_flow(trips, station_id):
    """Arrivals minus departures at one station for each hour of the day."""
    flow = [0] * 24
    for trip in trips:
        if trip.origin == station_id:
            flow[trip.start_hour] -= 1
        if trip.dest == station_id:
            flow[trip.end_hour] += 1
    return flow


def rebalancing_suggestions(network, trips, days, fill=0.5, low=0.15, high=0.85):
    """Simulate an average day at each station.

    Every station starts the day at ``fill`` of its capacity and gains the average net flow
    of each hour. When it goes above ``high`` or below ``low`` of capacity, a crew brings it
    back to ``fill``: a 'collect' or 'deliver' suggestion for that hour.
    Suggestions come sorted by hour, then most bikes first, then station id.
    """
    if days <= 0:
        raise ValueError("days must be positive")
    if not 0.0 <= low < fill < high <= 1.0:
        raise ValueError("need 0 <= low < fill < high <= 1")
    trips = list(trips)
    suggestions = []
    for station in network:
        flow = hourly_net_flow(trips, station.station_id)
        target = station.capacity * fill
        level = target
        for hour in range(24):
            level += flow[hour] / days
            ratio = level / station.capacity
            if ratio > high:
                bikes = round(level - target)
                if bikes > 0:
                    suggestions.append(Suggestion(hour, station.station_id, "collect", bikes))
                level = target
            elif ratio < low:
                bikes = round(target - level)
                if bikes > 0:
                    suggestions.append(Suggestion(hour, station.station_id, "deliver", bikes))
                level = target
    suggestions.sort(key=lambda s: (s.hour, -s.bikes, s.station_id))
    return suggestions


def plan_moves(network, suggestions, max_km=None):
    """Pair each hour's surplus with the nearest stations that need bikes, greedily.

    Returns Move tuples. Surplus that cannot be placed within max_km (or at all) is left out.
    """
    moves = []
    ordered = sorted(suggestions, key=lambda s: (s.hour, -s.bikes, s.station_id))
    for hour, group in groupby(ordered, key=lambda s: s.hour):
        group = list(group)
        need = {s.station_id: s.bikes for s in group if s.action == "deliver"}
        for surplus in group:
            if surplus.action != "collect":
                continue
            left = surplus.bikes
            while left > 0 and any(v > 0 for v in need.values()):
                nearest = network.nearest(
                    surplus.station_id,
                    k=1,
                    predicate=lambda s, need=need: need.get(s.station_id, 0) > 0,
                )
                if not nearest:
                    break
                target = nearest[0].station_id
                km = network.distance(surplus.station_id, target)
                if max_km is not None and km > max_km:
                    break
                bikes = min(left, need[target])
                moves.append(Move(hour, surplus.station_id, target, bikes, km))
                need[target] -= bikes
                left -= bikes
    return moves
