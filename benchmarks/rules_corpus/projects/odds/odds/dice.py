"""Dice: distribution of totals by enumerating every roll."""

from __future__ import annotations


def rolls(n_dice, sides):
    if n_dice == 0:
        yield ()
        return
    for first in range(1, sides + 1):
        for rest in rolls(n_dice - 1, sides):
            yield (first,) + rest


def sum_distribution(n_dice, sides=6):
    """{total: number of rolls giving it}, totals ascending."""
    if n_dice < 1 or sides < 1:
        raise ValueError("need at least one die with at least one side")
    counts = {}
    for roll in rolls(n_dice, sides):
        total = 0
        for face in roll:
            total += face
        counts[total] = counts.get(total, 0) + 1
    return dict(sorted(counts.items()))


def probability_at_least(n_dice, sides, target):
    distribution = sum_distribution(n_dice, sides)
    hits = 0
    for total, count in distribution.items():
        if total >= target:
            hits += count
    return hits / sides**n_dice
