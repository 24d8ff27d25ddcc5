import copy
import math
import random
import statistics

import pytest

from portfolio import compound, covariance_matrix, load_prices, max_drawdown, mean
from portfolio.allocation import best_allocations
from portfolio.prices import PriceError
from portfolio.returns import annualized_return, rolling_volatility, stdev
from portfolio.risk import correlation_matrix, drawdown_periods


def test_covariance_matches_statistics_module() -> None:
    rng = random.Random(4)
    series = [[rng.gauss(0, 1) for _ in range(30)] for _ in range(5)]
    cov = covariance_matrix(series)
    for i in range(5):
        for j in range(5):
            assert cov[i][j] == pytest.approx(statistics.covariance(series[i], series[j]))
            assert cov[i][j] == cov[j][i]


def test_covariance_errors_and_no_mutation() -> None:
    with pytest.raises(ValueError):
        covariance_matrix([[1.0, 2.0], [1.0]])
    with pytest.raises(ValueError):
        covariance_matrix([[1.0], [2.0]])
    series = [[0.1, 0.2, 0.4], [0.3, 0.1, 0.0]]
    before = copy.deepcopy(series)
    covariance_matrix(series)
    assert series == before
    assert covariance_matrix([[1.0, 1.0, 1.0]]) == [[0.0]]


def test_correlation_with_constant_series() -> None:
    cov = covariance_matrix([[1.0, 1.0, 1.0], [1.0, 2.0, 3.0]])
    corr = correlation_matrix(cov)
    assert corr[0][1] == 0.0 and corr[1][1] == pytest.approx(1.0)


def test_compound_and_empty_series() -> None:
    assert compound([]) == 1.0
    assert compound([0.1, 0.1]) == pytest.approx(1.21)
    assert compound([-1.0, 0.5]) == 0.0
    assert annualized_return([]) == 0.0
    with pytest.raises(ValueError):
        mean([])


def test_drawdown_edges() -> None:
    assert max_drawdown([]) == 0.0
    assert max_drawdown([5.0]) == 0.0
    values = [10, 8, 12, 6, 6, 13, 12, 1]
    assert max_drawdown(values) == pytest.approx(12 / 13)
    assert drawdown_periods(values, 0.1) == [(1, 2), (3, 5), (7, 8)]
    assert drawdown_periods([1, 2, 3], 0.1) == []
    before = list(values)
    max_drawdown(values)
    assert values == before


def test_drawdown_matches_brute_force_on_random_walks() -> None:
    rng = random.Random(9)
    for _ in range(20):
        values = [100.0]
        for _ in range(60):
            values.append(values[-1] * (1 + rng.gauss(0, 0.05)))
        expected = max(
            (max(values[: i + 1]) - v) / max(values[: i + 1]) for i, v in enumerate(values)
        )
        assert max_drawdown(values) == pytest.approx(expected)


def test_rolling_volatility() -> None:
    returns = [0.01, -0.02, 0.03, 0.0, 0.01]
    vols = rolling_volatility(returns, 3)
    assert len(vols) == 3
    assert vols[0] == pytest.approx(stdev(returns[:3]) * math.sqrt(252))
    assert rolling_volatility(returns, 6) == []


def test_best_allocations_deterministic_and_keep_larger_than_trials() -> None:
    rng = random.Random(3)
    series = [[rng.gauss(0.0005, 0.01) for _ in range(40)] for _ in range(4)]
    cov = covariance_matrix(series)
    first = best_allocations(series, cov, trials=30, keep=5, seed=11)
    assert first == best_allocations(series, cov, trials=30, keep=5, seed=11)
    everything = best_allocations(series, cov, trials=4, keep=10, seed=11)
    assert [t for _, t, _ in everything] == [t for _, t, _ in sorted(
        everything, key=lambda item: (-item[0], item[1]))]
    assert len(everything) == 4
    assert best_allocations(series, cov, trials=0) == []


def test_load_prices_errors() -> None:
    with pytest.raises(PriceError):
        load_prices(["2024-01-01,A,0"])
    with pytest.raises(PriceError):
        load_prices(["2024-01-01,A,1", "2024-01-02,A,1", "2024-01-02,B,1"])
    with pytest.raises(ValueError):
        load_prices(["2024-01-01,A,abc"])
    assert load_prices(["", "date,ticker,close"]) == {}
