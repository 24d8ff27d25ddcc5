import copy
import itertools
import random

import pytest

from geoshapes import area, centroid, contains, density_grid, kmeans, smooth, transform_all
from geoshapes.grid import hotspots
from geoshapes.polygons import count_large_triangles, signed_area
from geoshapes.transforms import apply, compose, identity, matmul, rotation, scaling, translation
from geoshapes.vectors import cross, mean_point


def test_polygon_errors_and_orientation() -> None:
    with pytest.raises(ValueError):
        area([(0, 0), (1, 1)])
    with pytest.raises(ValueError):
        centroid([(0, 0), (1, 1), (2, 2)])
    clockwise = [(0, 0), (0, 1), (1, 1), (1, 0)]
    assert signed_area(clockwise) == -1.0 and area(clockwise) == 1.0
    assert contains(clockwise, (0, 0.5))
    with pytest.raises(ValueError):
        mean_point([])


def test_matrices() -> None:
    a = [[1.0, 2.0], [3.0, 4.0]]
    b = [[5.0, 6.0, 7.0], [8.0, 9.0, 10.0]]
    assert matmul(a, b) == [[21.0, 24.0, 27.0], [47.0, 54.0, 61.0]]
    assert compose([]) == identity()
    chain = [scaling(2), translation(1, 0)]
    assert compose(chain) == matmul(translation(1, 0), scaling(2))
    assert apply(compose(chain), (3.0, 1.0)) == (7.0, 2.0)


def test_transform_all_edges_and_no_mutation() -> None:
    chain = [rotation(30), scaling(2, 3), translation(-1, 4)]
    frozen = copy.deepcopy(chain)
    points = [(1.0, 2.0), (-3.5, 0.25)]
    moved = transform_all(points, chain)
    assert chain == frozen and points == [(1.0, 2.0), (-3.5, 0.25)]
    for p, q in zip(points, moved):
        r = p
        for m in chain:
            r = apply(m, r)
        assert q == pytest.approx(r)
    assert transform_all([], chain) == []
    assert transform_all(points, []) == points


def test_transform_all_accepts_generators_of_points() -> None:
    moved = transform_all(((float(i), 0.0) for i in range(3)), [translation(1, 1)])
    assert moved == [(1.0, 1.0), (2.0, 1.0), (3.0, 1.0)]


def test_density_grid_edges() -> None:
    grid = density_grid([(-0.1, 0), (0, -0.1), (3.0, 0), (2.999, 1.999)], 1.0, 3, 2)
    assert grid == [[0, 0, 0], [0, 0, 1]]
    assert density_grid([], 2.0, 2, 1) == [[0, 0]]


def test_smooth_matches_brute_force_and_keeps_input() -> None:
    rng = random.Random(6)
    grid = [[rng.randint(0, 9) for _ in range(7)] for _ in range(5)]
    original = copy.deepcopy(grid)
    for radius in (0, 1, 2, 4):
        s = smooth(grid, radius)
        for r in range(5):
            for c in range(7):
                cells = [grid[i][j] for i in range(5) for j in range(7)
                         if abs(i - r) <= radius and abs(j - c) <= radius]
                assert s[r][c] == pytest.approx(sum(cells) / len(cells))
    assert grid == original
    assert smooth([]) == []
    assert hotspots([[1, 5], [7, 2]], 5) == [(0, 1), (1, 0)]


def test_triangle_count_matches_itertools() -> None:
    rng = random.Random(1)
    pts = [(rng.uniform(0, 10), rng.uniform(0, 10)) for _ in range(25)]
    expected = sum(1 for a, b, c in itertools.combinations(pts, 3)
                   if abs(cross(a, b, c)) / 2 >= 12.0)
    assert count_large_triangles(pts, 12.0) == expected
    assert count_large_triangles(pts[:2], 0.0) == 0


def test_kmeans_errors_and_empty_cluster() -> None:
    with pytest.raises(ValueError):
        kmeans([(0, 0), (0, 0)], 2)
    pts = [(0.0, 0.0), (0.0, 0.0), (5.0, 5.0), (100.0, 100.0)]
    centres, labels = kmeans(pts, 3, iterations=2)
    assert labels == [0, 0, 1, 2]
    assert centres == [(0.0, 0.0), (5.0, 5.0), (100.0, 100.0)]
    centres, labels = kmeans(pts, 2, iterations=0)
    assert labels == [0, 0, 0, 0]
