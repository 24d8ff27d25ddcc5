from fractions import Fraction

from lottery import (
    Draw,
    any_prize_probability,
    balances,
    check_tickets,
    choose,
    current_gap,
    expected_return,
    factorial,
    format_draw,
    frequencies,
    gap_report,
    gaps,
    guarantee,
    hot_and_cold,
    match_probability,
    odds_text,
    pair_counts,
    parse_draw,
    parse_history,
    rolling_hot,
    simulate,
    statement,
    ticket_tier,
    tier_odds,
    wheel,
    win_log,
)

TIERS = (
    ("jackpot", 6, None, 1000),
    ("5+bonus", 5, True, 500),
    ("5", 5, False, 100),
    ("3", 3, None, 10),
)


def small_draws():
    return [
        Draw(1, "2024-01-06", (1, 2, 3), None),
        Draw(2, "2024-01-13", (2, 3, 4), None),
        Draw(3, "2024-01-20", (1, 5, 6), None),
        Draw(4, "2024-01-27", (2, 3, 6), None),
    ]


def test_factorial_and_choose():
    assert factorial(0) == 1
    assert factorial(6) == 720
    assert choose(49, 6) == 13_983_816
    assert choose(5, 0) == 1
    assert choose(3, 5) == 0


def test_six_from_forty_nine():
    assert match_probability(49, 6, 6) == Fraction(1, 13_983_816)
    assert match_probability(49, 6, 5, True) == Fraction(6, 13_983_816)
    assert match_probability(49, 6, 5, False) == Fraction(252, 13_983_816)
    assert match_probability(49, 6, 3) == Fraction(246_820, 13_983_816)
    assert odds_text(match_probability(49, 6, 6)) == "1 in 13,983,816"


def test_tier_summaries():
    odds = dict(tier_odds(49, 6, TIERS))
    assert odds["5+bonus"] + odds["5"] == match_probability(49, 6, 5)
    assert any_prize_probability(49, 6, TIERS) == sum(odds.values())
    assert expected_return(49, 6, TIERS) == sum(
        odds[name] * prize for name, _, _, prize in TIERS
    )


def test_parse_and_format():
    draw = parse_draw("12 2024-03-02: 4 9 17 23 31 40 + 8", 49, 6)
    assert draw == Draw(12, "2024-03-02", (4, 9, 17, 23, 31, 40), 8)
    assert format_draw(draw) == "12 2024-03-02: 04 09 17 23 31 40 + 08"
    assert parse_draw("3 2024-01-01: 9, 2, 5", 10, 3).balls == (2, 5, 9)


def test_parse_history_orders_and_skips():
    text = "# header\n2 2024-01-08: 3 1 2\n\n1 2024-01-01: 4 5 6 + 1\n"
    draws = parse_history(text, 9, 3)
    assert [d.number for d in draws] == [1, 2]
    assert draws[1].balls == (1, 2, 3)
    assert draws[0].bonus == 1


def test_frequencies_and_hot_cold():
    draws = small_draws()
    assert frequencies(draws, 6) == {1: 2, 2: 3, 3: 3, 4: 1, 5: 1, 6: 2}
    assert hot_and_cold(draws, 6, 2) == ((2, 3), (4, 5))


def test_gaps():
    draws = small_draws()
    assert gaps(draws, 2) == (1, 2)
    assert current_gap(draws, 5) == 1
    assert current_gap(draws, 7) == 4
    assert gap_report(draws, 2)[1] == (2, 2, Fraction(3, 2), 0)


def test_pairs_and_rolling():
    draws = small_draws()
    assert pair_counts(draws, 6, 2) == [((2, 3), 3), ((1, 2), 1)]
    assert rolling_hot(draws, 6, 2) == [(2, 2, False), (1, 1, False)]


def test_wheel_and_guarantee():
    tickets = wheel([5, 1, 3, 2], 3)
    assert tickets == [(1, 2, 3), (1, 2, 5), (1, 3, 5), (2, 3, 5)]
    assert guarantee(tickets, [1, 2, 3, 5], 3) == 3
    assert guarantee(tickets[:1], [1, 2, 3, 5], 2) == 1


def test_ticket_checking():
    draw = Draw(1, "2024-01-06", (1, 2, 3, 4, 5, 6), 7)
    assert ticket_tier((1, 2, 3, 4, 5, 6), draw, TIERS) == "jackpot"
    assert ticket_tier((1, 2, 3, 4, 5, 7), draw, TIERS) == "5+bonus"
    assert ticket_tier((1, 2, 3, 4, 5, 9), draw, TIERS) == "5"
    assert ticket_tier((1, 2, 3, 10, 11, 12), draw, TIERS) == "3"
    assert ticket_tier((1, 2, 10, 11, 12, 13), draw, TIERS) is None
    tickets = [(10, 11, 12, 13, 14, 15), (1, 2, 3, 20, 21, 22)]
    assert check_tickets(tickets, draw, TIERS) == [(1, "3")]


def test_syndicate_sharing():
    draws = [Draw(1, "2024-01-06", (1, 2, 3, 4, 5, 6), 7),
             Draw(2, "2024-01-13", (8, 9, 10, 11, 12, 13), 14)]
    members = [("A", "Ann", 1), ("B", "Bob", 3)]
    ledger = simulate(members, [(1, 2, 3, 30, 31, 32)], draws, TIERS, 2)
    assert ledger == [(1, "A", Fraction(2)), (1, "B", Fraction(6)),
                      (2, "A", Fraction(-1, 2)), (2, "B", Fraction(-3, 2))]
    assert balances(ledger, members) == {"A": Fraction(3, 2), "B": Fraction(9, 2)}
    assert statement(ledger, members, "B") == "Bob: 2 draws, 1 in profit, net £0.04"


def test_win_log():
    draws = [Draw(1, "2024-01-06", (1, 2, 3, 4, 5, 6), 7)]
    log = win_log([(1, 2, 3, 4, 5, 7), (1, 2, 3, 9, 10, 11)], draws, TIERS, 49, 6)
    assert log == [(1, 0, "5+bonus", "1 in 2,330,636"), (1, 1, "3", "1 in 57")]
