"""Workload: a city network of a few hundred stops; a journey matrix, plans and isochrones.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random

from transit import hops_from, journey_matrix, load_network, plan_journey, reachable_within, stops
from transit.network import lines_at


def make_network(rng: random.Random, n: int) -> list[str]:
    rows = ["# a,b,minutes,line"]
    for line_no in range(10):
        stop = rng.randrange(n)
        for _ in range(40):
            nxt = (stop + rng.randint(1, 25)) % n
            if nxt != stop:
                rows.append(f"S{stop:03d},S{nxt:03d},{rng.randint(1, 9)},L{line_no}")
            stop = nxt
    for i in range(n - 1):
        rows.append(f"S{i:03d},S{i + 1:03d},{rng.randint(3, 12)},walk")
    return rows


def make_timetable(rng: random.Random, n: int) -> list[dict]:
    entries = []
    for _ in range(2500):
        h, m = rng.randrange(5, 24), rng.randrange(60)
        entries.append({"stop": f"S{rng.randrange(n):03d}", "time": f"{h:02d}:{m:02d}",
                        "line": f"L{rng.randrange(14)}"})
    return entries


def main() -> None:
    rng = random.Random(77)
    links = load_network(make_network(rng, 200))
    timetable = make_timetable(rng, 200)
    names = stops(links)
    origins = [f"S{i:03d}" for i in rng.sample(range(200), 4)]
    destinations = [f"S{i:03d}" for i in rng.sample(range(200), 4)]
    matrix = journey_matrix(links, origins, destinations)
    plans = [plan_journey(links, timetable, o, d, "07:30") for o, d in zip(origins, destinations)]
    iso = reachable_within(links, "S150", 15)
    hops = hops_from(links, "S150")
    interchange = [s for s in names[:60] if len(lines_at(links, s)) >= 3]
    digest = hashlib.sha256(repr(sorted(matrix.items())).encode()).hexdigest()[:16]
    print(f"{len(links)} links, {len(names)} stops, matrix sha256 {digest}")
    print(f"matrix sample {[matrix[(o, destinations[0])] for o in origins]}")
    for plan in plans:
        print(plan)
    print(f"within 15 min of S150: {len(iso)} stops, first {iso[:6]}")
    print(f"max hops from S150: {max(hops.values())}, interchanges {len(interchange)}")


if __name__ == "__main__":
    main()
