"""Workload: a 100-node walking matrix, a 60x60 demand product, column totals and a blur.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random

from grid import blur, column_totals, demand, shortest_walks


def main() -> None:
    rng = random.Random(31)
    n = 100
    dist = [[0 if i == j else rng.randint(1, 100) for j in range(n)] for i in range(n)]
    walks = shortest_walks(dist)
    print(f"walk sum {sum(map(sum, walks))}")
    orders = [[rng.randint(0, 9) for _ in range(60)] for _ in range(60)]
    weights = [[rng.randint(0, 9) for _ in range(60)] for _ in range(60)]
    load = demand(orders, weights)
    print(f"load corner {load[0][0]} {load[-1][-1]}")
    heat = [[rng.randint(0, 50) for _ in range(80)] for _ in range(80)]
    cols = column_totals(heat)
    soft = blur(heat)
    print(f"cols {cols[:3]} blur {soft[1][:2]}")
    digest = hashlib.sha256(repr((walks, load, cols, soft)).encode()).hexdigest()[:16]
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()
