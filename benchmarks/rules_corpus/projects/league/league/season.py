"""Simulating a season from team strengths, round by round."""

from __future__ import annotations

import math
import random

from league.fixtures import round_robin
from league.results import Goal, Match
from league.standings import standings


def poisson(rng: random.Random, rate: float) -> int:
    """Knuth's method; rates here are small."""
    limit = math.exp(-rate)
    k = 0
    p = rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def play(rng, round_no, home, away, strength, squads):
    hg = poisson(rng, 1.45 * strength[home] / strength[away])
    ag = poisson(rng, 1.1 * strength[away] / strength[home])
    goals = [Goal(rng.choice(squads[home]), home, rng.randint(1, 90)) for _ in range(hg)]
    goals += [Goal(rng.choice(squads[away]), away, rng.randint(1, 90)) for _ in range(ag)]
    goals.sort(key=lambda g: g.minute)
    return Match(round_no, home, away, hg, ag, goals)


def simulate_season(teams, strength, squads, seed=0):
    """(matches, leader after each round)."""
    rng = random.Random(seed)
    matches = []
    leaders = []
    for round_no, pairs in enumerate(round_robin(teams), start=1):
        for home, away in pairs:
            matches.append(play(rng, round_no, home, away, strength, squads))
        leaders.append(standings(teams, matches)[0])
    return matches, leaders
