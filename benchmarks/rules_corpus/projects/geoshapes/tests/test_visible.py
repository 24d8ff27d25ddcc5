import pytest

from geoshapes import (
    area,
    centroid,
    compose,
    contains,
    density_grid,
    kmeans,
    perimeter,
    rotation,
    smooth,
    transform_all,
    translation,
)
from geoshapes.polygons import convex_hull, count_large_triangles

SQUARE = [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)]


def test_polygon_measures() -> None:
    assert area(SQUARE) == 4.0
    assert perimeter(SQUARE) == 8.0
    assert centroid(SQUARE) == pytest.approx((1.0, 1.0))
    assert contains(SQUARE, (1, 1)) and contains(SQUARE, (2, 1)) and not contains(SQUARE, (3, 1))


def test_transforms_apply_in_order() -> None:
    moved = transform_all([(1.0, 0.0)], [rotation(90), translation(5, 0)])
    assert moved[0] == pytest.approx((5.0, 1.0))
    m = compose([translation(1, 2), translation(3, 4)])
    assert m[0][2] == 4.0 and m[1][2] == 6.0


def test_grid_and_smooth() -> None:
    grid = density_grid([(0.5, 0.5), (1.5, 0.5), (1.6, 0.4), (9, 9)], 1.0, 3, 2)
    assert grid == [[1, 2, 0], [0, 0, 0]]
    s = smooth(grid, 1)
    assert s[0][0] == pytest.approx(3 / 4)
    assert s[1][2] == pytest.approx(2 / 4)


def test_kmeans_and_hull() -> None:
    pts = [(0, 0), (0, 1), (10, 10), (10, 11), (0, 0.5)]
    centres, labels = kmeans(pts, 2, iterations=3)
    assert labels == [0, 0, 1, 1, 0]
    assert centres[1] == pytest.approx((10.0, 10.5))
    assert convex_hull([(0, 0), (1, 0), (1, 1), (0, 1), (0.5, 0.5)]) == [
        (0, 0), (1, 0), (1, 1), (0, 1)]
    assert count_large_triangles(SQUARE, 2.0) == 4
