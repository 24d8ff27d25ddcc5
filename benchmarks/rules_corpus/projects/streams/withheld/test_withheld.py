import pytest

from streams import enrich, normalize_tag, parse_events, running_leaders


def test_duplicate_user_ids_yield_each_match_in_user_order():
    events = [("u1", "t", 1.0)]
    assert enrich(events, [("u1", "A"), ("u2", "B"), ("u1", "C")]) == [
        ("A", "t", 1.0), ("C", "t", 1.0)]


def test_bad_line_raises():
    with pytest.raises(ValueError):
        list(parse_events(["u1|tag"]))
    with pytest.raises(ValueError):
        list(parse_events(["u1|tag|x"]))


def test_normalize_edge():
    assert normalize_tag("") == ""
    assert normalize_tag("---") == ""
    assert normalize_tag("A_b") == "a-b"


def test_leaders_k_zero_and_ties():
    evs = [("a", "t", 2.0), ("b", "t", 2.0)]
    assert running_leaders(evs, 0) == [(), ()]
    assert running_leaders(evs, 5) == [(2.0,), (2.0, 2.0)]


def test_unhashable_ids_still_join():
    assert enrich([(1, "t", 1.0)], [(1.0, "one")]) == [("one", "t", 1.0)]
