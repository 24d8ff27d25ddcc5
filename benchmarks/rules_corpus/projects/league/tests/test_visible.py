import pytest

from league import Goal, Match, parse_result, round_robin, simulate_season, standings, table_lines
from league.stats import elo_ratings, top_scorers


def test_round_robin() -> None:
    rounds = round_robin(["a", "b", "c", "d"])
    assert len(rounds) == 6
    pairs = [frozenset(p) for r in rounds for p in r]
    assert len(pairs) == 12 and len(set(pairs)) == 6
    assert len(round_robin(["a", "b", "c"], double=False)) == 3


def test_parse_result() -> None:
    m = parse_result(" Ulm FC 2 - 1 Kiel ", 3)
    assert (m.home, m.away, m.home_goals, m.away_goals, m.round) == ("Ulm FC", "Kiel", 2, 1, 3)
    with pytest.raises(ValueError):
        parse_result("Ulm vs Kiel")


def test_standings_order() -> None:
    matches = [parse_result("A 1-0 B"), parse_result("C 2-2 A"), parse_result("B 3-0 C")]
    assert standings(["A", "B", "C"], matches) == ["A", "B", "C"]
    lines = table_lines(["A", "B", "C"], matches)
    assert lines[0].split() == ["1.", "A", "2", "3:2", "+1", "4"]


def test_scorers_and_elo() -> None:
    goals = [Goal("x", "A", 5), Goal("y", "A", 9), Goal("x", "A", 80)]
    matches = [Match(1, "A", "B", 3, 0, goals)]
    assert top_scorers(matches) == [("x", 2), ("y", 1)]
    ratings = elo_ratings(["A", "B"], matches)
    assert ratings == {"A": 1510.0, "B": 1490.0}


def test_simulation_is_deterministic() -> None:
    teams = ["a", "b", "c", "d"]
    strength = dict.fromkeys(teams, 1.0)
    squads = {t: [f"{t}1", f"{t}2"] for t in teams}
    first = simulate_season(teams, strength, squads, seed=3)
    assert first == simulate_season(teams, strength, squads, seed=3)
    assert len(first[0]) == 12 and len(first[1]) == 6
