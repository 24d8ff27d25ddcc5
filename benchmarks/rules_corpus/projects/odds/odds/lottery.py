"""Lottery odds tables for the newsletter."""

from __future__ import annotations

from odds.distributions import binomial_cdf, hypergeometric_pmf

GAMES = {
    "6 aus 49": (49, 6),
    "Lotto 5/35": (35, 5),
    "Keno 10/70": (70, 10),
}


def match_table(name):
    population, picks = GAMES[name]
    rows = []
    for hits in range(picks, -1, -1):
        p = hypergeometric_pmf(population, picks, picks, hits)
        odds = "never" if p == 0 else f"1 in {round(1 / float(p)):,}"
        rows.append(f"{name}: {hits} right  p={float(p):.3e}  {odds}")
    return rows


def at_least_once(p_single, tickets):
    """Chance of at least one win in `tickets` independent tickets."""
    return 1.0 - binomial_cdf(tickets, 0, p_single)


def newsletter(ticket_counts=(1, 10, 100)):
    lines = []
    for name in GAMES:
        lines.extend(match_table(name))
        population, picks = GAMES[name]
        jackpot = hypergeometric_pmf(population, picks, picks, picks)
        for tickets in ticket_counts:
            lines.append(f"{name}: {tickets} tickets -> {at_least_once(jackpot, tickets):.3e}")
    return lines
