"""Corpus for growing lists sorted again and again (sorted-shadow): medians and top values
of what has been seen so far, with equal values that are distinguishable (1 and True) and
a list the function also hands back; and folds whose update is spelled out (`p = p * x`)."""

from __future__ import annotations

import statistics
from decimal import Decimal
from statistics import median_high


def running_medians(values: list[int]) -> list[int]:
    seen: list[int] = []
    out = []
    for v in values:
        seen.append(v)
        ordered = sorted(seen)
        out.append(ordered[len(ordered) // 2])
    return out


def running_tops(words):
    lengths = []
    tops = []
    for w in words:
        lengths.append(len(w))
        tops.append(tuple(sorted(lengths)[-2:]))
    return tops, len(lengths)


def seen_in_order(values: list[int]) -> tuple[list[int], list[list[int]]]:
    seen: list[int] = []
    snapshots = []
    for v in values:
        if v % 3:
            seen.append(v)
        snapshots.append(sorted(seen))
    return seen, snapshots


# --- folds with the update spelled out (math-prod, int-sum) ---------------------------------


def spelled_product(xs: list[int]) -> int:
    p = 1
    for x in xs:
        p = p * x
    return p


def spelled_total(xs: list[int]) -> int:
    t = 0
    for x in xs:
        if x % 2:
            t = t + x
    return t


# --- counting while loops (while-range) and hand-written factorials (math-comb) --------------


def while_column_sums(grid: list[list[int]]) -> list[int]:
    totals = []
    c = 0
    while c < len(grid[0]):
        s = 0
        r = 0
        while r < len(grid):
            s += grid[r][c]
            r += 1
        totals.append(s)
        c += 1
    return totals


def while_inclusive(xs: list[int], n: int) -> list[int]:
    last = len(xs) - 1
    out = []
    i = 1
    while i <= last:
        if xs[i] > n:
            break
        out.append(xs[i] - xs[i - 1])
        i = i + 1
    return out


def while_counter_read_after(xs: list[int]) -> int:
    n = len(xs)
    i = 0
    while i < n:
        if xs[i] < 0:
            break
        i += 1
    return i


def while_with_continue(xs: list[int]) -> int:
    n = len(xs)
    total = 0
    i = 0
    while i < n:
        i += 1
        if xs[i - 1] % 2:
            continue
        total += xs[i - 1]
    return total


def hand_factorial(n: int) -> int:
    result = 1
    k = 2
    while k <= n:
        result = result * k
        k += 1
    return result


def hand_choose(n: int, k: int) -> int:
    return hand_factorial(n) // (hand_factorial(k) * hand_factorial(n - k))


def checked_factorial(n):
    if not isinstance(n, int) or n < 0:
        raise ValueError(f"no factorial of {n!r}")
    acc = 1
    for i in range(n):
        acc = acc * (i + 1)
    return acc


def checked_choose(n, k):
    """math-comb through a factorial that checks its argument first (bools and floats reach
    the check, negative counts raise)."""
    return checked_factorial(n) // checked_factorial(k) // checked_factorial(n - k)


# --- a growing list of unknown values sorted again (sorted-shadow-guarded) ------------------


def running_top(values: list[object], k: int) -> list[tuple[object, ...]]:
    seen = []
    out = []
    for v in values:
        seen.append(v)
        out.append(tuple(sorted(seen, reverse=True)[:k]))
    return out


def running_sorted_ids(values: list[object]) -> list[list[int]]:
    seen = []
    out = []
    for v in values:
        if v != 3:
            seen.append(v)
        out.append([repr(x) for x in sorted(seen)])
    return out


# --- a running balance and peak of values of unknown kind (running-min-max-guarded) --------


def running_balances(values: list[object]) -> list[tuple[object, object]]:
    seen = []
    out = []
    for v in values:
        seen.append(v)
        out.append((sum(seen), max(seen)))
    return out


def running_ledger(values: list[object]) -> list[tuple[object, object]]:
    pnls = []
    peaks = []
    out = []
    for v in values:
        pnls.append(v)
        balance = sum(pnls, Decimal(0))
        peaks.append(balance)
        out.append((balance, min(peaks)))
    return out


def peaks_logged(values: list[object], log: list[object]) -> list[object]:
    """A caller's list changes between the append and the max: a value the running max
    cannot take must raise where `max` raises, after the log line, not before it."""
    seen = []
    out = []
    for v in values:
        seen.append(v)
        log.append(v)
        out.append(max(seen))
    return out


# --- a column's statistics again for every row (hoist-per-counter) -------------------------


def column_of(m: list[list[int]], j: int) -> list[int]:
    return [row[j] for row in m]


def spread(values: list[int]) -> int:
    if len(values) < 2:
        raise ValueError("a spread needs two values")
    low = values[0]
    high = values[0]
    for v in values:
        low = min(low, v)
        high = max(high, v)
    return high - low


def centred_by_column(m: list[list[int]], rows: int, cols: int) -> list[list[int]]:
    out = []
    for i in range(rows):
        line = []
        for j in range(cols):
            values = column_of(m, j)
            s = spread(values)
            line.append(m[i][j] * 10 - s)
        out.append(line)
    return out


def column_gaps(m: list[list[int]], cols: int) -> dict[tuple[int, int], int]:
    gaps = {}
    for i, _row in enumerate(m):
        for j in range(cols):
            gaps[(i, j)] = max(column_of(m, j)) - m[i][0]
    return gaps


# --- positions found with index() again and again (index-map) ------------------------------


def rank_positions(values: list[float]) -> list[int]:
    ordered = sorted(values)
    return [ordered.index(v) + 1 for v in values]


def positions_of_queries(items: list[object], queries: list[object]) -> list[object]:
    out = []
    for q in queries:
        try:
            out.append(items.index(q))
        except ValueError:
            out.append(None)
    return out


# --- a list that grows and is searched as it grows (growing-positions) ----------------------


def totals_in_first_seen_order(pairs: list[tuple[object, int]]) -> tuple[list[object], list[int]]:
    keys = []
    totals = []
    for key, amount in pairs:
        if key in keys:
            totals[keys.index(key)] += amount
        else:
            keys.append(key)
            totals.append(amount)
    return keys, totals


def running_statistics_medians(values: list[object]) -> list[object]:
    """`statistics.median` of a growing list of values of unknown order (NaN, -0.0, 1 and
    1.0 and True, a str that does not compare): guarded, so any odd value drops the twin."""
    seen = []
    out = []
    for v in values:
        seen.append(v)
        out.append(statistics.median(seen))
    return out


def running_high_medians(values: list[int]) -> list[int]:
    """`median_high` of a growing list of ints: one order family, so no guard."""
    seen: list[int] = []
    out = []
    for v in values:
        seen.append(int(v))
        out.append(median_high(seen))
    return out


def nearest_first(adj, start):
    """Dijkstra over an untyped frontier of (distance, place) tuples: distances may be ints,
    floats (NaN among them) or bools, places any value; `min` and the heap must agree on
    which tuple leaves, and raise where the list raised."""
    dist = {start: 0}
    order = []
    frontier = [(0, start)]
    while frontier:
        best = min(frontier)
        frontier.remove(best)
        d, place = best
        if place in order:
            continue
        order.append(place)
        for nxt, km in adj.get(place, ()):
            cost = d + km
            if nxt not in dist or cost < dist[nxt]:
                dist[nxt] = cost
                frontier.append((cost, nxt))
    return order, dist


def keyed_nearest(adj, start, goal):
    """The O(V²) Dijkstra: every place in the frontier at first, the one of smallest
    distance picked by `min` with a key that stores change; distances may be ints, floats
    (NaN among them) or bools, places any value, and of equal distances the earliest place
    in the frontier goes first."""
    dist = {start: 0}
    prev = {}
    frontier = list(adj)
    while frontier:
        here = min(frontier, key=lambda p: dist.get(p, 99))
        frontier.remove(here)
        if here == goal:
            break
        for nxt, km in adj.get(here, ()):
            cost = dist.get(here, 99) + km
            if nxt not in dist or cost < dist[nxt]:
                if nxt not in frontier:
                    frontier.append(nxt)
                dist[nxt] = cost
                prev[nxt] = here
    return dist, prev, len(frontier)


def keyed_unvisited(adj, places, start):
    """Dijkstra over a set of unvisited places, keyed by (distance, place)."""
    best = {p: 9 for p in places}
    best[start] = 0
    unvisited = set(best)
    order = []
    while unvisited:
        here = min(unvisited, key=lambda p: (best[p], p))
        unvisited.discard(here)
        order.append(here)
        for nxt, km in adj.get(here, ()):
            if nxt in unvisited and best[here] + km < best[nxt]:
                best[nxt] = best[here] + km
    return order, best


def shares_of_total(amount, members):
    """Each member's part of the amount: the total summed again for every member, read as
    an operand only."""
    out = []
    for name, shares in members:
        total = sum(s for _, s in members)
        out.append((name, amount * shares / total))
    return out


def ahead_counts(values):
    """Competition ranks: the values above each value, counted again for every value."""
    return [1 + sum(1 for other in values if other > value) for value in values]


def at_least_rows(rows, limits):
    """How many rows score at least each limit, the comparison written limit first."""
    return [len([r for r in rows if limit <= r["score"]]) for limit in limits]


def loop_ranks(values):
    """Competition ranks counted by a loop that adds one per value above."""
    out = []
    for value in values:
        position = 1
        for other in values:
            if other > value:
                position += 1
        out.append(position)
    return out


def drain_sorted(values, extra):
    """The smallest value taken by sort-then-pop(0) from a list of any values, refilled."""
    todo = list(values)
    out = []
    while len(todo) > 0:
        todo.sort()
        x = todo.pop(0)
        out.append(x)
        if len(out) < 4:
            todo.append(extra)
    return out
