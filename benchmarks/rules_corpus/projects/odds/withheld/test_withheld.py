import itertools
import math

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
from odds.cards import (
    DECK,
    combinations,
    count_hands,
    is_straight,
    is_three_of_a_kind,
    rank_counts,
    short_deck,
)
from odds.dice import rolls, sum_distribution
from odds.distributions import expected_value
from odds.lottery import at_least_once, newsletter


def test_choose_and_perm_out_of_range() -> None:
    assert choose(5, -1) == 0
    assert choose(0, 0) == 1
    assert permutations_count(3, -2) == 0
    assert permutations_count(3, 4) == 0
    for n in range(0, 30):
        for k in range(-2, n + 3):
            assert choose(n, k) == (math.comb(n, k) if k >= 0 else 0)


def test_argument_errors() -> None:
    with pytest.raises(ValueError):
        factorial(-1)
    with pytest.raises(ValueError):
        choose(-3, 1)
    with pytest.raises(TypeError):
        factorial(3.0)
    with pytest.raises(TypeError):
        choose(True, 1)
    with pytest.raises(ValueError):
        multinomial([2, -1])
    with pytest.raises(ValueError):
        derangements(-2)
    with pytest.raises(ValueError):
        binomial_pmf(3, 1, 1.5)
    with pytest.raises(ValueError):
        hypergeometric_pmf(5, 6, 1, 1)
    with pytest.raises(ValueError):
        poisson_pmf(-1, 2)


def test_exact_integers_for_large_values() -> None:
    assert factorial(50) == math.factorial(50)
    expected = [1]
    for n in range(1, 26):
        expected.append(n * expected[-1] + (-1) ** n)
    assert [derangements(n) for n in range(26)] == expected
    assert multinomial([]) == 1
    assert multinomial([10, 0, 5]) == math.comb(15, 5)


def test_binomial_edges() -> None:
    assert binomial_pmf(5, 6, 0.5) == 0.0
    assert binomial_pmf(5, -1, 0.5) == 0.0
    assert binomial_pmf(3, 0, 0.0) == 1.0
    assert binomial_cdf(10, -1, 0.5) == 0.0
    assert binomial_cdf(10, 20, 0.5) == pytest.approx(1.0)
    assert binomial_cdf(200, 200, 0.9) <= 1.0
    with pytest.raises(ValueError):
        binomial_cdf(3, 1, -0.1)


def test_combinations_match_itertools_and_do_not_mutate() -> None:
    items = list("abcdef")
    for r in range(0, 7):
        assert [tuple(c) for c in combinations(items, r)] == list(itertools.combinations(items, r))
    assert list(combinations(items, 7)) == []
    assert items == list("abcdef")
    hands = list(combinations(["x", "y"], 1))
    hands[0].append("z")
    assert list(combinations(["x", "y"], 1)) == [["x"], ["y"]]


def test_hand_predicates() -> None:
    assert rank_counts(["Ah", "As", "Ad", "2c"]) == [3, 3, 3, 1]
    assert is_three_of_a_kind(["9h", "9s", "9d", "Kc", "Kd"])
    assert not is_straight(["Ah", "2c", "3d", "4s", "6h"])
    assert not is_straight(["Ah", "Ac", "3d", "4s", "5h"])
    assert is_straight(["Th", "Jc", "Qd", "Ks", "Ah"])
    assert len(DECK) == 52 and len(short_deck("A")) == 4
    assert count_hands(short_deck("Q"), 0, lambda h: True) == (1, 1)


def test_dice_enumeration() -> None:
    assert list(rolls(2, 2)) == [(1, 1), (1, 2), (2, 1), (2, 2)]
    dist = sum_distribution(3, 4)
    assert sum(dist.values()) == 64
    assert dist == dict(sorted(
        {s: sum(1 for r in itertools.product(range(1, 5), repeat=3) if sum(r) == s)
         for s in range(3, 13)}.items()))
    with pytest.raises(ValueError):
        sum_distribution(0, 6)


def test_expected_value_and_lottery() -> None:
    assert expected_value({10.0: 0.5, -2.0: 0.5}) == 4.0
    with pytest.raises(ValueError):
        expected_value({1.0: 0.3})
    assert at_least_once(0.5, 2) == pytest.approx(0.75)
    lines = newsletter((1,))
    assert len(lines) == 7 + 6 + 11 + 3
    assert lines[-1].startswith("Keno 10/70: 1 tickets -> ")
