import itertools
import math
import random
from collections import Counter
from fractions import Fraction

import pytest

import dicelab as dl

# ---------------------------------------------------------------- oracles


def brute_keep(count, sides, keep, highest):
    counts = Counter()
    for roll in itertools.product(range(1, sides + 1), repeat=count):
        kept = sorted(roll, reverse=highest)[:keep]
        counts[sum(kept)] += 1
    total = sides**count
    return {k: Fraction(v, total) for k, v in sorted(counts.items())}


def brute_explode(sides, depth):
    # enumerate every roll sequence explicitly
    out = Counter()

    def walk(total, prob, left):
        for face in range(1, sides + 1):
            p = prob / sides
            if face == sides and left > 0:
                walk(total + face, p, left - 1)
            else:
                out[total + face] += p

    walk(0, Fraction(1), depth)
    return dict(out)


def brute_hand(cards, needs, hand_size):
    hits = total = 0
    for hand in itertools.combinations(range(len(cards)), hand_size):
        kinds = Counter(cards[i] for i in hand)
        total += 1
        if all(kinds[k] >= n for k, n in needs.items()):
            hits += 1
    return Fraction(hits, total)


def dp_turn(hold_at, sides, bust):
    # probability of reaching each turn total, filled forwards
    reach = {0: Fraction(1)}
    out = Counter()
    for total in range(0, hold_at):
        p = reach.get(total, 0)
        if not p:
            continue
        for face in range(1, sides + 1):
            q = p / sides
            if face == bust:
                out[0] += q
            elif total + face >= hold_at:
                out[total + face] += q
            else:
                reach[total + face] = reach.get(total + face, 0) + q
    return dict(out)


def dp_win(target, turns, hold_at, sides, bust):
    memo = {}

    def win(score, left):
        if score >= target:
            return Fraction(1)
        if left == 0:
            return Fraction(0)
        key = (score, left)
        if key not in memo:
            dist = dp_turn(min(hold_at, target - score), sides, bust)
            memo[key] = sum(p * win(score + b, left - 1) for b, p in dist.items())
        return memo[key]

    return win(0, turns)


# ---------------------------------------------------------------- dice


def test_keep_matches_brute_force():
    cases = [(1, 6, 1), (3, 4, 2), (4, 3, 1), (5, 4, 3), (3, 7, 3)]
    for count, sides, keep in cases:
        assert dl.keep_highest(count, sides, keep) == brute_keep(count, sides, keep, True)
        assert dl.keep_lowest(count, sides, keep) == brute_keep(count, sides, keep, False)


def test_keep_results_are_sorted_and_sum_to_one():
    dist = dl.keep_highest(4, 5, 2)
    assert list(dist) == sorted(dist)
    assert sum(dist.values()) == 1
    assert all(isinstance(p, Fraction) for p in dist.values())


def test_keep_invalid_arguments():
    with pytest.raises(ValueError, match="cannot keep 4 of 3 dice"):
        dl.keep_highest(3, 6, 4)
    with pytest.raises(ValueError, match="cannot keep 0 of 3 dice"):
        dl.keep_lowest(3, 6, 0)
    with pytest.raises(ValueError, match="at least one side"):
        dl.keep_dice(2, 0, 1)


def test_sum_distribution_matches_brute_force():
    rng = random.Random(99)
    for _ in range(6):
        count, sides = rng.randint(0, 4), rng.randint(1, 7)
        counts = Counter(sum(r) for r in itertools.product(range(1, sides + 1), repeat=count))
        expected = {k: Fraction(v, sides**count) for k, v in counts.items()}
        assert dl.sum_distribution(count, sides) == expected


def test_sum_distribution_errors():
    with pytest.raises(ValueError, match="must not be negative"):
        dl.sum_distribution(-1, 6)
    with pytest.raises(ValueError, match="at least one side"):
        dl.die_distribution(0)


def test_exploding_die_matches_enumeration():
    for sides, depth in [(2, 0), (2, 4), (4, 2), (6, 3), (10, 1)]:
        assert dl.exploding_die(sides, depth) == brute_explode(sides, depth)


def test_exploding_die_depth_zero_is_plain_die_and_errors():
    assert dl.exploding_die(8, 0) == dl.die_distribution(8)
    with pytest.raises(ValueError, match="at least two sides"):
        dl.exploding_die(1, 2)
    with pytest.raises(ValueError, match="must not be negative"):
        dl.exploding_die(6, -1)


