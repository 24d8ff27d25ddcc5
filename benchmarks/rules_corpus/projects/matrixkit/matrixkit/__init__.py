"""Statistics and matrix helpers over lists of lists (rows of observations)."""

from matrixkit.basic import column, identity, matmul, shape, solve, transpose, zeros
from matrixkit.stats import (
    correlation_matrix,
    covariance_matrix,
    least_squares,
    mean,
    ranks,
    spearman_matrix,
    standardize,
    stdev,
    variance,
)

__all__ = [
    "column",
    "correlation_matrix",
    "covariance_matrix",
    "identity",
    "least_squares",
    "matmul",
    "mean",
    "ranks",
    "shape",
    "solve",
    "spearman_matrix",
    "standardize",
    "stdev",
    "transpose",
    "variance",
    "zeros",
]
