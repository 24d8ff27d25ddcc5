import random
from fractions import Fraction
from itertools import combinations, permutations

import pytest

from lottery import (
    Draw,
    balances,
    bonus_frequencies,
    check_tickets,
    chi_square,
    choose,
    current_gap,
    draws_between,
    factorial,
    frequencies,
    gap_report,
    guarantee,
    hot_and_cold,
    make_draw,
    match_probability,
    odds_text,
    overdue,
    pair_counts,
    parse_draw,
    parse_history,
    pounds,
    prize_for,
    rolling_hot,
    shape,
    shape_summary,
    share_out,
    simulate,
    statement,
    ticket_returns,
    ticket_tier,
    wheel,
    win_log,
)

TIERS = [
    ("top", 4, None, 900),
    ("3+b", 3, True, 60),
    ("3", 3, False, 20),
    ("2", 2, None, 3),
]


def random_draws(rng, count, n, k, bonus=True):
    draws = []
    for i in range(count):
        picked = rng.sample(range(1, n + 1), k + 1)
        draws.append(Draw(i + 1, f"2020-01-{i % 28 + 1:02d}", tuple(sorted(picked[:k])),
                          picked[k] if bonus else None))
    return draws


def ref_frequencies(draws, n):
    counts = dict.fromkeys(range(1, n + 1), 0)
    for d in draws:
        for b in set(d.balls):
            if b in counts:
                counts[b] += 1
    return counts


def test_empty_inputs():
    assert frequencies([], 4) == {1: 0, 2: 0, 3: 0, 4: 0}
    assert bonus_frequencies([], 2) == {1: 0, 2: 0}
    assert hot_and_cold([], 3, 2) == ((1, 2), (1, 2))
    assert gap_report([], 2) == [(1, 0, None, 0), (2, 0, None, 0)]
    assert overdue([], 3, 5) == [(1, 0), (2, 0), (3, 0)]
    assert pair_counts([], 10, 5) == []
    assert rolling_hot([], 10, 3) == []
    assert chi_square([], 10, 3) == 0
    assert shape_summary([]) == {"odd_split": {}, "mean_total": None, "with_run_of_3": 0}
    assert shape(()) == (0, 0, 0)
    members = [("A", "Ann", 2)]
    assert simulate(members, [(1, 2, 3, 4)], [], TIERS, 5) == []
    assert balances([], members) == {"A": Fraction(0)}
    assert ticket_returns([], [], TIERS) == []
    assert win_log([], [], TIERS, 10, 4) == []
    assert guarantee([], [1, 2, 3], 2) == 0
    assert guarantee([(1, 2)], [1, 2, 3], 0) == 0
    assert parse_history("", 10, 3) == []
    assert parse_history("# nothing yet\n\n", 10, 3) == []


def test_bad_arguments():
    with pytest.raises(ValueError):
        factorial(-1)
    with pytest.raises(ValueError):
        choose(-1, 2)
    with pytest.raises(ValueError):
        choose(4, -2)
    with pytest.raises(ValueError):
        match_probability(3, 5, 1)
    with pytest.raises(ValueError):
        match_probability(5, 0, 0)
    with pytest.raises(ValueError):
        match_probability(6, 6, 6, True)
    with pytest.raises(ValueError):
        rolling_hot([], 5, 0)
    with pytest.raises(ValueError):
        wheel([1, 2, 2], 3)
    with pytest.raises(ValueError):
        guarantee([(1, 2)], [1, 2], 3)
    with pytest.raises(ValueError):
        share_out(10, [])
    with pytest.raises(ValueError):
        share_out(10, [("A", "Ann", 0)])
    with pytest.raises(KeyError):
        prize_for("nope", TIERS)
    with pytest.raises(KeyError):
        statement([], [("A", "Ann", 1)], "B")


