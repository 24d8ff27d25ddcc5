"""Workload: 120 stops, road closures, 400 jobs for 6 couriers, tours improved by 2-opt.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random

from dispatch import (
    assign_jobs,
    close_roads,
    distance_matrix,
    find_stop,
    load_stops,
    shift_summary,
)

N_STOPS, N_JOBS, N_CLOSED = 120, 400, 40
COURIERS = ["ana", "ben", "cho", "dev", "eli", "fay"]


def make_stops(rng: random.Random) -> str:
    lines = ["# code x y minutes", "DEPOT 0 0 0"]
    for i in range(1, N_STOPS):
        lines.append(f"s{i:03d} {rng.uniform(-12, 12):.3f} {rng.uniform(-12, 12):.3f} "
                     f"{rng.choice([2, 3, 5, 8])}")
    return "\n".join(lines)


def main() -> None:
    rng = random.Random(77)
    stops = load_stops(make_stops(rng))
    matrix = distance_matrix(stops)
    closed = [(rng.randrange(N_STOPS), rng.randrange(N_STOPS)) for _ in range(N_CLOSED)]
    roads = close_roads(matrix, [(a, b) for a, b in closed if a != b])
    print(f"{len(stops)} stops; longest detour {max(max(row) for row in roads):.3f} km")
    jobs = []
    for job_id in range(N_JOBS):
        code = f"S{rng.randrange(1, N_STOPS):03d}"
        jobs.append((rng.randrange(0, 480, 5), find_stop(stops, code), job_id))
    plan = assign_jobs(jobs, COURIERS, roads, stops, batch=40)
    print(f"{len(plan)} trips; first {plan[0][:3]}")
    summary = shift_summary(plan, stops)
    print(f"summary {summary[:2]}")
    digest = hashlib.sha256(repr((roads[5], plan, summary)).encode()).hexdigest()[:16]
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()
