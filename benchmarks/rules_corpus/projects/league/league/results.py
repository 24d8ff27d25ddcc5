"""Match results as the referees send them in."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Goal:
    player: str
    team: str
    minute: int


@dataclass
class Match:
    round: int
    home: str
    away: str
    home_goals: int
    away_goals: int
    goals: list[Goal] = field(default_factory=list)

    def points_for(self, team: str) -> int:
        if team not in (self.home, self.away):
            return 0
        mine = self.home_goals if team == self.home else self.away_goals
        theirs = self.away_goals if team == self.home else self.home_goals
        if mine > theirs:
            return 3
        return 1 if mine == theirs else 0


def parse_result(line: str, round_no: int = 0) -> Match:
    """'Home Team 2-1 Away Team'."""
    found = re.match(r"^\s*(.+?)\s+(\d+)\s*-\s*(\d+)\s+(.+?)\s*$", line)
    if not found:
        raise ValueError(f"not a result: {line!r}")
    home, hg, ag, away = found.groups()
    if home == away:
        raise ValueError(f"a team cannot play itself: {line!r}")
    return Match(round_no, home, away, int(hg), int(ag))
