"""Portfolio analytics: returns, risk, drawdowns and random-search allocation."""

from portfolio.prices import load_prices
from portfolio.returns import compound, mean, simple_returns
from portfolio.risk import correlation_matrix, covariance_matrix, max_drawdown, portfolio_variance

__all__ = [
    "compound",
    "correlation_matrix",
    "covariance_matrix",
    "load_prices",
    "max_drawdown",
    "mean",
    "portfolio_variance",
    "simple_returns",
]
