"""How long this run's steps take, so a round is planned ahead early enough (`agent.loop.ahead`).

A round planned ahead sees fewer outcomes the earlier it starts, so by default it starts only
once no plan is left to code. With a slow model that leaves the machine idle: a round (the
planner's calls, then the coder's for its first plans) may take longer than measuring every
candidate still in stock. Like a reorder point, the next round then starts as soon as the
stock would run out before it could answer: when the candidates waiting and the plans pending
would be measured in less time than a round has taken so far. The durations are this
process's own (a resumed run starts over); until a candidate has been measured, the
baseline's duration stands in for one evaluation.

A round that takes longer than measuring its plans leaves the machine idle even when started
early, so such a round asks for more plans: enough to measure while the round after it is
planned, at most twice the usual number.
"""

from __future__ import annotations

import math
import statistics
import threading
from dataclasses import dataclass, field


@dataclass
class Pace:
    """Durations seen so far, in seconds; written from the loop's thread and the planner's."""

    evaluations: list[float] = field(default_factory=list)
    """Each candidate's measurement."""
    rounds: list[float] = field(default_factory=list)
    """Each planning round, from the planner's first call until its first plans are coded
    (for a planner without drafts planning in turn: its calls alone)."""
    baseline_s: float | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def evaluated(self, seconds: float) -> None:
        with self.lock:
            self.evaluations.append(seconds)

    def planned(self, seconds: float) -> None:
        with self.lock:
            self.rounds.append(seconds)

    def each(self) -> float | None:
        """The time one more evaluation is expected to take."""
        with self.lock:
            return statistics.median(self.evaluations) if self.evaluations else self.baseline_s

    def lead(self) -> float | None:
        """The time one more planning round is expected to take."""
        with self.lock:
            return statistics.median(self.rounds) if self.rounds else None

    def plan_early(self, stock: int) -> bool:
        """Whether the next round should start now rather than after this measurement: the
        `stock` (candidates waiting, plans pending) would be measured before a round answers."""
        each, lead = self.each(), self.lead()
        return each is not None and lead is not None and stock * each < lead

    def round_size(self, usual: int) -> int:
        """Plans to ask of the next round: `usual`, or, when a round outlasts measuring that
        many, as many as are measured while a round is planned (at most `2 * usual`; the
        duplicate filter may drop some, and the budget leaves the rest pending)."""
        each, lead = self.each(), self.lead()
        if not each or lead is None:
            return usual
        return max(usual, min(math.ceil(lead / each), 2 * usual))
