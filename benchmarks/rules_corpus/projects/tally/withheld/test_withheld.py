import pytest

from tally import arrangements, choose, weighted_score
from tally.stats import fact


def test_fact_edges():
    assert fact(0) == 1
    assert fact(1) == 1
    assert fact(-3) == 1
    assert fact(20) == 2432902008176640000


def test_choose_negative():
    assert choose(5, -1) == 0
    assert choose(60, 30) == 118264581564861424


def test_arrangements_edges():
    assert arrangements(5, 6) == 0
    assert arrangements(0, 0) == 1
    assert arrangements(30, 30) == fact(30)


def test_score_empty_and_float_choices():
    assert weighted_score(("v", (), 3)) == "1.000"
    assert weighted_score(("v", (0.5, 1.5), 1)) == "%.3f" % (2.5 + (1.5 * 2.5) % 7)


def test_score_bad_ballot():
    with pytest.raises(ValueError):
        weighted_score(("v", (1,)))
