"""Top scorers, Elo ratings and other numbers for the league newsletter."""

from __future__ import annotations

from league.results import Match


def top_scorers(matches: list[Match], n: int = 10) -> list[tuple[str, int]]:
    """Players by goals, most first; ties in order of their first goal of the season."""
    scorers = []
    for match in matches:
        for goal in match.goals:
            scorers.append(goal.player)
    players = []
    for player in scorers:
        if player not in players:
            players.append(player)
    counted = [(player, scorers.count(player)) for player in players]
    counted.sort(key=lambda pc: -pc[1])
    return counted[:n]


def elo_ratings(teams: list[str], matches: list[Match], k: float = 20.0) -> dict[str, float]:
    ratings = {team: 1500.0 for team in teams}
    for match in matches:
        rh, ra = ratings[match.home], ratings[match.away]
        expected_home = 1.0 / (1.0 + 10 ** ((ra - rh) / 400.0))
        if match.home_goals > match.away_goals:
            score = 1.0
        elif match.home_goals == match.away_goals:
            score = 0.5
        else:
            score = 0.0
        ratings[match.home] = rh + k * (score - expected_home)
        ratings[match.away] = ra - k * (score - expected_home)
    return {team: round(r, 1) for team, r in ratings.items()}


def late_goals(matches: list[Match], after: int = 85) -> int:
    return sum(1 for m in matches for g in m.goals if g.minute >= after)
