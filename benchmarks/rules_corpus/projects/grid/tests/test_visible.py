from grid import blur, column_totals, demand, shortest_walks


def test_walks():
    d = [[0, 5, 1], [5, 0, 1], [1, 1, 0]]
    assert shortest_walks(d) == [[0, 2, 1], [2, 0, 1], [1, 1, 0]]
    assert d[0][1] == 5


def test_demand():
    assert demand([[1, 2]], [[1, 0], [0, 1]]) == [[1, 2]]


def test_columns_and_blur():
    g = [[1, 2], [3, 4]]
    assert column_totals(g) == [4, 6]
    assert blur(g) == [[2.5, 2.5], [2.5, 2.5]]
