import pytest

from flights import FlightNetwork, airline_of, format_duration, format_minutes, parse_time

AIRPORTS = [
    ("AAA", "Alpha", 30),
    ("BBB", "Bravo", 45),
    ("CCC", "Charlie", 20),
    ("DDD", "Delta", 60),
]

FLIGHTS = [
    ("XA100", "AAA", "BBB", "08:00", "09:00", 100),
    ("XA101", "BBB", "CCC", "09:30", "10:30", 80),
    ("XA102", "BBB", "CCC", "10:00", "11:00", 50),
    ("XA103", "AAA", "CCC", "07:00", "12:00", 300),
    ("YB200", "CCC", "DDD", "11:30", "12:30", 70),
    ("YB201", "AAA", "CCC", "09:00", "11:10", 120),
]


def make_net():
    return FlightNetwork(AIRPORTS, FLIGHTS)


def test_times():
    assert parse_time("08:05") == 485
    assert parse_time("00:10+1") == 1450
    assert parse_time(90) == 90
    assert format_minutes(485) == "08:05"
    assert format_minutes(1450) == "00:10+1"
    assert format_duration(125) == "2h05"
    assert airline_of("XA100") == "XA"


def test_lookups():
    net = make_net()
    assert net.airport("BBB") == ("BBB", "Bravo", 45)
    assert net.min_connection("DDD") == 60
    assert net.flight("XA101") == ("XA101", "BBB", "CCC", 570, 630, 80)
    assert [f[0] for f in net.departures("AAA")] == ["XA103", "XA100", "YB201"]
    assert [f[0] for f in net.departures("AAA", after=480)] == ["XA100", "YB201"]
    assert [f[0] for f in net.arrivals("CCC")] == ["XA101", "XA102", "YB201", "XA103"]


def test_earliest_arrival_respects_connection_time():
    net = make_net()
    # XA101 leaves BBB 30 minutes after XA100 lands, below BBB's 45-minute minimum.
    assert net.earliest_arrival("AAA", "CCC") == (480, 660, 150, ("XA100", "XA102"))
    assert net.earliest_arrival("AAA", "DDD") == (480, 750, 220, ("XA100", "XA102", "YB200"))


def test_earliest_arrival_depart_after_and_unreachable():
    net = make_net()
    assert net.earliest_arrival("AAA", "CCC", "08:30") == (540, 670, 120, ("YB201",))
    assert net.earliest_arrival("DDD", "AAA") is None


def test_cheapest():
    net = make_net()
    assert net.cheapest("AAA", "CCC") == (540, 670, 120, ("YB201",))
    assert net.cheapest("AAA", "DDD") == (540, 750, 190, ("YB201", "YB200"))
    assert net.cheapest("BBB", "DDD") == (600, 750, 120, ("XA102", "YB200"))
    assert net.cheapest("AAA", "CCC", depart_after="09:01") is None


def test_alternatives():
    net = make_net()
    options = net.alternatives("AAA", "CCC", k=5)
    assert [o[3] for o in options] == [("YB201",), ("XA100", "XA102"), ("XA103",)]
    assert [o[2] for o in net.alternatives("AAA", "CCC", k=2)] == [120, 150]


def test_describe():
    net = make_net()
    lines = net.describe(net.earliest_arrival("AAA", "CCC"))
    assert lines[0].startswith("XA100   AAA 08:00 -> BBB 09:00")
    assert lines[1] == "  connect at BBB (Bravo): 1h00"
    assert lines[-1] == "total 150, 3h00 door to door, 1 connection"


def test_airline_report():
    lines = make_net().airline_report()
    assert lines[0].startswith("XA: 4 flights on 3 routes, average fare 132.50, longest XA103")
    assert "  BBB-CCC (Bravo to Charlie): 2 x [09:30, 10:00] from 50" in lines
    assert make_net().airline_report("YB")[0].startswith("YB: 2 flights on 2 routes")


def test_hub_stats():
    rows = make_net().hub_stats()
    assert rows[0] == ("CCC", 1, 4, 2, 3, 11)
    assert [r[0] for r in rows] == ["CCC", "BBB", "AAA", "DDD"]
    assert len(make_net().hub_stats(top=2)) == 2


def test_propagate_delays():
    net = make_net()
    delays, broken = net.propagate_delays({"XA100": 20})
    # XA100 lands 09:20; XA102 needs 10:05, a 5-minute hold; YB200 still makes it.
    assert delays == {"XA100": 20, "XA102": 5}
    assert broken == []
    delays, broken = net.propagate_delays({"XA100": 60})
    assert broken == [("XA100", "XA102")]


def test_bad_input():
    net = make_net()
    with pytest.raises(ValueError):
        net.add_airport("abc", "Lower", 30)
    with pytest.raises(ValueError):
        net.add_flight("XA100", "AAA", "BBB", 1, 2, 10)
    with pytest.raises(KeyError):
        net.earliest_arrival("AAA", "ZZZ")
