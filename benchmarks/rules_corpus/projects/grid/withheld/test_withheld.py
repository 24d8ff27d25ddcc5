import pytest

from grid import blur, column_totals, demand, shortest_walks


def test_walks_floats_and_inf():
    inf = float("inf")
    d = [[0, inf, 2.5], [inf, 0, inf], [1.0, 0.5, 0]]
    out = shortest_walks(d)
    assert out[0][1] == 3.0
    assert out[1][0] == inf
    assert d[0][1] == inf


def test_walks_empty():
    assert shortest_walks([]) == []


def test_demand_rectangular_and_errors():
    assert demand([[1, 2, 3]], [[1], [1], [1]]) == [[6]]
    with pytest.raises(IndexError):
        demand([[1]], [[1], [2]])


def test_columns_ragged_raises():
    with pytest.raises(IndexError):
        column_totals([[1, 2], [3]])


def test_blur_single():
    assert blur([[7]]) == [[7.0]]
