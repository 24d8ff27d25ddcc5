import copy
import math
import random

import pytest

from matrixkit import (
    correlation_matrix,
    covariance_matrix,
    least_squares,
    matmul,
    mean,
    ranks,
    shape,
    solve,
    spearman_matrix,
    standardize,
    transpose,
    variance,
)


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def close_matrix(a, b):
    return len(a) == len(b) and all(
        len(ra) == len(rb) and all(close(x, y) for x, y in zip(ra, rb)) for ra, rb in zip(a, b)
    )


def test_errors():
    with pytest.raises(ValueError):
        shape([[1.0, 2.0], [3.0]])
    with pytest.raises(ValueError):
        mean([])
    with pytest.raises(ValueError):
        variance([1.0])
    with pytest.raises(ValueError):
        covariance_matrix([[1.0, 2.0]])
    with pytest.raises(ValueError):
        standardize([[1.0, 2.0]])
    with pytest.raises(ValueError):
        matmul([[1.0, 2.0]], [[1.0, 2.0]])
    with pytest.raises(ZeroDivisionError):
        solve([[1.0, 2.0], [2.0, 4.0]], [1.0, 2.0])
    with pytest.raises(ValueError):
        least_squares([[1.0], [2.0]], [1.0])


def test_empty_shapes():
    assert standardize([]) == []
    assert standardize([[], []]) == [[], []]
    assert transpose([]) == []
    assert ranks([]) == []
    assert matmul([[1.0, 2.0]], [[3.0], [4.0]]) == [[11.0]]
    assert matmul([[2]], [[3]]) == [[6.0]]


def test_ties_and_constant_columns():
    assert ranks([2.0, 2.0, 2.0]) == [1, 1, 1]
    assert ranks([3, 1, 3, 2, 1]) == [4, 1, 4, 3, 1]
    data = [[1.0, 7.0, 0.5], [1.0, 8.0, 0.5], [1.0, 9.0, 0.25]]
    z = standardize(data)
    assert [row[0] for row in z] == [0.0, 0.0, 0.0]
    corr = correlation_matrix(data)
    assert corr[0] == [1.0, 0.0, 0.0] and corr[1][0] == 0.0
    spear = spearman_matrix(data)
    assert spear[0][0] == 1.0 and close(spear[1][2], -math.sqrt(3) / 2)


def test_inputs_not_mutated():
    data = [[1.0, 2.0], [3.0, 5.0], [4.0, 4.0]]
    y = [1.0, 2.0, 2.5]
    before, before_y = copy.deepcopy(data), list(y)
    standardize(data)
    covariance_matrix(data)
    spearman_matrix(data)
    least_squares(data, y)
    matmul(data, transpose(data))
    a = [[2.0, 1.0], [1.0, 3.0]]
    solve(a, [1.0, 1.0])
    assert data == before and y == before_y and a == [[2.0, 1.0], [1.0, 3.0]]


def straight_cov(m):
    n = len(m)
    cols = list(zip(*m))
    means = [sum(c) / n for c in cols]
    return [[sum((a - mi) * (b - mj) for a, b in zip(ci, cj)) / (n - 1)
             for cj, mj in zip(cols, means)] for ci, mi in zip(cols, means)]


def test_larger_matches_straightforward():
    rng = random.Random(3)
    data = [[rng.gauss(0, 1) * (j + 1) + (i % 7) for j in range(6)] for i in range(90)]
    data = [row[:5] + [float(rng.randint(1, 4))] for row in data]
    cov = covariance_matrix(data)
    assert close_matrix(cov, straight_cov(data))
    assert all(cov[i][j] == cov[j][i] for i in range(6) for j in range(6))
    z = standardize(data)
    for j in range(6):
        col = [row[j] for row in data]
        mu = sum(col) / len(col)
        sd = math.sqrt(sum((v - mu) ** 2 for v in col) / (len(col) - 1))
        assert all(close(z[i][j], (data[i][j] - mu) / sd) for i in range(len(data)))
    corr = correlation_matrix(data)
    assert all(close(corr[i][j], cov[i][j] / math.sqrt(cov[i][i] * cov[j][j]))
               for i in range(6) for j in range(6) if i != j)
    for j in range(6):
        col = [row[j] for row in data]
        expected = [sum(1 for w in col if w < v) + 1 for v in col]
        assert ranks(col) == expected
    a = [[rng.uniform(-2, 2) for _ in range(7)] for _ in range(5)]
    b = [[rng.uniform(-2, 2) for _ in range(4)] for _ in range(7)]
    expected = [[sum(a[i][k] * b[k][j] for k in range(7)) for j in range(4)] for i in range(5)]
    assert close_matrix(matmul(a, b), expected)
    coef = least_squares([row[:2] for row in data], [2.0 * r[0] - r[1] + 1.0 for r in data])
    assert all(close(c, e) for c, e in zip(coef, [1.0, 2.0, -1.0]))
