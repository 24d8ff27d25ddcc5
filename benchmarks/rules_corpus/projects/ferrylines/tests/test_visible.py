import pytest

from ferrylines import (
    Network,
    best_ticket,
    busiest_stops,
    daily_fares,
    departures_board,
    describe,
    find_journey,
    first_last,
    format_time,
    headways,
    journey_fare,
    next_trip,
    parse_time,
    service_report,
    zone_of,
)


def small_network():
    net = Network("Test")
    net.add_line("F1", "ferry", [("Harbour Pier", 0), ("North Pier", 10), ("Island Quay", 25)],
                 [480, 510, 540])
    net.add_line("B1", "bus", [("North Pier", 0), ("North Shore Road", 8), ("Airport Gate", 20)],
                 [485, 495, 520, 600])
    net.add_line("B2", "bus", [("Market Square", 0), ("Harbour Pier", 6), ("North Pier", 20)],
                 [472, 500])
    return net


def test_times():
    assert parse_time("07:05") == 425
    assert parse_time(" 23:59 ") == 1439
    assert format_time(425) == "07:05"
    assert format_time(0) == "00:00"
    with pytest.raises(ValueError):
        parse_time("7.05")


def test_network_basics():
    net = small_network()
    assert net.stops() == ["Airport Gate", "Harbour Pier", "Island Quay", "Market Square",
                           "North Pier", "North Shore Road"]
    assert net.lines_at("North Pier") == ["F1", "B1", "B2"]
    assert net.get_line("B2")[3] == [472, 500]
    with pytest.raises(ValueError):
        net.add_line("F1", "ferry", [("A", 0), ("B", 5)])


def test_next_trip():
    net = small_network()
    assert next_trip(net, "F1", "North Pier", 491) == (510, 520)
    assert next_trip(net, "F1", "North Pier", 490) == (480, 490)
    assert next_trip(net, "F1", "North Pier", 551) is None
    assert next_trip(net, "F1", "Island Quay", 0) is None


def test_direct_journey():
    net = small_network()
    assert find_journey(net, "Harbour Pier", "Island Quay", 475) == [
        ("F1", "Harbour Pier", 480, "Island Quay", 505)
    ]


def test_journey_with_change():
    net = small_network()
    legs = find_journey(net, "Harbour Pier", "Airport Gate", 475)
    assert legs == [
        ("F1", "Harbour Pier", 480, "North Pier", 490),
        ("B1", "North Pier", 495, "Airport Gate", 515),
    ]
    legs = find_journey(net, "Harbour Pier", "Airport Gate", 475, min_transfer=6)
    assert legs[-1] == ("B1", "North Pier", 520, "Airport Gate", 540)
    assert find_journey(net, "Island Quay", "Airport Gate", 0) is None


def test_zones_and_fares():
    net = small_network()
    assert zone_of("Harbour Pier") == 1
    assert zone_of("North Shore Road") == 3
    assert zone_of("north   pier") == 2
    legs = find_journey(net, "Harbour Pier", "Airport Gate", 475)
    # ferry zones 1 -> 2 (2 zones), bus zones 2 -> 3 (2 zones)
    assert journey_fare(net, legs) == 410 + 240


def test_tickets():
    net = small_network()
    to_airport = find_journey(net, "Harbour Pier", "Airport Gate", 475)
    assert best_ticket(net, to_airport) == (650, "singles")
    plans = [("ann", to_airport), ("bob", None), ("ann", to_airport), ("ann", to_airport)]
    fares = daily_fares(net, plans)
    assert fares == {"ann": (1450, "all pass"), "bob": (0, "none")}


def test_first_last_and_headways():
    net = small_network()
    assert first_last(net) == {"F1": ("08:00", "09:00"), "B1": ("08:05", "10:00"),
                               "B2": ("07:52", "08:20")}
    assert headways(net, "B1") == [10, 25, 80]


def test_busiest_and_board():
    net = small_network()
    assert busiest_stops(net, 2) == [("North Pier", 9), ("Harbour Pier", 5)]
    assert departures_board(net, "North Pier", 480, 520) == [
        (485, "08:05", "B1", "Airport Gate"),
        (490, "08:10", "F1", "Island Quay"),
        (495, "08:15", "B1", "Airport Gate"),
    ]


def test_report_and_describe():
    net = small_network()
    report = service_report(net, top=1)
    assert report[0] == "Service report for Test"
    assert report[1].startswith("B1     bus   08:05-10:00   4 trips every 10-80 min")
    assert report[-2] == "Busiest stops:"
    assert report[-1].startswith("  North Pier")
    legs = find_journey(net, "Harbour Pier", "Airport Gate", 475)
    assert describe(legs) == ("08:00 Harbour Pier -[F1]-> 08:10 North Pier; "
                              "08:15 North Pier -[B1]-> 08:35 Airport Gate (35 min, 1 change)")
