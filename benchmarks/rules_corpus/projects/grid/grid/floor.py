"""Index-arithmetic code over nested lists, written with while loops."""

from __future__ import annotations


def shortest_walks(dist):
    """All-pairs shortest walking distance (Floyd-Warshall) over a square matrix, copied."""
    n = len(dist)
    d = [row[:] for row in dist]
    k = 0
    while k < n:
        i = 0
        while i < n:
            j = 0
            while j < n:
                if d[i][k] + d[k][j] < d[i][j]:
                    d[i][j] = d[i][k] + d[k][j]
                j += 1
            i += 1
        k += 1
    return d


def demand(orders, weights):
    """orders (m x p) times weights (p x q): expected load per aisle."""
    m, p, q = len(orders), len(weights), len(weights[0])
    out = [[0] * q for _ in range(m)]
    for i in range(m):
        for j in range(q):
            for t in range(p):
                out[i][j] += orders[i][t] * weights[t][j]
    return out


def column_totals(grid):
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


def blur(heat):
    h, w = len(heat), len(heat[0])
    out = []
    for y in range(h):
        row = []
        for x in range(w):
            acc = 0
            cnt = 0
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    yy, xx = y + dy, x + dx
                    if 0 <= yy < h and 0 <= xx < w:
                        acc += heat[yy][xx]
                        cnt += 1
            row.append(round(acc / cnt, 6))
        out.append(row)
    return out
