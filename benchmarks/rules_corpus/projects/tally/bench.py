"""Workload: lottery odds over many pools, and a table of 20000 weighted ballots.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random

from tally import arrangements, draw_odds, score_table


def main() -> None:
    rng = random.Random(7)
    odds = []
    for pool in range(100, 400):
        for picked in (5, 6, 7, 8):
            for m in range(picked + 1):
                odds.append(round(draw_odds(pool, picked, m), 12))
    print(f"{len(odds)} odds; jackpot 6/49 {draw_odds(49, 6, 6):.3e}")
    perms = [arrangements(n, n // 3) for n in range(10, 300)]
    print(f"arrangements digits {len(str(perms[-1]))}")
    weights = [rng.choice((1, 2, 0.5)) for _ in range(97)]
    ballots = [(f"v{i}", tuple((i * 7 + j * j * 3 + i // 13) % 6 for j in range(8)),
                weights[i % 97]) for i in range(20000)]
    table = score_table(ballots)
    print(f"top {max(table, key=lambda r: r[1])}")
    digest = hashlib.sha256(repr((odds, perms[-5:], table)).encode()).hexdigest()[:16]
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()
