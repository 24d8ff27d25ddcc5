"""Formatting probabilities as percentages, odds and small tables."""

from fractions import Fraction

from .dice import mean, variance


def _as_fraction(p):
    if isinstance(p, Fraction):
        value = p
    elif isinstance(p, int):
        value = Fraction(p)
    elif isinstance(p, float):
        value = Fraction(p).limit_denominator(10000)
    else:
        raise TypeError(f"a probability must be a Fraction, int or float, not {type(p).__name__}")
    if not 0 <= value <= 1:
        raise ValueError(f"a probability must lie between 0 and 1, got {p}")
    return value


def as_percent(p, digits=1):
    return f"{float(_as_fraction(p)) * 100:.{digits}f}%"


def as_odds(p, max_denominator=20):
    """Odds in bookmaker style ('3:1 against', '2:1 on', 'evens'), rounded to a simple ratio."""
    value = _as_fraction(p)
    if value == 0:
        return "impossible"
    if value == 1:
        return "certain"
    side = "against" if value < Fraction(1, 2) else "on"
    ratio = (1 - value) / value if side == "against" else value / (1 - value)
    ratio = ratio.limit_denominator(max_denominator)
    if ratio == 1:
        return "evens"
    return f"{ratio.numerator}:{ratio.denominator} {side}"


def prob_at_least(dist, threshold):
    total = Fraction(0)
    for value, p in dist.items():
        if value >= threshold:
            total += p
    return total


def prob_at_most(dist, threshold):
    total = Fraction(0)
    for value, p in dist.items():
        if value <= threshold:
            total += p
    return total


def distribution_table(dist, digits=2):
    """One line per total: the total, P(exactly), P(at least) and the odds of at least."""
    lines = []
    for value, p in dist.items():
        at_least = prob_at_least(dist, value)
        lines.append(
            f"{value:>4} {as_percent(p, digits):>8} {as_percent(at_least, digits):>8}"
            f"  {as_odds(at_least)}"
        )
    return lines


def summary(dist):
    if not dist:
        raise ValueError("empty distribution")
    sd = float(variance(dist)) ** 0.5
    return f"mean {float(mean(dist)):.2f}, sd {sd:.2f}, range {min(dist)}-{max(dist)}"
