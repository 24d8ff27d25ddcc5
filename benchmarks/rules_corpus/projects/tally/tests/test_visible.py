from tally import arrangements, choose, draw_odds, score_table, weighted_score


def test_choose():
    assert choose(5, 2) == 10
    assert choose(5, 6) == 0
    assert choose(0, 0) == 1


def test_arrangements():
    assert arrangements(5, 2) == 20
    assert arrangements(3, 0) == 1


def test_odds():
    assert abs(draw_odds(49, 6, 6) - 1 / 13983816) < 1e-15


def test_score():
    assert weighted_score(("v", (1, 2), 2)) == "%.3f" % (8.0 + 6 % 7)
    assert score_table([("a", (0,), 1)]) == (("a", 1.0),)
