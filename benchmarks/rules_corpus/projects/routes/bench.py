"""Workload: a 20x20 grid of towns with missing and extra roads, searched many ways.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random

from routes import components, hops_from, hubs, itinerary, make_edges, route, trip

SIDE = 20


def town(row: int, col: int) -> str:
    return f"T{row:02d}{col:02d}"


def make_roads(rng: random.Random) -> list[tuple[str, str, int]]:
    roads = []
    for r in range(SIDE):
        for c in range(SIDE):
            if c + 1 < SIDE and rng.random() < 0.9:
                roads.append((town(r, c), town(r, c + 1), rng.randint(3, 30)))
            if r + 1 < SIDE and rng.random() < 0.9:
                roads.append((town(r, c), town(r + 1, c), rng.randint(3, 30)))
    for _ in range(SIDE * SIDE // 4):
        a = town(rng.randrange(SIDE), rng.randrange(SIDE))
        b = town(rng.randrange(SIDE), rng.randrange(SIDE))
        roads.append((a, b, rng.randint(20, 90)))
    # a few islands with ferries only between themselves
    for i in range(6):
        roads.append((f"I{i}a", f"I{i}b", rng.randint(5, 15)))
    return roads


def main() -> None:
    rng = random.Random(404)
    edges = make_edges(make_roads(rng))
    groups = components(edges)
    print(f"{len(edges)} edges, {len(groups)} components, largest {len(groups[0])}")
    print(f"hubs {hubs(edges, top=4)}")
    hop_totals = []
    for start in (town(0, 0), town(19, 19), town(10, 5), town(3, 17), town(12, 12)):
        hops = hops_from(edges, start)
        hop_totals.append((start, len(hops), max(hops.values()), sum(hops.values())))
    print(f"hops {hop_totals[:2]}")
    pairs = [(town(rng.randrange(SIDE), rng.randrange(SIDE)),
              town(rng.randrange(SIDE), rng.randrange(SIDE))) for _ in range(6)]
    routes = [route(edges, a, b) for a, b in pairs]
    print(f"routes km {[r[0] if r else None for r in routes]}")
    stops = [town(0, 0), town(5, 15), town(19, 19), town(15, 2), town(8, 8), town(0, 19)]
    total, legs = trip(edges, stops)
    text = itinerary(total, legs)
    print(f"trip {total} km, {sum(len(leg[3]) for leg in legs)} places")
    digest = hashlib.sha256(repr((groups, hop_totals, routes, text)).encode()).hexdigest()[:16]
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()
