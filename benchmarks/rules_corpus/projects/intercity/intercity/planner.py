"""Earliest-arrival journey planning over the timed services of a network."""

from decimal import Decimal

from .parsing import DAY_TYPES, format_time


class Planner:
    """Plans journeys with interchanges.

    A journey is a list of legs ``(service_id, board_code, dep, alight_code, arr)``. Changing
    trains at a station needs at least that station's minimum change time; staying on the
    same train does not, and neither does the first boarding at the origin.
    """

    def __init__(self, network):
        self.network = network

    def _check(self, origin, dest, day):
        self.network.station(origin)
        self.network.station(dest)
        if day not in DAY_TYPES:
            raise ValueError(f"unknown day type {day!r}")

    def plan(self, origin, dest, day, depart_after=0):
        """Earliest-arriving journey, or None when ``dest`` cannot be reached that day."""
        self._check(origin, dest, day)
        if depart_after < 0:
            raise ValueError("departure time cannot be negative")
        if origin == dest:
            return []
        net = self.network
        at_station = {}
        for service in net.services_on(day):
            for station, _ in service.calls():
                at_station.setdefault(station, []).append(service)
        best = {origin: depart_after}
        came_from = {}
        done = []
        frontier = [origin]
        while frontier:
            code = min(frontier, key=lambda c: (best[c], c))
            frontier.remove(code)
            if code == dest:
                break
            done.append(code)
            ready = best[code]
            if code != origin:
                ready += net.station(code).min_change
            for service in at_station.get(code, []):
                calls = service.calls()
                pos = [station for station, _ in calls].index(code)
                minute = calls[pos][1]
                if minute < ready:
                    continue
                for station, arrival in calls[pos + 1 :]:
                    if station in done:
                        continue
                    if station not in best or arrival < best[station]:
                        if station not in best:
                            frontier.append(station)
                        best[station] = arrival
                        came_from[station] = (service.service_id, code, minute)
        if dest not in best:
            return None
        legs = []
        code = dest
        while code != origin:
            service_id, board, dep = came_from[code]
            legs.append((service_id, board, dep, code, best[code]))
            code = board
        legs.reverse()
        return legs

    def arrival_time(self, origin, dest, day, depart_after=0):
        legs = self.plan(origin, dest, day, depart_after)
        if legs is None:
            return None
        return legs[-1][4] if legs else depart_after

    def journey_fare(self, legs, day, fares, railcards=()):
        """Cheapest tickets for a planned journey, each leg priced on its own."""
        net = self.network
        total = Decimal("0.00")
        for service_id, board, dep, alight, _ in legs:
            route = []
            for code, _ in net.service(service_id).calls():
                if code == board or route:
                    route.append(code)
                if code == alight:
                    break
            zones = [net.station(code).zone for code in route]
            cost, _ = fares.cheapest_split(zones, fares.is_peak(day, dep), railcards)
            total += cost
        return total

    def describe(self, legs):
        net = self.network
        if not legs:
            return "no travel needed"
        out = []
        for service_id, board, dep, alight, arr in legs:
            out.append(
                f"{format_time(dep)} {net.station(board).name} -> {format_time(arr)} "
                f"{net.station(alight).name} ({service_id}, plat "
                f"{net.platform_for(service_id, board)})"
            )
        changes = len(legs) - 1
        out.append(
            f"{changes} change{'s' if changes != 1 else ''}, "
            f"{legs[-1][4] - legs[0][2]} min on the move"
        )
        return "\n".join(out)