def test_bad_draw_lines():
    for line in [
        "1 2024-01-01: 1 2 3 4",
        "1 2024-01-01: 1 2 2",
        "1 2024-01-01: 0 2 3",
        "1 2024-01-01: 1 2 11",
        "1 2024-01-01: 1 2 3 + 3",
        "1 2024-01-01: 1 2 3 + 12",
        "2024-01-01: 1 2 3",
        "1 01/01/2024: 1 2 3",
        "x 2024-01-01: 1 2 3",
    ]:
        with pytest.raises(ValueError):
            parse_draw(line, 10, 3)


def test_parse_history_rejects_repeated_draw_numbers():
    with pytest.raises(ValueError):
        parse_history("1 2024-01-01: 1 2 3\n1 2024-01-04: 4 5 6", 10, 3)
    draws = parse_history("  2 2024-01-04 : 4,5 ,6 +7  \n1 2024-01-01:1 2 3", 10, 3)
    assert draws == [Draw(1, "2024-01-01", (1, 2, 3), None), Draw(2, "2024-01-04", (4, 5, 6), 7)]
    assert draws_between(draws, "2024-01-02", "2024-01-04") == draws[1:]
    assert make_draw(5, "d", [3, 1, 2], None, 3, 3).balls == (1, 2, 3)


def test_choose_against_pascal():
    row = [1]
    for n in range(61):
        assert [choose(n, k) for k in range(n + 1)] == row
        assert choose(n, n + 1) == 0
        row = [1] + [a + b for a, b in zip(row, row[1:])] + [1]
    assert factorial(20) == 2_432_902_008_176_640_000


def test_probabilities_against_enumeration():
    n, k = 8, 3
    ticket = {1, 2, 3}
    plain = {}
    split = {}
    total = 0
    for drawn in combinations(range(1, n + 1), k):
        rest = [x for x in range(1, n + 1) if x not in drawn]
        matched = len(ticket & set(drawn))
        plain[matched] = plain.get(matched, 0) + len(rest)
        for bonus in rest:
            key = (matched, bonus in ticket)
            split[key] = split.get(key, 0) + 1
            total += 1
    for matched in range(k + 1):
        assert match_probability(n, k, matched) == Fraction(plain.get(matched, 0), total)
        for has_bonus in (True, False):
            assert match_probability(n, k, matched, has_bonus) == Fraction(
                split.get((matched, has_bonus), 0), total)
    assert match_probability(n, k, k + 1) == 0
    assert match_probability(n, k, -1) == 0
    for n, k in [(49, 6), (59, 6), (10, 10), (35, 5)]:
        assert sum(match_probability(n, k, m) for m in range(k + 1)) == 1


def test_odds_text_and_pounds():
    assert odds_text(Fraction(0)) == "never"
    assert odds_text(Fraction(1, 2)) == "1 in 2.0"
    assert odds_text(Fraction(2, 19)) == "1 in 9.5"
    assert odds_text(Fraction(1, 10)) == "1 in 10"
    assert odds_text(Fraction(1, 13_983_816)) == "1 in 13,983,816"
    assert pounds(-150) == "-£1.50"
    assert pounds(123456789) == "£1,234,567.89"
    assert pounds(Fraction(1, 3)) == "£0.00"


def test_ties_and_ordering():
    draws = [Draw(1, "d1", (5, 6), None), Draw(2, "d2", (1, 2), None),
             Draw(3, "d3", (3, 4), None)]
    assert hot_and_cold(draws, 6, 3) == ((1, 2, 3), (1, 2, 3))
    assert overdue(draws, 6, 4) == [(5, 2), (6, 2), (1, 1), (2, 1)]
    assert pair_counts(draws, 6, 5) == [((1, 2), 1), ((3, 4), 1), ((5, 6), 1)]
    assert rolling_hot(draws, 6, 1) == [(5, 1, False), (1, 1, False)]
    tiers = [("a", 1, None, 5), ("b", 0, None, 5)]
    tickets = [(3, 9), (1, 9), (5, 9)]
    assert ticket_returns(tickets, draws, tiers) == [(0, 15), (1, 15), (2, 15)]


