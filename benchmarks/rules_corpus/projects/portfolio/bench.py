"""Workload: a year of prices for a fund's holdings; risk figures and an allocation search.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from portfolio import compound, covariance_matrix, load_prices, max_drawdown, simple_returns
from portfolio.allocation import best_allocations, describe
from portfolio.returns import annualized_return, rolling_volatility
from portfolio.risk import correlation_matrix, drawdown_periods

TICKERS = ["ACME", "BOLT", "CRUX", "DYNA", "EONS", "FLUX", "GRIT", "HALO"]


def make_rows(rng: random.Random, days: int) -> list[str]:
    rows = ["date,ticker,close"]
    start = date(2023, 1, 2)
    for ticker in TICKERS:
        price = rng.uniform(20, 300)
        drift, vol = rng.uniform(-0.0005, 0.001), rng.uniform(0.005, 0.03)
        for d in range(days):
            price *= 1.0 + rng.gauss(drift, vol)
            rows.append(f"{start + timedelta(days=d)},{ticker},{price:.4f}")
    body = rows[1:]
    rng.shuffle(body)
    return rows[:1] + body


def main() -> None:
    rng = random.Random(31337)
    prices = load_prices(make_rows(rng, 210))
    tickers = sorted(prices)
    series = [simple_returns(prices[t]) for t in tickers]
    cov = covariance_matrix(series)
    corr = correlation_matrix(cov)
    index = [100.0]
    for _ in range(4000):
        index.append(index[-1] * (1.0 + rng.gauss(0.0002, 0.012)))
    best = best_allocations(series, cov, trials=2500, keep=5, seed=7)
    print(f"tickers {tickers}")
    print(f"growth {[round(compound(s), 4) for s in series]}")
    print(f"annualized {[round(annualized_return(s), 4) for s in series]}")
    print(f"variance diag {[round(cov[i][i] * 1e4, 4) for i in range(len(cov))]}")
    print(f"corr ACME/BOLT {corr[0][1]:.4f} max offdiag "
          f"{max(corr[i][j] for i in range(8) for j in range(8) if i != j):.4f}")
    print(f"drawdowns {[round(max_drawdown(prices[t]), 4) for t in tickers]}")
    print(f"index drawdown {max_drawdown(index):.4f} periods {drawdown_periods(index, 0.15)[:4]}")
    vol = rolling_volatility(series[0], 20)
    print(f"rolling vol {len(vol)} first {vol[0]:.4f} last {vol[-1]:.4f}")
    for allocation in best:
        print(describe(tickers, allocation))


if __name__ == "__main__":
    main()
