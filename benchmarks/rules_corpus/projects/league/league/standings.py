"""The league table: points, goal difference, goals scored, head-to-head, then name."""

from __future__ import annotations

from functools import cmp_to_key

from league.results import Match


def points(team: str, matches: list[Match]) -> int:
    total = 0
    for match in matches:
        total += match.points_for(team)
    return total


def goals_for(team: str, matches: list[Match]) -> int:
    total = 0
    for match in matches:
        if match.home == team:
            total += match.home_goals
        elif match.away == team:
            total += match.away_goals
    return total


def goals_against(team: str, matches: list[Match]) -> int:
    total = 0
    for match in matches:
        if match.home == team:
            total += match.away_goals
        elif match.away == team:
            total += match.home_goals
    return total


def played(team: str, matches: list[Match]) -> int:
    return sum(1 for m in matches if team in (m.home, m.away))


def head_to_head(a: str, b: str, matches: list[Match]) -> int:
    """Points a took from b minus points b took from a."""
    between = [m for m in matches if {m.home, m.away} == {a, b}]
    return points(a, between) - points(b, between)


def compare(a: str, b: str, matches: list[Match]) -> int:
    for stat in (
        lambda t: points(t, matches),
        lambda t: goals_for(t, matches) - goals_against(t, matches),
        lambda t: goals_for(t, matches),
    ):
        diff = stat(b) - stat(a)
        if diff:
            return diff
    h2h = head_to_head(b, a, matches)
    if h2h:
        return h2h
    return -1 if a < b else (1 if a > b else 0)


def standings(teams: list[str], matches: list[Match]) -> list[str]:
    return sorted(teams, key=cmp_to_key(lambda a, b: compare(a, b, matches)))


def table_lines(teams: list[str], matches: list[Match]) -> list[str]:
    lines = []
    for position, team in enumerate(standings(teams, matches), start=1):
        gf, ga = goals_for(team, matches), goals_against(team, matches)
        lines.append(
            f"{position:>2}. {team:<18} {played(team, matches):>3} {gf:>3}:{ga:<3} "
            f"{gf - ga:>+4} {points(team, matches):>4}"
        )
    return lines
