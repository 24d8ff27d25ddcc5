from decimal import Decimal

import pytest

import intercity as rp

STATIONS = """
# code|name|zone|change
AAA|Alpha|1|5
BBB|Bravo|1|4
CCC|Charlie|2|6
DDD|Delta|3|5
EEE|Echo|2|3
FFF|Foxtrot|4|5
GGG|Golf|5
"""

LINES = """
L1|AAA:0,BBB:10,CCC:15,DDD:20
L2|EEE:0,CCC:12,FFF:18
"""

SERVICES = """
S1|L1|WD|07:00|up|
S2|L1|WD|08:00|up|BBB
S3|L1|WD|07:30|down|
S4|L2|WD|07:40|up|
S5|L2|WD|07:20|up|
S6|L1|SA|09:00|up|
T1|L2|WD|08:10|down|
"""

PLATFORMS = """
CCC|S1|3
"""

FARES = """
1|3.00|2.00
2|4.00|3.00
3|5.50|4.00
4|7.00|5.00
"""

RAILCARDS = """
YNG|34|3.00|no
SNR|50|2.50|yes
"""


@pytest.fixture
def net():
    return rp.Network.from_tables(STATIONS, LINES, SERVICES, PLATFORMS)


@pytest.fixture
def fares():
    return rp.FareCalculator.from_tables(FARES, RAILCARDS)


def test_time_round_trip():
    assert rp.parse_time("07:05") == 425
    assert rp.format_time(425) == "07:05"
    assert rp.format_time(1445) == "00:05"


def test_parse_stations_default_change():
    rows = rp.parse_stations(STATIONS)
    assert rows[0] == ("AAA", "Alpha", 1, 5)
    assert rows[-1] == ("GGG", "Golf", 5, 5)


def test_network_counts(net):
    summary = net.summary()
    assert summary["stations"] == 7
    assert summary["lines"] == 2
    assert summary["services"] == {"WD": 6, "SA": 1, "SU": 0}
    assert summary["interchanges"] == ["CCC"]


def test_station_lookup(net):
    assert net.station("CCC").name == "Charlie"
    assert net.station("CCC").lines == ["L1", "L2"]
    with pytest.raises(KeyError):
        net.station("ZZZ")


def test_calls_up_and_down(net):
    assert net.service("S1").calls() == [("AAA", 420), ("BBB", 430), ("CCC", 445), ("DDD", 465)]
    assert net.service("S3").calls() == [("DDD", 450), ("CCC", 470), ("BBB", 485), ("AAA", 495)]


def test_calls_skip(net):
    assert net.service("S2").calls() == [("AAA", 480), ("CCC", 505), ("DDD", 525)]
    assert net.service("S2").time_at("BBB") is None


def test_direct_services(net):
    assert net.direct_services("AAA", "DDD", "WD") == [(420, 465, "S1"), (480, 525, "S2")]
    assert net.direct_services("AAA", "BBB", "WD") == [(420, 430, "S1")]
    assert net.direct_services("DDD", "AAA", "WD") == [(450, 495, "S3")]


def test_direct_services_after(net):
    assert net.direct_services("AAA", "DDD", "WD", after=421) == [(480, 525, "S2")]
    assert net.direct_services("AAA", "FFF", "WD") == []


def test_direct_services_same_station(net):
    with pytest.raises(ValueError):
        net.direct_services("AAA", "AAA", "WD")


def test_departures(net):
    rows = net.departures("CCC", "WD")
    assert rows == [
        (445, "S1", "3", "DDD", 0),
        (452, "S5", "1", "FFF", 0),
        (470, "S3", "2", "AAA", 1),
        (472, "S4", "1", "FFF", 0),
        (505, "S2", "1", "DDD", 0),
        (508, "T1", "2", "EEE", 0),
    ]


