"""Odds for games of chance: counting, distributions, cards, dice and lotteries."""

from odds.counting import choose, derangements, factorial, multinomial, permutations_count
from odds.distributions import binomial_cdf, binomial_pmf, hypergeometric_pmf, poisson_pmf

__all__ = [
    "binomial_cdf",
    "binomial_pmf",
    "choose",
    "derangements",
    "factorial",
    "hypergeometric_pmf",
    "multinomial",
    "permutations_count",
    "poisson_pmf",
]
