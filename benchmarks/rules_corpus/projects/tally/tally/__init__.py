"""Lottery and survey tallies over plain tuples."""

from tally.stats import arrangements, choose, draw_odds, score_table, weighted_score

__all__ = ["arrangements", "choose", "draw_odds", "score_table", "weighted_score"]
