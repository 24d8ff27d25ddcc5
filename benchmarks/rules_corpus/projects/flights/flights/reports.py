"""Timetable reports: per-airline routes, airport hub figures and delay knock-on."""

from __future__ import annotations

from flights.times import airline_of, format_duration, format_minutes


def airline_report(net, airline: str | None = None) -> list[str]:
    airlines = []
    for flight in net.flights:
        code = airline_of(flight[0])
        if code not in airlines:
            airlines.append(code)
    airlines.sort()
    if airline is not None:
        airlines = [code for code in airlines if code == airline]
    lines = []
    for code in airlines:
        own = [f for f in net.flights if airline_of(f[0]) == code]
        routes = sorted({(f[1], f[2]) for f in own})
        total = 0
        for flight in own:
            total += flight[5]
        longest = max(own, key=lambda f: (f[4] - f[3], f[0]))
        block = format_duration(longest[4] - longest[3])
        lines.append(
            f"{code}: {len(own)} flights on {len(routes)} routes, average fare "
            f"{total / len(own):.2f}, longest {longest[0]} {block}"
        )
        for origin, dest in routes:
            legs = [f for f in own if f[1] == origin and f[2] == dest]
            legs.sort(key=lambda f: (f[3], f[0]))
            times = ", ".join(format_minutes(f[3]) for f in legs)
            lowest = min(f[5] for f in legs)
            lines.append(
                f"  {origin}-{dest} ({net.airport(origin)[1]} to {net.airport(dest)[1]}): "
                f"{len(legs)} x [{times}] from {lowest}"
            )
    return lines


def hub_stats(net, top: int | None = None, max_wait: int = 240) -> list[tuple]:
    """Per airport: ``(code, departures, arrivals, carriers, connections, busiest_hour)``.

    A connection is an arrival followed by a departure to a different airport than the
    arrival came from, with a wait between the minimum connection time and ``max_wait``.
    Rows are ordered by connections, then departures (both descending), then code.
    """
    if top is not None and top < 0:
        raise ValueError("top must not be negative")
    rows = []
    for code, _name, min_connect in net.airports:
        outs = net.departures(code)
        ins = net.arrivals(code)
        carriers = {airline_of(f[0]) for f in outs + ins}
        connections = 0
        for arriving in ins:
            for leaving in outs:
                wait = leaving[3] - arriving[4]
                if min_connect <= wait <= max_wait and leaving[2] != arriving[1]:
                    connections += 1
        hours = {}
        for flight in outs:
            hour = (flight[3] // 60) % 24
            hours[hour] = hours.get(hour, 0) + 1
        busiest = max(sorted(hours), key=lambda h: hours[h]) if hours else None
        rows.append((code, len(outs), len(ins), len(carriers), connections, busiest))
    rows.sort(key=lambda row: (-row[4], -row[1], row[0]))
    return rows if top is None else rows[:top]


def propagate_delays(net, initial: dict[str, int], max_hold: int = 30,
                     max_wait: int = 240) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """Knock-on delays when departing flights wait for late connecting passengers.

    A planned connection is an arrival and a departure from the arrival airport to
    another airport, with a scheduled wait between the minimum connection time and
    ``max_wait``.  A departure is held for a late arrival for at most ``max_hold``
    minutes; beyond that the connection is broken.  Returns the delay of every delayed
    flight (by flight number) and the sorted broken ``(arrival, departure)`` pairs.
    """
    delays = {}
    for number, minutes in initial.items():
        net.flight(number)
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 0:
            raise ValueError(f"bad delay {minutes!r} for {number}")
        delays[number] = minutes
    broken = []
    queue = sorted(delays)
    while queue:
        number = queue.pop(0)
        flight = net.flight(number)
        mct = net.min_connection(flight[2])
        ready = flight[4] + delays[number] + mct
        for leaving in net.flights:
            if leaving[1] != flight[2] or leaving[2] == flight[1]:
                continue
            planned = leaving[3] - flight[4]
            if planned < mct or planned > max_wait:
                continue
            if ready <= leaving[3] + delays.get(leaving[0], 0):
                continue
            needed = ready - leaving[3]
            if needed > max_hold:
                if (number, leaving[0]) not in broken:
                    broken.append((number, leaving[0]))
                continue
            delays[leaving[0]] = needed
            if leaving[0] not in queue:
                queue.append(leaving[0])
    return dict(sorted(delays.items())), sorted(broken)