def test_exploding_sum_is_convolution():
    one = brute_explode(4, 2)
    expected = Counter()
    for (a, pa), (b, pb) in itertools.product(one.items(), repeat=2):
        expected[a + b] += pa * pb
    assert dl.exploding_sum(2, 4, 2) == dict(expected)


def test_returned_distributions_are_fresh_objects():
    first = dl.keep_highest(3, 6, 2)
    first[12] = Fraction(5)
    first.pop(2)
    assert dl.keep_highest(3, 6, 2) == brute_keep(3, 6, 2, True)
    spec = dl.DiceSpec.parse("2d6")
    dist = spec.distribution()
    dist.clear()
    assert spec.distribution()[7] == Fraction(1, 6)
    s = dl.sum_distribution(2, 4)
    s[5] = 0
    assert dl.sum_distribution(2, 4)[5] == Fraction(1, 4)


def test_parse_variants():
    cases = [
        ("3D6 + 2", (3, 6, None, False, None, 2)),
        ("  d12-3 ", (1, 12, None, False, None, -3)),
        ("2d10!", (2, 10, None, False, 3, 0)),
        ("2d10!1+4", (2, 10, None, False, 1, 4)),
        ("5d8KL2", (5, 8, 2, True, None, 0)),
        ("4d6kh3-1", (4, 6, 3, False, None, -1)),
        ("10d4!0", (10, 4, None, False, 0, 0)),
    ]
    for text, expected in cases:
        spec = dl.DiceSpec.parse(text)
        fields = (spec.count, spec.sides, spec.keep, spec.lowest, spec.explode, spec.modifier)
        assert fields == expected, text
        assert dl.DiceSpec.parse(str(spec)) == spec


def test_parse_rejects():
    cases = [
        ("0d6", "dice count"),
        ("101d6", "dice count"),
        ("3d0", "sides"),
        ("3d6kh4", "cannot keep 4 of 3"),
        ("3d6kh2!", "cannot combine"),
        ("1d1!", "at least two sides"),
        ("3d6+", "not a dice spec"),
        ("", "not a dice spec"),
        ("3x6", "not a dice spec"),
    ]
    for text, message in cases:
        with pytest.raises(ValueError, match=message):
            dl.DiceSpec.parse(text)


def test_spec_constructor_rejects_keep_with_explode():
    with pytest.raises(ValueError, match="cannot combine"):
        dl.DiceSpec(3, 6, keep=2, explode=1)


def test_spec_distribution_kinds_and_hashable():
    assert dl.DiceSpec.parse("1d6-5").distribution() == dl.shift(dl.die_distribution(6), -5)
    assert dl.DiceSpec.parse("3d4kl1+1").distribution() == dl.shift(brute_keep(3, 4, 1, False), 1)
    assert dl.DiceSpec.parse("1d4!2").distribution() == brute_explode(4, 2)
    assert len({dl.DiceSpec.parse("3d6"), dl.DiceSpec.parse("3D6"), dl.DiceSpec(3, 6)}) == 1


def test_mean_variance_and_compare_totals():
    d6 = dl.die_distribution(6)
    assert dl.mean(d6) == Fraction(7, 2)
    assert dl.variance(d6) == Fraction(35, 12)
    win, tie, lose = dl.compare(dl.sum_distribution(2, 6), dl.die_distribution(12))
    assert win + tie + lose == 1
    assert win > lose
    assert dl.compare({}, d6) == (0, 0, 0)


# ---------------------------------------------------------------- cards


def test_combinations_against_math_comb():
    rng = random.Random(5)
    for _ in range(40):
        n = rng.randint(0, 70)
        k = rng.randint(-2, n + 2)
        expected = math.comb(n, k) if 0 <= k <= n else 0
        assert dl.combinations(n, k) == expected
    assert dl.combinations(0, 0) == 1
    with pytest.raises(ValueError, match="negative number: -1"):
        dl.factorial(-1)
    assert dl.factorial(0) == 1


def test_hypergeometric_sums_to_one_and_validates():
    assert sum(dl.hypergeometric(30, 9, 7, k) for k in range(8)) == 1
    assert dl.hypergeometric(10, 3, 4, 5) == 0
    with pytest.raises(ValueError, match="between 0 and the population"):
        dl.hypergeometric(10, 11, 2, 1)
    with pytest.raises(ValueError, match="between 0 and the population"):
        dl.hypergeometric(10, 3, 12, 1)


