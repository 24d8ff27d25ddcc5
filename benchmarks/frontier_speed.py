"""The time of a textbook O(V²) Dijkstra (every place in the frontier at first, `min` with a
key) before and after the `keyed-frontier` rewrite, on square grids of growing size, side by
side in one process: the median of five runs of each, and their ratio (after / before).

Goal: ratio < 1 from a few hundred places, falling as the grid grows; the same distances.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from agent.engines.rules import Step, run_step
from agent.engines.rules.project import project_for

SOURCE = """
def by_list(adj, start):
    dist = {start: 0}
    frontier = list(adj)
    while frontier:
        here = min(frontier, key=lambda n: dist.get(n, float("inf")))
        frontier.remove(here)
        if here not in dist:
            break
        for nxt, w in adj[here]:
            if nxt not in dist or dist[here] + w < dist[nxt]:
                dist[nxt] = dist[here] + w
    return dist


def by_set(adj, start):
    dist = {n: float("inf") for n in adj}
    dist[start] = 0
    unvisited = set(dist)
    while unvisited:
        here = min(unvisited, key=lambda n: (dist[n], n))
        unvisited.remove(here)
        for nxt, w in adj[here]:
            if nxt in unvisited and dist[here] + w < dist[nxt]:
                dist[nxt] = dist[here] + w
    return dist
"""


def functions(text: str) -> dict[str, Any]:
    space: dict[str, Any] = {}
    exec(compile(text, "frontier_bench", "exec"), space)
    return space


def grid(side: int) -> dict[tuple[int, int], list[tuple[tuple[int, int], int]]]:
    rng = random.Random(side)
    steps = ((0, 1), (1, 0), (0, -1), (-1, 0))
    return {
        (r, c): [
            ((r + dr, c + dc), rng.randint(1, 9))
            for dr, dc in steps
            if 0 <= r + dr < side and 0 <= c + dc < side
        ]
        for r in range(side)
        for c in range(side)
    }


def timed(fn: Callable[..., Any], *args: Any) -> tuple[float, Any]:
    began = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - began, out


def main() -> None:
    texts = {"frontier_bench.py": SOURCE}
    for name in ("by_list", "by_set"):
        run_step(
            texts,
            Step("keyed-frontier", "frontier_bench.py", name),
            project=project_for(texts),
            verify=False,
        )
    before, after = functions(SOURCE), functions(texts["frontier_bench.py"])
    print(
        f"{'places':>7}  {'frontier':<8} {'before ms':>10} {'after ms':>9} {'ratio':>6}  same  reps"
    )
    for side in (10, 20, 30, 40):
        adj = grid(side)
        for name in ("by_list", "by_set"):
            old, new = [], []
            for _ in range(5):
                t_old, d_old = timed(before[name], adj, (0, 0))
                t_new, d_new = timed(after[name], adj, (0, 0))
                old.append(t_old)
                new.append(t_new)
            ratio = statistics.median(new) / statistics.median(old)
            print(
                f"{side * side:>7}  {name[3:]:<8} {statistics.median(old) * 1e3:>10.2f} "
                f"{statistics.median(new) * 1e3:>9.2f} {ratio:>6.2f}  {d_old == d_new!s:<5} 5"
            )


if __name__ == "__main__":
    main()
