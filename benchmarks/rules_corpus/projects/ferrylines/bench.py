"""Workload: a day of a harbour city's ferries and shuttle buses, planned, priced and reported.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random

from ferrylines import (
    Network,
    daily_fares,
    departures_board,
    describe,
    plan_requests,
    revenue,
    service_report,
)

AREAS = ["Harbour", "Old Town", "Market", "Station", "North", "South", "East", "West",
         "North Shore", "Airport", "Bay", "Island", "Cape"]
SUFFIXES = ["Pier", "Quay", "Square", "Terminal", "Road", "Gate"]


def make_stops(rng: random.Random) -> list[str]:
    stops = []
    while len(stops) < 42:
        name = f"{rng.choice(AREAS)} {rng.choice(SUFFIXES)}"
        if rng.random() < 0.3:
            name += f" {rng.randint(1, 4)}"
        if name not in stops:
            stops.append(name)
    return stops


def make_network(rng: random.Random, stops: list[str]) -> Network:
    network = Network("Harbour City Transit")
    for number in range(24):
        mode = "ferry" if number % 3 == 0 else "bus"
        chosen = rng.sample(stops, rng.randint(5, 9))
        offsets = [0]
        for _ in chosen[1:]:
            offsets.append(offsets[-1] + rng.randint(3, 14 if mode == "bus" else 25))
        first = rng.randint(300, 420)
        headway = rng.choice([10, 12, 15, 20, 30, 40])
        departures = []
        t = first
        while t < 23 * 60:
            departures.append(t)
            t += headway + rng.choice([0, 0, 0, 5, -2])
        line_id = f"{'F' if mode == 'ferry' else 'B'}{number:02d}"
        network.add_line(line_id, mode, list(zip(chosen, offsets)), departures)
    return network


def main() -> None:
    rng = random.Random(2024)
    stops = make_stops(rng)
    network = make_network(rng, stops)
    report = service_report(network, top=12)
    print(f"{len(network.lines)} lines, {len(network.stops())} stops")
    print("\n".join(report[-3:]))
    boards = [departures_board(network, stop, 6 * 60, 20 * 60) for stop in network.stops()]
    print(f"boards: {sum(len(b) for b in boards)} daytime departures")
    riders = [f"rider{i:03d}" for i in range(90)]
    requests = []
    for _ in range(240):
        origin, destination = rng.sample(network.stops(), 2)
        requests.append((rng.choice(riders), origin, destination, rng.randint(360, 1200)))
    plans = plan_requests(network, requests)
    found = [legs for _, legs in plans if legs]
    print(f"journeys: {len(found)} of {len(plans)} found")
    print(f"first: {describe(found[0])}")
    fares = daily_fares(network, plans)
    totals = revenue(fares)
    print(f"revenue {totals}")
    texts = [describe(legs) for _, legs in plans]
    digest = hashlib.sha256(repr((report, boards, plans, texts, fares)).encode()).hexdigest()[:16]
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()