def test_prob_all_against_brute_force():
    rng = random.Random(2024)
    for _ in range(8):
        kinds = ["r", "g", "b", "y"][: rng.randint(2, 4)]
        deck = dl.Deck({k: rng.randint(0, 4) for k in kinds})
        cards = deck.cards()
        hand = rng.randint(0, min(5, len(cards)))
        needs = {k: rng.randint(0, 2) for k in rng.sample(kinds, rng.randint(1, len(kinds)))}
        assert dl.prob_all(deck, needs, hand) == brute_hand(cards, needs, hand)


def test_prob_all_edge_cases():
    deck = dl.Deck({"a": 3, "b": 2})
    assert dl.prob_all(deck, {}, 3) == 1
    assert dl.prob_all(deck, {"a": 4}, 5) == 0
    assert dl.prob_all(deck, {"zzz": 1}, 2) == 0
    assert dl.prob_all(deck, {"zzz": 0, "a": 0}, 2) == 1
    assert dl.prob_all(deck, {"a": 1}, 0) == 0
    with pytest.raises(ValueError, match="cannot draw 6 cards from a deck of 5"):
        dl.prob_all(deck, {"a": 1}, 6)
    with pytest.raises(ValueError, match="hand size must not be negative"):
        dl.prob_all(deck, {"a": 1}, -1)
    with pytest.raises(ValueError, match="need for 'b' must not be negative"):
        dl.prob_all(deck, {"a": 1, "b": -1}, 2)


def test_results_follow_deck_mutation():
    deck = dl.Deck({"x": 5, "y": 5, "z": 2})
    before = dl.prob_all(deck, {"x": 2}, 4)
    deck.remove("x", 3)
    after = dl.prob_all(deck, {"x": 2}, 4)
    assert after == dl.prob_all(dl.Deck({"x": 2, "y": 5, "z": 2}), {"x": 2}, 4)
    assert after < before
    assert dl.prob_at_least(deck, "x", 4, 1) == brute_hand(deck.cards(), {"x": 1}, 4)
    deck.add("w", 4)
    assert dl.prob_all(deck, {"x": 1, "w": 1}, 3) == brute_hand(deck.cards(), {"x": 1, "w": 1}, 3)


def test_prob_at_least_edges():
    deck = dl.Deck.standard("rank")
    assert dl.prob_at_least(deck, "A", 5, 0) == 1
    assert dl.prob_at_least(deck, "A", 5, -3) == 1
    assert dl.prob_at_least(deck, "A", 3, 4) == 0
    assert dl.prob_exactly(deck, "K", 5, 4) == Fraction(48, dl.combinations(52, 5))


def test_deck_operations_and_errors():
    deck = dl.Deck.parse("ore: 2, , wool:1,ore:1")
    assert deck.count("ore") == 3 and len(deck) == 4
    assert deck.cards() == ["ore", "ore", "ore", "wool"]
    copy = deck.copy()
    copy.remove("wool")
    assert deck.count("wool") == 1
    assert copy.kinds() == ["ore"]
    assert repr(copy) == "Deck(ore:3)"
    with pytest.raises(ValueError, match=r"cannot remove 4 'ore' card\(s\), deck holds 3"):
        deck.remove("ore", 4)
    with pytest.raises(ValueError, match="negative number of cards"):
        deck.add("ore", -1)
    with pytest.raises(ValueError, match="expected 'kind:count'"):
        dl.Deck.parse("ore")
    with pytest.raises(ValueError, match="bad count"):
        dl.Deck.parse("ore:many")
    with pytest.raises(ValueError, match="'suit' or 'rank'"):
        dl.Deck.standard("colour")


def test_prob_in_order():
    deck = dl.Deck({"a": 2, "b": 1})
    assert dl.prob_in_order(deck, ["a", "b", "a"]) == Fraction(1, 3)
    assert dl.prob_in_order(deck, ["b", "b"]) == 0
    assert dl.prob_in_order(deck, []) == 1
    assert dl.prob_in_order(deck, ["c"]) == 0


# ---------------------------------------------------------------- game


def test_turn_distribution_matches_dp():
    for hold_at, sides, bust in [(1, 2, 2), (5, 4, 1), (9, 6, 1), (7, 6, 6), (6, 5, 3)]:
        dist = dl.turn_distribution(hold_at, sides, bust)
        assert dist == dp_turn(hold_at, sides, bust)
        assert sum(dist.values()) == 1
        assert list(dist) == sorted(dist)


