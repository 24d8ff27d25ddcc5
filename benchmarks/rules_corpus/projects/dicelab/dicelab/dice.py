"""Exact distributions of dice rolls.

A distribution is a dict mapping each possible total to its probability as a Fraction,
with the totals in ascending order.
"""

import re
from dataclasses import dataclass
from fractions import Fraction
from itertools import product

SPEC_RE = re.compile(r"^(\d*)d(\d+)(?:k([hl])(\d+))?(?:(!)(\d*))?([+-]\d+)?$")
DEFAULT_EXPLODE_DEPTH = 3
MAX_DICE = 100
MAX_SIDES = 1000


def die_distribution(sides):
    """One fair die with faces 1..sides."""
    if sides < 1:
        raise ValueError(f"a die needs at least one side, got {sides}")
    p = Fraction(1, sides)
    return {face: p for face in range(1, sides + 1)}


def convolve(a, b):
    """Distribution of the sum of two independent totals."""
    out = {}
    for x, px in a.items():
        for y, py in b.items():
            out[x + y] = out.get(x + y, 0) + px * py
    return dict(sorted(out.items()))


def shift(dist, offset):
    return {total + offset: p for total, p in dist.items()}


def sum_distribution(count, sides):
    """Distribution of the sum of `count` dice with `sides` sides each (NdS)."""
    if count < 0:
        raise ValueError(f"dice count must not be negative, got {count}")
    dist = {0: Fraction(1)}
    for _ in range(count):
        dist = convolve(dist, die_distribution(sides))
    return dist


def keep_dice(count, sides, keep, highest=True):
    """Roll `count` dice and add up the `keep` highest (or lowest) of them."""
    if sides < 1:
        raise ValueError(f"a die needs at least one side, got {sides}")
    if not 1 <= keep <= count:
        raise ValueError(f"cannot keep {keep} of {count} dice")
    dist = {}
    for roll in product(range(1, sides + 1), repeat=count):
        kept = sorted(roll, reverse=highest)[:keep]
        total = sum(kept)
        dist[total] = dist.get(total, 0) + Fraction(1, sides**count)
    return dict(sorted(dist.items()))


def keep_highest(count, sides, keep):
    return keep_dice(count, sides, keep, highest=True)


def keep_lowest(count, sides, keep):
    return keep_dice(count, sides, keep, highest=False)


def exploding_die(sides, depth):
    """One die that is rolled again (and added) on its top face, at most `depth` times."""
    if sides < 2:
        raise ValueError(f"an exploding die needs at least two sides, got {sides}")
    if depth < 0:
        raise ValueError(f"explosion depth must not be negative, got {depth}")
    base = Fraction(1, sides)
    dist = {face: base for face in range(1, sides)}
    if depth == 0:
        dist[sides] = base
    else:
        for total, p in exploding_die(sides, depth - 1).items():
            dist[sides + total] = dist.get(sides + total, 0) + base * p
    return dict(sorted(dist.items()))


def exploding_sum(count, sides, depth):
    dist = {0: Fraction(1)}
    for _ in range(count):
        dist = convolve(dist, exploding_die(sides, depth))
    return dist


def mean(dist):
    return sum((total * p for total, p in dist.items()), Fraction(0))


def variance(dist):
    mu = mean(dist)
    return sum(((total - mu) ** 2 * p for total, p in dist.items()), Fraction(0))


def compare(a, b):
    """Opposed roll: (P(a > b), P(a == b), P(a < b)) for two distributions."""
    win = tie = lose = Fraction(0)
    for x, px in a.items():
        for y, py in b.items():
            if x > y:
                win += px * py
            elif x == y:
                tie += px * py
            else:
                lose += px * py
    return win, tie, lose


@dataclass(frozen=True)
class DiceSpec:
    """A roll such as '3d6+2', '4d6kh3', '2d20kl1' or '2d10!' (exploding, depth 3)."""

    count: int
    sides: int
    keep: int | None = None
    lowest: bool = False
    explode: int | None = None
    modifier: int = 0

    def __post_init__(self):
        if not 1 <= self.count <= MAX_DICE:
            raise ValueError(f"dice count must be between 1 and {MAX_DICE}, got {self.count}")
        if not 1 <= self.sides <= MAX_SIDES:
            raise ValueError(f"sides must be between 1 and {MAX_SIDES}, got {self.sides}")
        if self.keep is not None and self.explode is not None:
            raise ValueError("cannot combine keeping dice with exploding dice")
        if self.keep is not None and not 1 <= self.keep <= self.count:
            raise ValueError(f"cannot keep {self.keep} of {self.count} dice")
        if self.explode is not None and self.sides < 2:
            raise ValueError("an exploding die needs at least two sides")

    @classmethod
    def parse(cls, text):
        cleaned = text.strip().lower().replace(" ", "")
        match = SPEC_RE.match(cleaned)
        if not match:
            raise ValueError(f"not a dice spec: {text!r}")
        count, sides, kind, keep, bang, depth, modifier = match.groups()
        return cls(
            count=int(count) if count else 1,
            sides=int(sides),
            keep=int(keep) if keep else None,
            lowest=kind == "l",
            explode=(int(depth) if depth else DEFAULT_EXPLODE_DEPTH) if bang else None,
            modifier=int(modifier) if modifier else 0,
        )

    def distribution(self):
        if self.keep is not None:
            dist = keep_dice(self.count, self.sides, self.keep, highest=not self.lowest)
        elif self.explode is not None:
            dist = exploding_sum(self.count, self.sides, self.explode)
        else:
            dist = sum_distribution(self.count, self.sides)
        return shift(dist, self.modifier)

    def __str__(self):
        text = f"{self.count}d{self.sides}"
        if self.keep is not None:
            text += f"k{'l' if self.lowest else 'h'}{self.keep}"
        if self.explode is not None:
            text += "!" if self.explode == DEFAULT_EXPLODE_DEPTH else f"!{self.explode}"
        if self.modifier:
            text += f"{self.modifier:+d}"
        return text