def test_timetable_text(net):
    text = net.timetable("AAA", "WD")
    lines = text.splitlines()
    assert lines[0].startswith("Alpha (AAA)  zone 1  Weekday departures")
    assert "07:00" in lines[2] and "Delta" in lines[2] and "2 stops" in lines[2]
    assert len(lines) == 4


def test_timetable_empty(net):
    assert net.timetable("GGG", "WD").splitlines()[-1] == "  no departures"


def test_planner_with_change(net):
    legs = rp.Planner(net).plan("AAA", "FFF", "WD", 420)
    assert legs == [("S1", "AAA", 420, "CCC", 445), ("S5", "CCC", 452, "FFF", 470)]


def test_planner_direct(net):
    legs = rp.Planner(net).plan("AAA", "DDD", "WD", 430)
    assert legs == [("S2", "AAA", 480, "DDD", 525)]


def test_planner_unreachable(net):
    planner = rp.Planner(net)
    assert planner.plan("AAA", "GGG", "WD", 0) is None
    assert planner.plan("AAA", "AAA", "WD", 0) == []


def test_arrival_time(net):
    assert rp.Planner(net).arrival_time("FFF", "AAA", "WD", 0) is None
    assert rp.Planner(net).arrival_time("EEE", "DDD", "WD", 0) == 525
    assert rp.Planner(net).arrival_time("AAA", "CCC", "SA", 500) == 565


def test_single_fares(fares):
    assert fares.single_fare(1, False) == Decimal("2.00")
    assert fares.single_fare(3, True, "YNG") == Decimal("3.60")
    assert fares.single_fare(3, True, "SNR") == Decimal("5.50")
    assert fares.single_fare(3, False, "SNR") == Decimal("2.50")
    assert fares.single_fare(6, True) == Decimal("7.00")


def test_best_single(fares):
    assert fares.best_single(3, False, ("YNG", "SNR")) == (Decimal("2.50"), "SNR")
    assert fares.best_single(1, False, ("YNG",)) == (Decimal("2.00"), None)


def test_is_peak():
    assert rp.FareCalculator.is_peak("WD", 400)
    assert not rp.FareCalculator.is_peak("WD", 600)
    assert not rp.FareCalculator.is_peak("SA", 400)


def test_cheapest_split_through(fares):
    total, tickets = fares.cheapest_split([1, 1, 2, 3], False)
    assert total == Decimal("4.00")
    assert tickets == [(0, 3, None, Decimal("4.00"))]


def test_cheapest_split_splits():
    calc = rp.FareCalculator.from_tables("1|2.00|2.00\n2|3.00|3.00\n3|7.00|7.00\n")
    total, tickets = calc.cheapest_split([1, 2, 3], False)
    assert total == Decimal("6.00")
    assert tickets == [(0, 1, None, Decimal("3.00")), (1, 2, None, Decimal("3.00"))]


def test_cheapest_fare(net, fares):
    total, tickets = net.cheapest_fare("AAA", "DDD", "WD", 400, fares, ("YNG",))
    assert total == Decimal("3.60")
    assert tickets == [("AAA", "DDD", "YNG", Decimal("3.60"))]
    assert net.cheapest_fare("AAA", "FFF", "WD", 0, fares) is None


def test_journey_fare(net, fares):
    planner = rp.Planner(net)
    legs = planner.plan("AAA", "FFF", "WD", 420)
    assert planner.journey_fare(legs, "WD", fares) == Decimal("4.00") + Decimal("5.50")


def test_fare_chart(net, fares):
    chart = net.fare_chart("L2", fares)
    assert chart[("EEE", "FFF")] == chart[("FFF", "EEE")] == Decimal("4.00")
    assert len(chart) == 6


def test_describe(net):
    planner = rp.Planner(net)
    text = planner.describe(planner.plan("AAA", "FFF", "WD", 420))
    assert "07:00 Alpha -> 07:25 Charlie (S1, plat 1)" in text
    assert text.endswith("1 change, 50 min on the move")