def test_turn_distribution_is_fresh():
    first = dl.turn_distribution(8)
    first[0] = Fraction(1)
    assert dl.turn_distribution(8) == dp_turn(8, 6, 1)


def test_win_probability_matches_dp():
    cases = [
        (10, 3, 6, 6, 1),
        (14, 2, 20, 6, 1),
        (9, 3, 4, 4, 2),
        (12, 3, 8, 8, 1),
        (7, 4, 3, 6, 6),
    ]
    for target, turns, hold_at, sides, bust in cases:
        expected = dp_win(target, turns, hold_at, sides, bust)
        assert dl.win_probability(target, turns, hold_at, sides, bust) == expected


def test_win_probability_changes_with_rules_between_calls():
    a = dl.win_probability(12, 2, 8, 6, 1)
    b = dl.win_probability(12, 2, 8, 8, 1)
    c = dl.win_probability(12, 2, 8, 6, 2)
    assert a == dp_win(12, 2, 8, 6, 1)
    assert b == dp_win(12, 2, 8, 8, 1)
    assert c == dp_win(12, 2, 8, 6, 2)
    assert len({a, b, c}) == 3
    assert dl.win_probability(12, 2, 8, 6, 1) == a


def test_win_probability_edges_and_errors():
    assert dl.win_probability(5, 0, 3) == 0
    assert dl.win_probability(1, 1, 10) == Fraction(5, 6)
    with pytest.raises(ValueError, match="at least two sides"):
        dl.win_probability(5, 2, 3, sides=1)
    with pytest.raises(ValueError, match="bust face 7 is not on a d6"):
        dl.win_probability(5, 2, 3, bust=7)
    with pytest.raises(ValueError, match="target must be at least 1"):
        dl.win_probability(0, 2, 3)
    with pytest.raises(ValueError, match="turns must not be negative"):
        dl.win_probability(5, -1, 3)
    with pytest.raises(ValueError, match="hold threshold must be at least 1"):
        dl.win_probability(5, 1, 0)
    with pytest.raises(ValueError, match="hold threshold must be at least 1"):
        dl.turn_distribution(0)


def test_best_hold_ties_and_errors():
    # with a target of 2 every threshold >= 2 plays identically; the smallest wins the tie
    assert dl.best_hold(2, 2, [9, 5, 2, 5, 3]) == (2, Fraction(35, 36))
    hold, chance = dl.best_hold(11, 3, range(3, 12), 6, 1)
    oracle = {h: dp_win(11, 3, h, 6, 1) for h in range(3, 12)}
    best = max(oracle.values())
    assert chance == best
    assert hold == min(h for h, p in oracle.items() if p == best)
    with pytest.raises(ValueError, match="no hold thresholds"):
        dl.best_hold(10, 2, [])


def test_expected_turn_score_matches_dp():
    dist = dp_turn(10, 6, 1)
    assert dl.expected_turn_score(10) == sum(b * p for b, p in dist.items())
    assert dl.expected_turn_score(3, 4, 4) == sum(b * p for b, p in dp_turn(3, 4, 4).items())


# ---------------------------------------------------------------- formatting


def test_odds_variants():
    assert dl.as_odds(0.25) == "3:1 against"
    assert dl.as_odds(0.5) == "evens"
    assert dl.as_odds(1) == "certain"
    assert dl.as_odds(Fraction(1001, 2000)) == "evens"
    assert dl.as_odds(Fraction(2, 7)) == "5:2 against"
    assert dl.as_odds(Fraction(1, 1000)) == "999:1 against"
    assert dl.as_odds(Fraction(5, 7), max_denominator=1) == "2:1 on"
    with pytest.raises(ValueError, match="between 0 and 1"):
        dl.as_odds(Fraction(3, 2))
    with pytest.raises(ValueError, match="between 0 and 1"):
        dl.as_percent(-0.1)
    with pytest.raises(TypeError, match="not str"):
        dl.as_odds("0.5")


def test_percent_variants():
    assert dl.as_percent(1) == "100.0%"
    assert dl.as_percent(Fraction(2, 3), 0) == "67%"
    assert dl.as_percent(0.125, 3) == "12.500%"


