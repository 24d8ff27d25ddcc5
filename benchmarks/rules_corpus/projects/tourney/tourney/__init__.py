"""tourney: a chess club's Swiss-system tournament manager."""

from .games import Tournament, opponent_in, points_for
from .pairing import assign_colours, pair_round, ranking_order, score_groups
from .players import Player, Registry, apply_elo, expected_score, k_factor, result_points
from .report import (
    club_totals,
    crosstable,
    fmt_points,
    performance_rating,
    rating_changes,
    round_sheet,
    standings_table,
)
from .tiebreaks import (
    buchholz,
    buchholz_cut1,
    leaders,
    progressive,
    sonneborn_berger,
    standings,
)

__all__ = [
    "Player",
    "Registry",
    "Tournament",
    "apply_elo",
    "assign_colours",
    "buchholz",
    "buchholz_cut1",
    "club_totals",
    "crosstable",
    "expected_score",
    "fmt_points",
    "k_factor",
    "leaders",
    "opponent_in",
    "pair_round",
    "performance_rating",
    "points_for",
    "progressive",
    "ranking_order",
    "rating_changes",
    "result_points",
    "round_sheet",
    "score_groups",
    "sonneborn_berger",
    "standings",
    "standings_table",
]
