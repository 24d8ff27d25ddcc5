"""An amateur football league: fixtures, results, standings, scorers and ratings."""

from league.fixtures import round_robin
from league.results import Goal, Match, parse_result
from league.season import simulate_season
from league.standings import standings, table_lines

__all__ = [
    "Goal",
    "Match",
    "parse_result",
    "round_robin",
    "simulate_season",
    "standings",
    "table_lines",
]