def test_table_against_oracle_and_after_mutation():
    rng = random.Random(8)
    dist = {}
    for value in sorted(rng.sample(range(-20, 40), 15)):
        dist[value] = Fraction(rng.randint(1, 9))
    total = sum(dist.values())
    dist = {k: v / total for k, v in dist.items()}
    lines = dl.distribution_table(dist, digits=3)
    for line, value in zip(lines, dist):
        at_least = sum(p for k, p in dist.items() if k >= value)
        assert line.split()[0] == str(value)
        assert line.split()[2] == dl.as_percent(at_least, 3)
        assert line.endswith(dl.as_odds(at_least))
    assert dl.prob_total_at_least(dist, 10**6) == 0
    assert dl.prob_at_most(dist, -100) == 0
    first = next(iter(dist))
    assert dl.prob_at_most(dist, first) == dist[first]
    moved = {k + 1: v for k, v in dist.items()}
    assert dl.distribution_table(moved, 3)[0].split()[0] == str(first + 1)
    assert dl.distribution_table({}) == []


def test_summary_errors_and_values():
    with pytest.raises(ValueError, match="empty distribution"):
        dl.summary({})
    assert dl.summary({5: Fraction(1)}) == "mean 5.00, sd 0.00, range 5-5"


# ---------------------------------------------------------------- simulation


def test_roll_string_and_spec_agree_and_stay_in_range():
    for text in ["3d6+2", "4d6kh3", "2d20kl1", "2d4!1", "1d6-5"]:
        spec = dl.DiceSpec.parse(text)
        a, b = random.Random(4), random.Random(4)
        rolls_a = [dl.roll(text, a) for _ in range(300)]
        rolls_b = [dl.roll(spec, b) for _ in range(300)]
        assert rolls_a == rolls_b
        dist = spec.distribution()
        assert min(dist) <= min(rolls_a) and max(rolls_a) <= max(dist)
        assert set(rolls_a) <= set(dist)


def test_simulate_spec_seed_and_equivalent_texts():
    first = dl.simulate_spec("3d6", 800, 21)
    assert dl.simulate_spec("3D6", 800, 21) == first
    assert dl.simulate_spec(dl.DiceSpec(3, 6), 800, 21) == first
    assert dl.simulate_spec("3d6", 800, 22) != first
    assert dl.simulate_spec("3d6+1", 800, 21) == {k + 1: v for k, v in first.items()}
    assert list(first) == sorted(first)


def test_total_variation():
    exact = dl.die_distribution(4)
    assert dl.total_variation(exact, {1: 5, 2: 5, 3: 5, 4: 5}) == 0
    assert dl.total_variation(exact, {9: 3}) == 1
    with pytest.raises(ValueError, match="no observations"):
        dl.total_variation(exact, {})


def test_cross_check_flags_and_fields():
    report = dl.cross_check(dl.DiceSpec.parse("4d6kh3"), 4000, 2)
    assert report["spec"] == "4d6kh3" and report["trials"] == 4000
    assert report["ok"]
    strict = dl.cross_check("3d6", 50, 2, tolerance=0.0)
    assert not strict["ok"]


def test_simulate_hands_follows_deck_changes():
    deck = dl.Deck({"a": 6, "b": 6})
    before = dl.simulate_hands(deck, {"a": 2}, 4, 3000, 17)
    assert before == dl.simulate_hands(deck, {"a": 2}, 4, 3000, 17)
    deck.remove("a", 4)
    after = dl.simulate_hands(deck, {"a": 2}, 4, 3000, 17)
    exact = dl.prob_all(deck, {"a": 2}, 4)
    assert abs(float(after) - float(exact)) < 0.04
    assert after < before
    assert dl.simulate_hands(deck, {}, 4, 10, 1) == 1


def test_play_game_and_simulate_game():
    rng = random.Random(3)
    results = [dl.play_game(rng, 1, 1, 5) for _ in range(600)]
    assert 0.75 < sum(results) / 600 < 0.92
    assert dl.simulate_game(5, 0, 3, 20, 1) == 0
    exact = dl.win_probability(12, 3, 8, 4, 2)
    assert abs(float(dl.simulate_game(12, 3, 8, 5000, 9, 4, 2)) - float(exact)) < 0.03


def test_table_for_unsorted_distribution():
    dist = {9: Fraction(1, 4), 2: Fraction(1, 8), 5: Fraction(1, 2), -1: Fraction(1, 8)}
    lines = dl.distribution_table(dist, digits=1)
    assert [line.split()[0] for line in lines] == ["9", "2", "5", "-1"]
    assert [line.split()[2] for line in lines] == ["25.0%", "87.5%", "75.0%", "100.0%"]
    assert lines[1].endswith("7:1 on")
