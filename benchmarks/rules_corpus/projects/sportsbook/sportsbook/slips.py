"""Bet slips (singles and parlays), match results and settlement."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .markets import clean_name, get_market, normalise_market_id
from .prices import EXACT_TYPES, Price


class SlipError(ValueError):
    """A bet slip that cannot be built or settled."""


@dataclass(frozen=True)
class Leg:
    market_id: str
    selection: str
    price: Price


@dataclass(frozen=True)
class MatchResult:
    market_id: str
    winners: frozenset = frozenset()
    void: bool = False


@dataclass(frozen=True)
class Settlement:
    slip_id: str
    bookmaker: str
    day: str
    status: str
    stake: Fraction
    returns: Fraction

    @property
    def profit(self) -> Fraction:
        if self.status == "pending":
            return Fraction(0)
        return self.returns - self.stake


def parse_result(line: str) -> MatchResult:
    """Read "MARKET-ID = Winner[, Winner...]" or "MARKET-ID = VOID"."""
    if not isinstance(line, str):
        raise TypeError("result line must be str")
    market_part, sep, outcome = line.partition("=")
    if not sep:
        raise ValueError(f"result line needs '=': {line!r}")
    market_id = normalise_market_id(market_part)
    outcome = outcome.strip()
    if not outcome:
        raise ValueError(f"no outcome for {market_id}")
    if outcome.upper() == "VOID":
        return MatchResult(market_id, frozenset(), True)
    winners = frozenset(clean_name(part) for part in outcome.split(","))
    return MatchResult(market_id, winners, False)


def _to_stake(value) -> Fraction:
    if isinstance(value, (bool, float)) or not isinstance(value, EXACT_TYPES):
        raise TypeError(f"stake must be exact, not {type(value).__name__}")
    stake = Fraction(value)
    if stake <= 0:
        raise SlipError(f"stake must be positive, got {value!r}")
    return stake


class Slip:
    """A bet slip: one leg is a single, several legs on different markets a parlay."""

    def __init__(self, slip_id: str, bookmaker: str, stake, legs=()):
        self.slip_id = slip_id
        self.bookmaker = bookmaker
        self.stake = _to_stake(stake)
        self.legs: list[Leg] = []
        for leg in legs:
            self.add_leg(leg)

    def add_leg(self, leg: Leg) -> None:
        if not isinstance(leg, Leg):
            raise TypeError("add_leg needs a Leg")
        spec = get_market(leg.market_id)
        if leg.selection not in spec.selections:
            raise SlipError(f"{leg.selection!r} is not a selection of {leg.market_id}")
        for existing in self.legs:
            if existing.market_id == leg.market_id:
                raise SlipError(f"slip {self.slip_id} already has a leg on {leg.market_id}")
        self.legs.append(leg)

    def price(self) -> Fraction:
        """Combined decimal odds: the product of the legs' prices."""
        if not self.legs:
            raise SlipError(f"slip {self.slip_id} has no legs")
        total = Fraction(1)
        for leg in self.legs:
            total *= leg.price.decimal
        return total

    def potential_return(self) -> Fraction:
        return self.stake * self.price()

    def settle_day(self) -> str:
        return max(get_market(leg.market_id).day for leg in self.legs)


def _find_result(results, market_id):
    for result in results:
        if result.market_id == market_id:
            return result
    return None


def settle_slip(slip: Slip, results) -> Settlement:
    """Settle one slip: any losing leg loses it, void legs count at odds of 1,
    and a slip with an unresolved leg (and no loser) stays pending."""
    if not slip.legs:
        raise SlipError(f"slip {slip.slip_id} has no legs")
    multiplier = Fraction(1)
    pending = False
    any_won = False
    for leg in slip.legs:
        result = _find_result(results, leg.market_id)
        if result is None:
            pending = True
            continue
        if result.void:
            continue
        if leg.selection in result.winners:
            multiplier *= leg.price.decimal
            any_won = True
        else:
            return Settlement(
                slip.slip_id, slip.bookmaker, slip.settle_day(), "lost", slip.stake, Fraction(0)
            )
    if pending:
        status, returns = "pending", Fraction(0)
    elif not any_won:
        status, returns = "void", slip.stake
    else:
        status, returns = "won", slip.stake * multiplier
    return Settlement(slip.slip_id, slip.bookmaker, slip.settle_day(), status, slip.stake, returns)


def settle_slips(slips, results) -> list[Settlement]:
    """Settle every slip against the results; the first result given for a market counts."""
    results = list(results)
    for result in results:
        if not isinstance(result, MatchResult):
            raise TypeError("results must be MatchResult objects")
    settled = []
    for slip in slips:
        settled.append(settle_slip(slip, results))
    return settled
