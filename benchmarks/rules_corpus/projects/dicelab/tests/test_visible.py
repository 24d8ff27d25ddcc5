from fractions import Fraction

import pytest

import dicelab as dl


def test_die_distribution_is_uniform():
    dist = dl.die_distribution(6)
    assert list(dist) == [1, 2, 3, 4, 5, 6]
    assert all(p == Fraction(1, 6) for p in dist.values())


def test_two_dice_sum():
    dist = dl.sum_distribution(2, 6)
    assert dist[7] == Fraction(1, 6)
    assert dist[2] == Fraction(1, 36)
    assert sum(dist.values()) == 1


def test_parse_spec_with_modifier():
    spec = dl.DiceSpec.parse("3d6+2")
    assert (spec.count, spec.sides, spec.modifier) == (3, 6, 2)
    assert str(spec) == "3d6+2"
    dist = spec.distribution()
    assert min(dist) == 5 and max(dist) == 20


def test_parse_single_die():
    spec = dl.DiceSpec.parse("d20")
    assert spec.count == 1 and spec.sides == 20
    assert str(spec) == "1d20"


def test_keep_highest_three_of_four():
    dist = dl.DiceSpec.parse("4d6kh3").distribution()
    assert max(dist) == 18 and min(dist) == 3
    assert dist[18] == Fraction(21, 1296)
    assert sum(dist.values()) == 1


def test_advantage_mean():
    assert dl.mean(dl.keep_highest(2, 20, 1)) == Fraction(553, 40)
    assert dl.mean(dl.keep_lowest(2, 20, 1)) == Fraction(287, 40)


def test_exploding_die_one_level():
    dist = dl.exploding_die(6, 1)
    assert dist[1] == Fraction(1, 6)
    assert dist[7] == Fraction(1, 36)
    assert dist[12] == Fraction(1, 36)
    assert 6 not in dist
    assert sum(dist.values()) == 1


def test_bad_spec_raises():
    with pytest.raises(ValueError, match="not a dice spec"):
        dl.DiceSpec.parse("three dice")


def test_compare_equal_dice():
    d6 = dl.die_distribution(6)
    win, tie, lose = dl.compare(d6, d6)
    assert tie == Fraction(1, 6)
    assert win == lose == Fraction(5, 12)


def test_factorial_and_combinations():
    assert dl.factorial(5) == 120
    assert dl.combinations(52, 5) == 2598960
    assert dl.combinations(5, 7) == 0


def test_hypergeometric_one_ace():
    p = dl.hypergeometric(52, 4, 5, 1)
    assert p == Fraction(4 * 194580, 2598960)


def test_standard_and_parsed_decks():
    assert dl.Deck.standard().size == 52
    assert dl.Deck.standard("rank").count("A") == 4
    deck = dl.Deck.parse("wood:19, brick:19, desert:1")
    assert deck.size == 39
    assert deck.kinds() == ["wood", "brick", "desert"]


def test_at_least_one_heart():
    deck = dl.Deck.standard()
    p = dl.prob_at_least(deck, "H", 5, 1)
    assert p == 1 - Fraction(dl.combinations(39, 5), dl.combinations(52, 5))


def test_prob_all_two_suits():
    deck = dl.Deck.standard()
    p = dl.prob_all(deck, {"S": 2, "H": 2}, 4)
    assert p == Fraction(78 * 78, dl.combinations(52, 4))


def test_turn_distribution_single_roll():
    dist = dl.turn_distribution(2)
    assert dist == {0: Fraction(1, 6), 2: Fraction(1, 6), 3: Fraction(1, 6),
                    4: Fraction(1, 6), 5: Fraction(1, 6), 6: Fraction(1, 6)}


def test_expected_turn_score_single_roll():
    assert dl.expected_turn_score(1) == Fraction(10, 3)


def test_win_probability_simple():
    assert dl.win_probability(2, 1, 2) == Fraction(5, 6)
    assert dl.win_probability(2, 2, 2) == Fraction(35, 36)


def test_best_hold_picks_a_candidate():
    hold, chance = dl.best_hold(10, 2, [4, 6, 8, 10])
    assert hold in (4, 6, 8, 10)
    assert chance == dl.win_probability(10, 2, hold)


def test_odds_formatting():
    assert dl.as_odds(Fraction(1, 4)) == "3:1 against"
    assert dl.as_odds(Fraction(3, 4)) == "3:1 on"
    assert dl.as_odds(Fraction(1, 2)) == "evens"
    assert dl.as_odds(0) == "impossible"


def test_percent_formatting():
    assert dl.as_percent(Fraction(1, 6)) == "16.7%"
    assert dl.as_percent(Fraction(1, 8), 2) == "12.50%"


def test_distribution_table_two_dice():
    lines = dl.distribution_table(dl.sum_distribution(2, 6))
    assert len(lines) == 11
    assert "100.00%" in lines[0]
    assert lines[-1].strip().startswith("12")


def test_summary():
    assert dl.summary(dl.die_distribution(6)) == "mean 3.50, sd 1.71, range 1-6"


def test_simulation_is_seeded():
    assert dl.simulate_spec("2d6", 500, 7) == dl.simulate_spec("2d6", 500, 7)
    assert sum(dl.simulate_spec("2d6", 500, 7).values()) == 500


def test_cross_check_two_dice():
    report = dl.cross_check("2d6", 5000, 3)
    assert report["ok"]
    assert report["exact_mean"] == 7.0


def test_simulated_hands_close_to_exact():
    deck = dl.Deck.standard()
    exact = dl.prob_at_least(deck, "S", 5, 2)
    simulated = dl.simulate_hands(deck, {"S": 2}, 5, 4000, 11)
    assert abs(float(simulated) - float(exact)) < 0.03


def test_simulated_game_close_to_exact():
    exact = dl.win_probability(10, 2, 6)
    simulated = dl.simulate_game(10, 2, 6, 4000, 5)
    assert abs(float(simulated) - float(exact)) < 0.03