def test_unsorted_and_odd_draws():
    draws = [Draw(1, "d", (9, 2, 5), 3), Draw(2, "d", (5, 11, 2), None)]
    assert frequencies(draws, 10) == ref_frequencies(draws, 10)
    assert pair_counts(draws, 10, 5) == [((2, 5), 2), ((2, 9), 1), ((5, 9), 1)]
    assert bonus_frequencies(draws, 4) == {1: 0, 2: 0, 3: 1, 4: 0}
    assert rolling_hot(draws, 10, 1) == [(2, 1, True)]


def test_results_follow_mutation():
    draws = [Draw(1, "d1", (1, 2, 3), None)]
    assert frequencies(draws, 4)[4] == 0
    assert pair_counts(draws, 4, 1) == [((1, 2), 1)]
    assert overdue(draws, 4, 1) == [(4, 1)]
    draws.append(Draw(2, "d2", (2, 3, 4), None))
    draws.append(Draw(3, "d3", (2, 3, 4), None))
    assert frequencies(draws, 4) == {1: 1, 2: 3, 3: 3, 4: 2}
    assert pair_counts(draws, 4, 1) == [((2, 3), 3)]
    assert overdue(draws, 4, 1) == [(1, 2)]
    assert rolling_hot(draws, 4, 2) == [(2, 2, True)]
    draws[0] = Draw(1, "d1", (1, 3, 4), None)
    assert rolling_hot(draws, 4, 2) == [(3, 2, True)]
    assert gap_report(draws, 4)[3] == (4, 1, Fraction(1), 0)

    members = [("A", "Ann", 1)]
    tiers = [("x", 2, None, 10)]
    game = [Draw(1, "d", (1, 2, 5), None)]
    assert simulate(members, [(1, 2, 9)], game, tiers, 1) == [(1, "A", Fraction(9))]
    members.append(("B", "Bob", 2))
    tiers[0] = ("x", 2, None, 31)
    assert simulate(members, [(1, 2, 9)], game, tiers, 1) == [
        (1, "A", Fraction(10)), (1, "B", Fraction(20))]
    ledger = simulate(members, [(1, 2, 9)], game, tiers, 1)
    assert balances(ledger, members)["B"] == 20
    ledger.append((2, "B", Fraction(-5)))
    assert balances(ledger, members) == {"A": 10, "B": 15}
    assert statement(ledger, members, "B") == "Bob: 2 draws, 1 in profit, net £0.15"
    assert win_log([(1, 2, 9)], game, tiers, 5, 3) == [(1, 0, "x", "1 in 1.7")]
    tiers.insert(0, ("y", 2, None, 7))
    assert win_log([(1, 2, 9)], game, tiers, 5, 3) == [(1, 0, "y", "1 in 1.7")]
    tiers[0] = ("y", 2, None, 7)
    assert win_log([(1, 2, 9)], game, tiers, 7, 3) == [(1, 0, "y", "1 in 2.9")]


