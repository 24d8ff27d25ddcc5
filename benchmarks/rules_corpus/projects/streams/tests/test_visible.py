from streams import enrich, normalize_tag, parse_events, running_leaders, tag_counts

LINES = ["# header", "u1| Promo  Code! |2.5", "", "u2|refund|1", "u1|promo-code|3"]


def test_normalize():
    assert normalize_tag("  Gift--Card!! ") == "gift-card"


def test_parse_and_count():
    events = list(parse_events(LINES))
    assert events[0] == ("u1", "promo-code", 2.5)
    assert tag_counts(events) == {"promo-code": 2, "refund": 1}


def test_enrich():
    events = list(parse_events(LINES))
    assert enrich(events, [("u1", "Ann"), ("u3", "C")]) == [
        ("Ann", "promo-code", 2.5),
        ("Ann", "promo-code", 3.0),
    ]


def test_leaders():
    assert running_leaders([("a", "t", 1.0), ("b", "t", 5.0), ("c", "t", 3.0)], 2) == [
        (1.0,), (5.0, 1.0), (5.0, 3.0)]
