"""Workload: 420 observations of 10 related measures, their moments, correlations and a fit.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random

from matrixkit import (
    correlation_matrix,
    covariance_matrix,
    least_squares,
    matmul,
    spearman_matrix,
    standardize,
)

ROWS, COLS = 420, 10


def make_data(rng: random.Random) -> tuple[list[list[float]], list[float]]:
    data, target = [], []
    for _ in range(ROWS):
        base = rng.gauss(0, 1)
        row = [round(base * (j % 4) + rng.gauss(0, 1 + j / 5), 2) for j in range(COLS)]
        row[3] = float(rng.randint(1, 9))  # a coarse score: many ties
        data.append(row)
        target.append(3.0 + sum((j + 1) * 0.1 * v for j, v in enumerate(row)) + rng.gauss(0, 0.5))
    return data, target


def rounded(m: list[list[float]], digits: int = 9) -> list[list[float]]:
    return [[round(v, digits) for v in row] for row in m]


def main() -> None:
    rng = random.Random(2718)
    data, target = make_data(rng)
    z = standardize(data)
    print(f"z corner {[round(v, 6) for v in z[0][:4]]}")
    cov = covariance_matrix(data)
    corr = correlation_matrix(data)
    rank_corr = spearman_matrix(data)
    print(f"var {[round(cov[i][i], 4) for i in range(4)]}, corr01 {corr[0][1]:.6f}, "
          f"spearman03 {rank_corr[0][3]:.6f}")
    coef = least_squares(data, target)
    print(f"fit {[round(c, 4) for c in coef[:5]]}")
    mix = [[rng.uniform(-1, 1) for _ in range(60)] for _ in range(60)]
    power = matmul(matmul(mix, mix), mix)
    print(f"mix trace {sum(power[i][i] for i in range(60)):.6f}")
    digest = hashlib.sha256(
        repr((rounded(z), rounded(cov), rounded(corr), rounded(rank_corr), rounded([coef]),
              rounded(power))).encode()
    ).hexdigest()[:16]
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()
