import pytest

from odds import (
    binomial_cdf,
    binomial_pmf,
    choose,
    derangements,
    factorial,
    hypergeometric_pmf,
    multinomial,
    permutations_count,
    poisson_pmf,
)
from odds.cards import combinations, count_hands, has_pair, is_flush, is_straight
from odds.dice import probability_at_least, sum_distribution
from odds.lottery import match_table


def test_counting() -> None:
    assert factorial(0) == 1 and factorial(6) == 720
    assert choose(5, 2) == 10 and choose(5, 7) == 0
    assert permutations_count(5, 2) == 20
    assert multinomial([2, 1, 1]) == 12
    assert [derangements(n) for n in range(6)] == [1, 0, 1, 2, 9, 44]


def test_distributions() -> None:
    assert binomial_pmf(4, 2, 0.5) == pytest.approx(6 / 16)
    assert binomial_cdf(4, 4, 0.3) == pytest.approx(1.0)
    assert hypergeometric_pmf(49, 6, 6, 6) == pytest.approx(1 / 13983816)
    assert poisson_pmf(2.0, 0) == pytest.approx(0.1353352832)


def test_cards() -> None:
    assert list(combinations(["a", "b", "c"], 2)) == [["a", "b"], ["a", "c"], ["b", "c"]]
    assert has_pair(["Ah", "As", "2c"]) and not has_pair(["Ah", "Ks"])
    assert is_flush(["2h", "9h", "Kh"])
    assert is_straight(["Ah", "2c", "3d", "4s", "5h"])
    deck = ["Ah", "Ad", "Kh", "Kd"]
    assert count_hands(deck, 2, has_pair) == (2, 6)


def test_dice_and_lottery() -> None:
    assert sum_distribution(2, 6)[7] == 6
    assert list(sum_distribution(1, 4)) == [1, 2, 3, 4]
    assert probability_at_least(2, 6, 12) == pytest.approx(1 / 36)
    rows = match_table("6 aus 49")
    assert rows[0].endswith("1 in 13,983,816")
    assert len(rows) == 7
