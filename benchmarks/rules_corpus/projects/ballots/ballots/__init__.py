"""Club elections: clean ranked ballots, count them by instant runoff or Borda, report."""

from ballots.borda import borda_ranking, borda_scores, places, position_counts
from ballots.cleaning import (
    BallotError,
    check_candidates,
    clean_ballot,
    clean_ballots,
    iter_ballots,
    normalize_name,
    split_ballot,
)
from ballots.irv import elimination_order, first_preferences, instant_runoff
from ballots.report import results_table, round_lines, summary

__all__ = [
    "BallotError",
    "borda_ranking",
    "borda_scores",
    "check_candidates",
    "clean_ballot",
    "clean_ballots",
    "elimination_order",
    "first_preferences",
    "instant_runoff",
    "iter_ballots",
    "normalize_name",
    "places",
    "position_counts",
    "results_table",
    "round_lines",
    "split_ballot",
    "summary",
]
