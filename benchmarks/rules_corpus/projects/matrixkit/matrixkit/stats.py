"""Column statistics of an observation matrix (one row per observation, one column per variable)."""

import math

from matrixkit.basic import column, matmul, shape, solve, transpose, zeros


def mean(values):
    if not values:
        raise ValueError("mean of no values")
    total = 0.0
    for v in values:
        total += v
    return total / len(values)


def variance(values):
    """Sample variance (n - 1 in the denominator)."""
    if len(values) < 2:
        raise ValueError("variance needs at least two values")
    mu = mean(values)
    total = 0.0
    for v in values:
        total += (v - mu) * (v - mu)
    return total / (len(values) - 1)


def stdev(values):
    return math.sqrt(variance(values))


def standardize(m):
    """A new matrix of z-scores per column; a constant column becomes all zeros."""
    rows, cols = shape(m)
    out = zeros(rows, cols)
    for i in range(rows):
        for j in range(cols):
            values = column(m, j)
            sd = stdev(values)
            if sd == 0.0:
                out[i][j] = 0.0
            else:
                out[i][j] = (m[i][j] - mean(values)) / sd
    return out


def covariance_matrix(m):
    """cols x cols sample covariances."""
    rows, cols = shape(m)
    if rows < 2:
        raise ValueError("covariance needs at least two observations")
    cov = zeros(cols, cols)
    for i in range(cols):
        for j in range(cols):
            mi = mean(column(m, i))
            mj = mean(column(m, j))
            total = 0.0
            for r in range(rows):
                total += (m[r][i] - mi) * (m[r][j] - mj)
            cov[i][j] = total / (rows - 1)
    return cov


def correlation_matrix(m):
    """Pearson correlations; 0.0 where a column is constant (1.0 on its diagonal)."""
    cov = covariance_matrix(m)
    n = len(cov)
    out = zeros(n, n)
    for i in range(n):
        for j in range(n):
            denom = math.sqrt(cov[i][i]) * math.sqrt(cov[j][j])
            if i == j:
                out[i][j] = 1.0
            elif denom == 0.0:
                out[i][j] = 0.0
            else:
                out[i][j] = cov[i][j] / denom
    return out


def ranks(values):
    """1-based ranks; tied values all get the lowest rank of their group."""
    ordered = sorted(values)
    return [ordered.index(v) + 1 for v in values]


def spearman_matrix(m):
    """Rank correlations: Pearson correlations of the column ranks."""
    rows, cols = shape(m)
    ranked_cols = [ranks(column(m, j)) for j in range(cols)]
    ranked = [[float(ranked_cols[j][i]) for j in range(cols)] for i in range(rows)]
    return correlation_matrix(ranked)


def least_squares(x, y):
    """Coefficients [intercept, b1, ..., bk] of y ~ x by the normal equations."""
    rows, cols = shape(x)
    if len(y) != rows:
        raise ValueError("x and y have different numbers of observations")
    design = [[1.0] + list(x[i]) for i in range(rows)]
    xt = transpose(design)
    xtx = matmul(xt, design)
    xty = [row[0] for row in matmul(xt, [[v] for v in y])]
    return solve(xtx, xty)
