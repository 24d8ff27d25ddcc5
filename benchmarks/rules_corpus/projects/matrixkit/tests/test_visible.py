import math

from matrixkit import (
    correlation_matrix,
    covariance_matrix,
    least_squares,
    matmul,
    mean,
    ranks,
    solve,
    standardize,
    stdev,
    transpose,
    variance,
)

DATA = [[1.0, 2.0, 5.0], [2.0, 4.0, 5.0], [3.0, 6.5, 5.0], [4.0, 7.5, 5.0]]


def test_moments():
    assert mean([1.0, 2.0, 6.0]) == 3.0
    assert variance([1.0, 2.0, 3.0, 4.0]) == 5 / 3
    assert math.isclose(stdev([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]), 2.138089935299395)


def test_products():
    assert transpose([[1, 2, 3], [4, 5, 6]]) == [[1, 4], [2, 5], [3, 6]]
    assert matmul([[1, 2], [3, 4]], [[5, 6], [7, 8]]) == [[19.0, 22.0], [43.0, 50.0]]
    assert solve([[2.0, 1.0], [1.0, 3.0]], [3.0, 5.0]) == [0.8, 1.4]


def test_standardize():
    z = standardize(DATA)
    assert [round(row[0], 6) for row in z] == [-1.161895, -0.387298, 0.387298, 1.161895]
    assert all(row[2] == 0.0 for row in z)


def test_covariance_and_correlation():
    cov = covariance_matrix(DATA)
    assert math.isclose(cov[0][0], 5 / 3) and cov[0][1] == cov[1][0]
    corr = correlation_matrix(DATA)
    assert corr[0][0] == 1.0 and corr[2][2] == 1.0 and corr[0][2] == 0.0
    assert 0.98 < corr[0][1] < 1.0


def test_ranks_and_fit():
    assert ranks([30, 10, 20, 10]) == [4, 1, 3, 1]
    x = [[float(i)] for i in range(10)]
    y = [2.0 + 3.0 * i for i in range(10)]
    b0, b1 = least_squares(x, y)
    assert math.isclose(b0, 2.0) and math.isclose(b1, 3.0)
