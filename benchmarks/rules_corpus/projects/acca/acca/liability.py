"""Events on the card and the bookmaker's liability on each runner."""

from dataclasses import dataclass, field
from fractions import Fraction

from .bets import Selection, build_lines
from .odds import ZERO, overround, parse_odds


@dataclass
class Event:
    """An event on the card with its current prices, as text from the trading feed."""

    event_id: str
    name: str
    prices: dict
    places: int = 0
    place_fraction: Fraction = Fraction(1, 4)
    off_time: int = 0
    tags: list = field(default_factory=list)

    def __post_init__(self):
        if not self.prices:
            raise ValueError(f"event {self.event_id} has no runners")
        if self.places < 0 or (self.places and self.places >= len(self.prices)):
            raise ValueError(f"event {self.event_id} cannot pay {self.places} places")

    @property
    def runners(self):
        return list(self.prices)

    def selection(self, runner, struck_at=0, price=None):
        """A Selection on `runner` at its current price (or a price the punter was given)."""
        if runner not in self.prices:
            raise KeyError(f"{runner} is not running in {self.event_id}")
        return Selection(
            event_id=self.event_id,
            runner=runner,
            odds=parse_odds(self.prices[runner] if price is None else price),
            places=self.places,
            place_fraction=self.place_fraction,
            struck_at=struck_at,
        )

    def book_percentage(self):
        return overround(self.prices.values())

    def favourite(self):
        best = None
        for runner, price in self.prices.items():
            odds = parse_odds(price)
            if best is None or odds < best[1]:
                best = (runner, odds)
        return best[0]


@dataclass(frozen=True)
class LiabilityRow:
    event_id: str
    runner: str
    stakes: object
    payout: object
    lines: int

    @property
    def net(self):
        """What the book loses on the whole event if this runner wins (negative = profit)."""
        return self.payout - self.stakes


def liability_report(events, slips):
    """One row per runner: the stakes taken on the event and what is paid out if that runner
    wins (assuming every other leg of a multiple comes in). Worst exposure first."""
    all_lines = []
    for slip in slips:
        all_lines.extend(build_lines(slip))
    rows = []
    for event in events:
        event_lines = [
            line for line in all_lines
            if any(leg.event_id == event.event_id for leg in line.legs)
        ]
        stakes = sum((line.stake for line in event_lines), ZERO)
        for runner in event.runners:
            payout = ZERO
            count = 0
            for line in event_lines:
                for leg in line.legs:
                    if leg.event_id == event.event_id and leg.runner == runner:
                        payout += line.potential_return()
                        count += 1
            rows.append(LiabilityRow(event.event_id, runner, stakes, payout, count))
    rows.sort(key=lambda row: (-row.net, row.event_id, row.runner))
    return rows


def worst_case(rows):
    """Per event, the runner the book least wants to win and what it would cost."""
    worst = {}
    for row in rows:
        current = worst.get(row.event_id)
        if current is None or row.net > current.net:
            worst[row.event_id] = row
    return worst


def total_exposure(rows):
    """Sum over events of the worst single outcome, floored at zero per event."""
    return sum((max(row.net, ZERO) for row in worst_case(rows).values()), ZERO)
