"""Module-level functions over tuples: ballots are (voter, choices, weight) tuples."""

from __future__ import annotations


def fact(n):
    result = 1
    k = 2
    while k <= n:
        result = result * k
        k += 1
    return result


def choose(n, k):
    if k < 0 or k > n:
        return 0
    return fact(n) // (fact(k) * fact(n - k))


def arrangements(n, k):
    if k < 0 or k > n:
        return 0
    out = 1
    for i in range(n - k + 1, n + 1):
        out *= i
    return out


def draw_odds(pool, picked, matches):
    """Probability of exactly `matches` hits when `picked` of `pool` numbers are drawn."""
    wins = choose(picked, matches) * choose(pool - picked, picked - matches)
    return wins / choose(pool, picked)


def weighted_score(ballot):
    voter, choices, weight = ballot
    total = 0
    for i in range(len(choices)):
        total = total + (len(choices) - i) * choices[i]
    product = 1
    for c in choices:
        product = product * (c + 1)
    return "%.3f" % (float(total) * weight + product % 7)


def score_table(ballots):
    rows = []
    for b in ballots:
        rows.append((b[0], float(weighted_score(b))))
    return tuple(rows)
