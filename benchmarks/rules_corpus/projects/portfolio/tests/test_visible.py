import random

import pytest

from portfolio import (
    compound,
    correlation_matrix,
    covariance_matrix,
    load_prices,
    max_drawdown,
    mean,
    portfolio_variance,
    simple_returns,
)
from portfolio.allocation import best_allocations, describe


def test_load_prices_orders_by_date() -> None:
    rows = ["date,ticker,close", "2024-01-02,A,11", "2024-01-01,A,10", "2024-01-01,B,5",
            "2024-01-02,B,6"]
    assert load_prices(rows) == {"A": [10.0, 11.0], "B": [5.0, 6.0]}


def test_returns_and_compound() -> None:
    r = simple_returns([100.0, 110.0, 99.0])
    assert r == pytest.approx([0.1, -0.1])
    assert compound(r) == pytest.approx(0.99)
    assert mean([1.0, 2.0, 6.0]) == 3.0


def test_covariance_against_hand_computation() -> None:
    a = [1.0, 2.0, 3.0, 4.0]
    b = [2.0, 1.0, 4.0, 3.0]
    cov = covariance_matrix([a, b])
    assert cov[0][0] == pytest.approx(5 / 3)
    assert cov[0][1] == pytest.approx(1.0)
    assert cov[1][0] == cov[0][1]
    corr = correlation_matrix(cov)
    assert corr[0][1] == pytest.approx(0.6)
    assert portfolio_variance([0.5, 0.5], cov) == pytest.approx((5 / 3 + 5 / 3 + 2) / 4)


def test_max_drawdown() -> None:
    assert max_drawdown([100, 120, 60, 130, 65]) == pytest.approx(0.5)
    assert max_drawdown([1, 2, 3]) == 0.0


def test_best_allocations_sorted_and_described() -> None:
    rng = random.Random(1)
    series = [[rng.gauss(0.001, 0.01) for _ in range(50)] for _ in range(3)]
    cov = covariance_matrix(series)
    best = best_allocations(series, cov, trials=50, keep=3, seed=2)
    assert len(best) == 3
    assert best[0][0] >= best[1][0] >= best[2][0]
    assert all(sum(w) == pytest.approx(1.0) for _, _, w in best)
    assert describe(["X", "Y", "Z"], best[0]).startswith(f"trial {best[0][1]}: sharpe")
