import copy
import random

import pytest

from league import Goal, Match, parse_result, round_robin, simulate_season, standings
from league.standings import compare, goals_against, goals_for, head_to_head, points
from league.stats import late_goals, top_scorers


def test_round_robin_errors_and_odd_counts() -> None:
    with pytest.raises(ValueError):
        round_robin(["a", "a"])
    rounds = round_robin(["a", "b", "c", "d", "e"])
    assert len(rounds) == 10
    assert all(len(r) == 2 for r in rounds)
    assert round_robin([]) == []


def test_parse_rejects_self_match() -> None:
    with pytest.raises(ValueError):
        parse_result("A 1-1 A")
    assert parse_result("St. Pauli 10-0 Team B").home_goals == 10


def test_tie_breakers_in_order() -> None:
    # A and B level on points, goal difference and goals; A beat B head to head.
    matches = [parse_result("A 1-0 B"), parse_result("C 2-1 A"), parse_result("B 2-1 D")]
    assert points("A", matches) == points("B", matches) == 3
    assert goals_for("A", matches) == goals_for("B", matches) == 2
    assert goals_against("A", matches) == goals_against("B", matches) == 2
    assert head_to_head("A", "B", matches) == 3
    assert standings(["B", "D", "C", "A"], matches) == ["C", "A", "B", "D"]
    assert compare("A", "A", matches) == 0


def test_name_breaks_full_ties_and_unknown_teams() -> None:
    matches = [parse_result("Zed 1-1 Abe")]
    assert standings(["Zed", "Abe", "Ghost"], matches) == ["Abe", "Zed", "Ghost"]
    assert points("Ghost", matches) == 0


def test_standings_do_not_mutate_inputs() -> None:
    teams = ["c", "a", "b"]
    matches = [parse_result("a 2-0 b"), parse_result("b 1-0 c")]
    before = copy.deepcopy(matches)
    standings(teams, matches)
    assert teams == ["c", "a", "b"]
    assert matches == before


def test_standings_follow_later_results() -> None:
    matches = [parse_result("a 1-0 b")]
    assert standings(["a", "b"], matches) == ["a", "b"]
    matches.append(parse_result("b 3-0 a"))
    assert standings(["a", "b"], matches) == ["b", "a"]
    matches[1] = parse_result("b 0-0 a")
    assert standings(["a", "b"], matches) == ["a", "b"]


def test_top_scorers_ties_keep_first_goal_order() -> None:
    m1 = Match(1, "A", "B", 2, 1, [Goal("late", "A", 3), Goal("p", "B", 10), Goal("q", "A", 20)])
    m2 = Match(2, "B", "A", 1, 1, [Goal("q", "A", 1), Goal("p", "B", 2)])
    assert top_scorers([m1, m2]) == [("p", 2), ("q", 2), ("late", 1)]
    assert top_scorers([m1, m2], 1) == [("p", 2)]
    assert top_scorers([]) == []
    assert late_goals([m1], 10) == 2


def test_random_seasons_table_is_consistent() -> None:
    rng = random.Random(4)
    teams = [f"t{i}" for i in range(7)]
    strength = {t: rng.uniform(0.5, 1.5) for t in teams}
    squads = {t: [f"{t}-{n}" for n in range(5)] for t in teams}
    matches, leaders = simulate_season(teams, strength, squads, seed=9)
    final = standings(teams, matches)
    assert leaders[-1] == final[0]
    pts = [points(t, matches) for t in final]
    assert pts == sorted(pts, reverse=True)
    for a, b in zip(final, final[1:]):
        assert compare(a, b, matches) < 0
    assert sum(points(t, matches) for t in teams) == sum(
        2 if m.home_goals == m.away_goals else 3 for m in matches)