def test_large_statistics_against_reference():
    rng = random.Random(7)
    n, k = 20, 5
    draws = random_draws(rng, 300, n, k)
    assert frequencies(draws, n) == ref_frequencies(draws, n)
    bonus = {num: [d.bonus for d in draws].count(num) for num in range(1, n + 1)}
    assert bonus_frequencies(draws, n) == bonus

    report = gap_report(draws, n)
    for num, longest, mean, current in report:
        seen = [i for i, d in enumerate(draws) if num in d.balls]
        spans = [b - a for a, b in zip(seen, seen[1:])]
        assert longest == (max(spans) if spans else 0)
        assert mean == (Fraction(sum(spans), len(spans)) if spans else None)
        assert current == current_gap(draws, num) == (len(draws) - 1 - seen[-1]
                                                        if seen else len(draws))
    expected_overdue = sorted(((r[0], r[3]) for r in report), key=lambda t: (-t[1], t[0]))
    assert overdue(draws, n, 7) == expected_overdue[:7]

    pairs = {}
    for d in draws:
        for a, b in combinations(sorted(d.balls), 2):
            pairs[(a, b)] = pairs.get((a, b), 0) + 1
    ranked = sorted(pairs.items(), key=lambda t: (-t[1], t[0]))
    assert pair_counts(draws, n, 12) == ranked[:12]
    assert pair_counts(draws, n, 10_000) == ranked

    for window in (1, 7, 40):
        expected = []
        for i in range(window, len(draws)):
            freq = ref_frequencies(draws[i - window:i], n)
            top = max(freq.values())
            best = min(num for num in freq if freq[num] == top)
            expected.append((best, top, best in draws[i].balls))
        assert rolling_hot(draws, n, window) == expected

    freq = ref_frequencies(draws, n)
    exp = Fraction(len(draws) * k, n)
    assert chi_square(draws, n, k) == sum((f - exp) ** 2 / exp for f in freq.values())


def test_large_syndicate_against_reference():
    rng = random.Random(11)
    n, k = 15, 4
    draws = random_draws(rng, 150, n, k)
    tickets = wheel(rng.sample(range(1, n + 1), 7), k)[::2]
    members = [(f"M{i}", f"Member {i}", rng.randint(1, 5)) for i in range(9)]
    ledger = simulate(members, tickets, draws, TIERS, 2)
    total_shares = sum(m[2] for m in members)
    prizes = {name: prize for name, _, _, prize in TIERS}
    expected_ledger = []
    expected_wins = []
    expected_net = 0
    per_ticket = [0] * len(tickets)
    for d in draws:
        won = 0
        for i, t in enumerate(tickets):
            matched = len(set(t) & set(d.balls))
            has_bonus = d.bonus in t
            name = None
            if matched == 4:
                name = "top"
            elif matched == 3:
                name = "3+b" if has_bonus else "3"
            elif matched == 2:
                name = "2"
            if name:
                won += prizes[name]
                per_ticket[i] += prizes[name]
                expected_wins.append((d.number, i, name))
        net = won - 2 * len(tickets)
        expected_net += net
        for mid, _, shares in members:
            expected_ledger.append((d.number, mid, Fraction(net * shares, total_shares)))
    assert ledger == expected_ledger
    assert [w[:3] for w in win_log(tickets, draws, TIERS, n, k)] == expected_wins
    assert ticket_returns(tickets, draws, TIERS) == sorted(
        enumerate(per_ticket), key=lambda t: (-t[1], t[0]))
    money = balances(ledger, members)
    assert list(money) == [m[0] for m in members]
    for mid, _, _ in members:
        assert money[mid] == sum(amt for _, m, amt in expected_ledger if m == mid)
    assert sum(money.values()) == expected_net


def test_guarantee_brute_force_and_checks():
    pool = [2, 4, 6, 8, 10, 12]
    tickets = wheel(pool, 3)[::4]
    for hits in range(len(pool) + 1):
        worst = min(max(len(set(t) & set(drawn)) for t in tickets)
                    for drawn in combinations(pool, hits))
        assert guarantee(tickets, pool, hits) == worst
    draw = Draw(1, "d", (1, 2, 3, 4), 5)
    for ticket in permutations((1, 2, 3, 5)):
        assert ticket_tier(ticket, draw, TIERS) == "3+b"
    assert check_tickets([(1, 2, 3, 4), (6, 7, 8, 9), (1, 2, 8, 9)], draw, TIERS) == [
        (0, "top"), (2, "2")]
    assert ticket_tier((1, 2, 3, 9), Draw(1, "d", (1, 2, 3, 4), None), TIERS) == "3"
