"""Selections, slips and the bet lines a slip expands into (singles up to a Goliath)."""

import math
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction

from .odds import CENT, ONE, ZERO, parse_odds

# bet type -> (number of selections it needs or None for any, the line sizes it covers)
# A size of None means "one line using every selection".
BET_TYPES = {
    "single": (1, (1,)),
    "double": (2, (2,)),
    "treble": (3, (3,)),
    "accumulator": (None, (None,)),
    "singles": (None, (1,)),
    "doubles": (None, (2,)),
    "trebles": (None, (3,)),
    "trixie": (3, (2, 3)),
    "patent": (3, (1, 2, 3)),
    "yankee": (4, (2, 3, 4)),
    "lucky15": (4, (1, 2, 3, 4)),
    "canadian": (5, (2, 3, 4, 5)),
    "lucky31": (5, (1, 2, 3, 4, 5)),
    "heinz": (6, (2, 3, 4, 5, 6)),
    "lucky63": (6, (1, 2, 3, 4, 5, 6)),
    "super_heinz": (7, (2, 3, 4, 5, 6, 7)),
    "goliath": (8, (2, 3, 4, 5, 6, 7, 8)),
}

WIN = "win"
PLACE = "place"


@dataclass(frozen=True)
class Selection:
    """One runner in one event at the price the punter took."""

    event_id: str
    runner: str
    odds: Decimal
    places: int = 0
    place_fraction: Fraction = Fraction(1, 4)
    struck_at: int = 0

    def __post_init__(self):
        object.__setattr__(self, "odds", parse_odds(self.odds))
        if self.places < 0:
            raise ValueError("places cannot be negative")
        if not 0 < self.place_fraction <= 1:
            raise ValueError("place fraction must be in (0, 1]")

    @property
    def key(self):
        return (self.event_id, self.runner)

    @property
    def each_way_terms(self):
        return bool(self.places)

    @property
    def place_odds(self):
        """Decimal odds of the place part: a fraction of the win odds."""
        if not self.places:
            raise ValueError(f"{self.runner} in {self.event_id} has no each-way terms")
        fraction = Decimal(self.place_fraction.numerator) / Decimal(self.place_fraction.denominator)
        return ONE + (self.odds - ONE) * fraction

    def odds_for(self, part):
        return self.odds if part == WIN else self.place_odds


@dataclass(frozen=True)
class Line:
    """A single bet inside a slip: all its legs must come in for it to pay."""

    legs: tuple
    stake: Decimal
    part: str = WIN

    def odds(self):
        total = ONE
        for leg in self.legs:
            total *= leg.odds_for(self.part)
        return total

    def potential_return(self):
        return (self.stake * self.odds()).quantize(CENT, rounding=ROUND_DOWN)


def _as_stake(value):
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, str)):
        raise TypeError("stakes must be Decimal, int or str, not float")
    stake = Decimal(value)
    if not stake.is_finite() or stake <= ZERO:
        raise ValueError(f"stake must be positive, got {value!r}")
    if stake != stake.quantize(CENT):
        raise ValueError(f"stake {value!r} has fractions of a penny")
    return stake


@dataclass
class Slip:
    slip_id: str
    bet_type: str
    selections: list
    unit_stake: Decimal
    each_way: bool = False
    customer: str = ""
    notes: list = field(default_factory=list)

    def __post_init__(self):
        if self.bet_type not in BET_TYPES:
            raise ValueError(f"unknown bet type {self.bet_type!r}")
        self.selections = list(self.selections)
        self.unit_stake = _as_stake(self.unit_stake)
        needed, sizes = BET_TYPES[self.bet_type]
        count = len(self.selections)
        if count == 0:
            raise ValueError("a slip needs at least one selection")
        if needed is not None and count != needed:
            raise ValueError(f"a {self.bet_type} needs {needed} selections, got {count}")
        if max(size or count for size in sizes) > count:
            raise ValueError(f"not enough selections for {self.bet_type}")
        if self.bet_type != "singles" and count > 1:
            events = [sel.event_id for sel in self.selections]
            if len(set(events)) != len(events):
                raise ValueError("multiples cannot combine two selections from one event")
        if self.each_way:
            for sel in self.selections:
                if not sel.each_way_terms:
                    raise ValueError(f"{sel.runner} has no each-way terms")

    @property
    def parts(self):
        return (WIN, PLACE) if self.each_way else (WIN,)


def line_sizes(bet_type, count):
    needed, sizes = BET_TYPES[bet_type]
    return tuple(count if size is None else size for size in sizes)


def line_count(bet_type, count, each_way=False):
    """How many lines a bet type makes from `count` selections."""
    if bet_type not in BET_TYPES:
        raise ValueError(f"unknown bet type {bet_type!r}")
    total = sum(math.comb(count, size) for size in line_sizes(bet_type, count))
    return total * 2 if each_way else total


def _combinations(items, size):
    if size == 0:
        return [()]
    combos = []
    for index, item in enumerate(items):
        for rest in _combinations(items[index + 1:], size - 1):
            combos.append((item,) + rest)
    return combos


def build_lines(slip):
    """Expand a slip into its lines, smallest combinations first; each-way slips get a
    place line straight after each win line."""
    lines = []
    for size in line_sizes(slip.bet_type, len(slip.selections)):
        for legs in _combinations(slip.selections, size):
            for part in slip.parts:
                lines.append(Line(legs=legs, stake=slip.unit_stake, part=part))
    return lines


def total_stake(slip):
    return sum((line.stake for line in build_lines(slip)), ZERO)


def potential_return(slip):
    """What the slip pays if every selection wins (and so also places)."""
    return sum((line.potential_return() for line in build_lines(slip)), ZERO)
