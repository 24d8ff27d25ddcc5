"""Results, dead heats, rule-4 deductions and the Settler that pays slips out."""

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from .bets import WIN, build_lines
from .odds import CENT, HUNDRED, ONE, ZERO, parse_odds

# Tattersalls' Rule 4(c): pence in the pound taken off winnings when a runner is withdrawn
# too late to form a new market, by the withdrawn runner's decimal price (upper bound).
RULE4_TABLE = (
    ("1.12", 90), ("1.19", 85), ("1.23", 80), ("1.30", 75), ("1.40", 70), ("1.54", 65),
    ("1.62", 60), ("1.80", 55), ("1.96", 50), ("2.20", 45), ("2.50", 40), ("2.75", 35),
    ("3.25", 30), ("4.00", 25), ("5.00", 20), ("6.50", 15), ("10.00", 10), ("15.00", 5),
)
MAX_RULE4 = 90


class SettlementError(LookupError):
    """A slip refers to an event that has no result yet."""


@dataclass(frozen=True)
class NonRunner:
    runner: str
    price: str
    withdrawn_at: int


@dataclass
class Result:
    """The official result of one event. Runners sharing a position dead-heated."""

    event_id: str
    placings: dict
    non_runners: list = field(default_factory=list)
    abandoned: bool = False

    def __post_init__(self):
        for runner, position in self.placings.items():
            if not isinstance(position, int) or isinstance(position, bool) or position < 1:
                raise ValueError(f"bad finishing position {position!r} for {runner}")
        withdrawn = {nr.runner for nr in self.non_runners}
        clash = withdrawn.intersection(self.placings)
        if clash:
            raise ValueError(f"non-runners cannot be placed: {sorted(clash)}")

    def winners(self):
        return sorted(runner for runner, pos in self.placings.items() if pos == 1)


def rule4_rate(price):
    """Deduction in pence for one withdrawn runner at the given price."""
    odds = parse_odds(price)
    for bound, pence in RULE4_TABLE:
        if odds <= Decimal(bound):
            return pence
    return 0


def rule4_deduction(non_runners, struck_at):
    """Total pence in the pound for a bet struck at `struck_at`; only withdrawals after
    the bet was struck count, and the total is capped."""
    total = 0
    for nr in non_runners:
        if nr.withdrawn_at > struck_at:
            total += rule4_rate(nr.price)
    return min(total, MAX_RULE4)


def dead_heat_factor(placings, runner, paying_places):
    """Share of the stake that stands when `runner` dead-heats over the last paying place."""
    position = placings.get(runner)
    if position is None or position > paying_places:
        return ZERO
    tied = sum(1 for other in placings.values() if other == position)
    covered = min(paying_places, position + tied - 1) - position + 1
    if covered >= tied:
        return ONE
    return Decimal(covered) / Decimal(tied)


def apply_rule4(odds, pence):
    if not pence:
        return odds
    return ONE + (odds - ONE) * (HUNDRED - pence) / HUNDRED


@dataclass(frozen=True)
class Settlement:
    slip_id: str
    stake: Decimal
    returns: Decimal
    lines: int
    winning_lines: int
    status: str

    @property
    def profit(self):
        """The punter's profit (negative when the slip lost)."""
        return self.returns - self.stake


class Settler:
    """Holds official results and settles slips against them."""

    def __init__(self, results=()):
        self.results = []
        for result in results:
            self.add_result(result)

    def add_result(self, result):
        if not isinstance(result, Result):
            raise TypeError("add_result expects a Result")
        for existing in self.results:
            if existing.event_id == result.event_id:
                raise ValueError(f"event {result.event_id} already has a result")
        self.results.append(result)

    def has_result(self, event_id):
        return any(result.event_id == event_id for result in self.results)

    def result_for(self, event_id):
        for result in self.results:
            if result.event_id == event_id:
                return result
        raise SettlementError(f"no result for event {event_id}")

    def is_void(self, selection):
        result = self.result_for(selection.event_id)
        if result.abandoned:
            return True
        return any(nr.runner == selection.runner for nr in result.non_runners)

    def leg_factor(self, selection, part):
        """What one unit on this leg becomes: 1 when void, 0 when beaten, else the odds
        after rule 4, scaled down for a dead heat."""
        if self.is_void(selection):
            return ONE
        result = self.result_for(selection.event_id)
        pence = rule4_deduction(result.non_runners, selection.struck_at)
        paying = 1 if part == WIN else selection.places
        share = dead_heat_factor(result.placings, selection.runner, paying)
        if share == ZERO:
            return ZERO
        return apply_rule4(selection.odds_for(part), pence) * share

    def settle_line(self, line):
        factor = ONE
        for leg in line.legs:
            factor *= self.leg_factor(leg, line.part)
        return (line.stake * factor).quantize(CENT, rounding=ROUND_DOWN)

    def settle(self, slip):
        lines = build_lines(slip)
        stake = ZERO
        returns = ZERO
        winners = 0
        for line in lines:
            stake += line.stake
            paid = self.settle_line(line)
            if paid > ZERO:
                winners += 1
            returns += paid
        if all(self.is_void(sel) for sel in slip.selections):
            status = "void"
        elif returns == ZERO:
            status = "lost"
        elif returns < stake:
            status = "partial"
        else:
            status = "won"
        return Settlement(slip.slip_id, stake, returns, len(lines), winners, status)

    def settle_all(self, slips):
        return [self.settle(slip) for slip in slips]

    def pending(self, slips):
        """Slips that still have a leg in an event without a result."""
        waiting = []
        for slip in slips:
            if not all(self.has_result(sel.event_id) for sel in slip.selections):
                waiting.append(slip)
        return waiting

    def place_terms_paid(self, event_id, places):
        result = self.result_for(event_id)
        return sorted(
            (pos, runner) for runner, pos in result.placings.items() if pos <= places
        )

