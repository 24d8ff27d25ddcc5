"""Workload: a site survey: georeference points, rasterize, smooth, cluster and measure plots.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import random

from geoshapes import (
    area,
    centroid,
    compose,
    contains,
    density_grid,
    kmeans,
    perimeter,
    rotation,
    scaling,
    smooth,
    transform_all,
    translation,
)
from geoshapes.grid import hotspots
from geoshapes.polygons import convex_hull, count_large_triangles
from geoshapes.transforms import apply


def main() -> None:
    rng = random.Random(55)
    raw = []
    for _ in range(6):
        cx, cy = rng.uniform(0, 80), rng.uniform(0, 80)
        raw += [(rng.gauss(cx, 6), rng.gauss(cy, 6)) for _ in range(2500)]
    chain = [translation(-40, -40), rotation(12.5), scaling(1.1, 0.95), translation(60, 55)]
    points = transform_all(raw, chain)
    grid = density_grid(points, 1.0, 120, 120)
    smoothed = smooth(grid, 2)
    hot = hotspots(smoothed, 5.0)
    centres, labels = kmeans(points[::6], 6, iterations=6)
    hull = convex_hull(points)
    plots = []
    for _ in range(80):
        x, y = rng.uniform(10, 100), rng.uniform(10, 100)
        w, h = rng.uniform(3, 12), rng.uniform(3, 12)
        plots.append([(x, y), (x + w, y), (x + w, y + h), (x, y + h)])
    inside = sum(1 for p in points[::10] for plot in plots[:20] if contains(plot, p))
    big = count_large_triangles(points[:110], 40.0)
    print(f"{len(points)} points, first {tuple(round(v, 4) for v in points[0])}")
    print(f"check {tuple(round(v, 4) for v in apply(compose(chain), raw[0]))}")
    print(f"grid total {sum(map(sum, grid))}, hotspots {len(hot)}, max smooth "
          f"{max(max(row) for row in smoothed):.4f}")
    print(f"centres {[(round(x, 3), round(y, 3)) for x, y in centres]}")
    print(f"cluster sizes {[labels.count(c) for c in range(6)]}")
    print(f"hull {len(hull)} vertices, area {area(hull):.3f}, perimeter {perimeter(hull):.3f}, "
          f"centroid {tuple(round(v, 3) for v in centroid(hull))}")
    print(f"points in plots {inside}, large triangles {big}")


if __name__ == "__main__":
    main()
