"""Earliest-arrival journeys over the timetable's sailings, with transfers."""


class Journey:
    def __init__(self, legs):
        if not legs:
            raise ValueError("a journey needs at least one sailing")
        self.legs = list(legs)

    @property
    def origin(self):
        return self.legs[0].origin

    @property
    def destination(self):
        return self.legs[-1].destination

    @property
    def departure(self):
        return self.legs[0].departure

    @property
    def arrival(self):
        return self.legs[-1].arrival

    @property
    def transfers(self):
        return len(self.legs) - 1

    def fare(self, adults, children=0, vehicle=None):
        fares = self.legs[0].timetable.fares
        return sum(fares.quote(leg.route, leg.departure, adults, children, vehicle)
                   for leg in self.legs)

    def __repr__(self):
        return f"Journey({' '.join(leg.sailing_id for leg in self.legs)})"


def _search(timetable, origin_code, depart_after, passengers, max_transfers):
    """Round-based search: after round k, ``best`` holds the earliest arrival at
    every port using at most k+1 sailings."""
    origin = timetable.port(origin_code)
    if passengers < 1:
        raise ValueError("passengers must be at least 1")
    if max_transfers < 0:
        raise ValueError("max_transfers cannot be negative")
    best = {origin.code: (depart_after, [])}
    for _ in range(max_transfers + 1):
        improved = {}
        for code, (ready, legs) in list(best.items()):
            for sailing in sorted(timetable.sailings, key=lambda s: s.departure):
                if sailing.origin.code != code:
                    continue
                earliest = ready + sailing.origin.min_transfer if legs else ready
                if sailing.departure < earliest:
                    continue
                if sailing.seats_left < passengers:
                    continue
                target = sailing.destination.code
                if target == origin.code:
                    continue
                known = [best[target][0]] if target in best else []
                if target in improved:
                    known.append(improved[target][0])
                if not known or sailing.arrival < min(known):
                    improved[target] = (sailing.arrival, legs + [sailing])
        if not improved:
            break
        best.update(improved)
    return best


def earliest_arrival(timetable, origin, destination, depart_after, passengers=1,
                     max_transfers=2):
    """Journey reaching ``destination`` as early as possible, leaving ``origin``
    at or after ``depart_after``; fewer sailings win ties.  None if unreachable."""
    if timetable.port(origin) == timetable.port(destination):
        raise ValueError("origin and destination are the same port")
    best = _search(timetable, origin, depart_after, passengers, max_transfers)
    found = best.get(timetable.port(destination).code)
    if found is None:
        return None
    return Journey(found[1])


def reachable_ports(timetable, origin, depart_after, passengers=1, max_transfers=2):
    """Earliest arrival time at every other port reachable from ``origin``."""
    best = _search(timetable, origin, depart_after, passengers, max_transfers)
    origin_code = timetable.port(origin).code
    return {code: arrival for code, (arrival, legs) in sorted(best.items())
            if code != origin_code}
