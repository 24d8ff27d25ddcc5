import random
from collections import Counter

import pytest

from ferrylines import (
    Network,
    best_ticket,
    busiest_hour,
    busiest_stops,
    daily_fares,
    departures_board,
    describe,
    find_journey,
    first_last,
    format_time,
    headways,
    journeys,
    next_trip,
    normalize_stop,
    parse_time,
    plan_requests,
    revenue,
    service_report,
    stop_calls,
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


def test_empty_network():
    net = Network()
    assert net.stops() == []
    assert net.lines_at("Harbour Pier") == []
    assert first_last(net) == {}
    assert stop_calls(net) == {}
    assert busiest_stops(net) == []
    assert departures_board(net, "Harbour Pier") == []
    assert busiest_hour(net, "Harbour Pier") is None
    assert service_report(net) == ["Service report for network", "Busiest stops:"]
    assert daily_fares(net, []) == {}
    assert revenue({}) == {}
    assert plan_requests(net, []) == []
    assert describe([]) == "no journey"
    with pytest.raises(KeyError):
        find_journey(net, "A", "B", 0)


def test_bad_lines_are_rejected_and_not_added():
    net = small_network()
    bad = [
        ("X1", "train", [("A Pier", 0), ("B Pier", 5)], []),
        ("X2", "bus", [("A Pier", 0)], []),
        ("X3", "bus", [("A Pier", 2), ("B Pier", 5)], []),
        ("X4", "bus", [("A Pier", 0), ("B Pier", 5), ("C Pier", 5)], []),
        ("X5", "bus", [("A Pier", 0), ("B Pier", 5), ("A Pier", 9)], []),
        ("X6", "bus", [("A Pier", 0), ("", 5)], []),
        ("X7", "bus", [("A Pier", 0), ("B Pier", 5)], [100, 1440]),
        ("X8", "bus", [("A Pier", 0), ("B Pier", 5)], [-1]),
        ("F1", "bus", [("A Pier", 0), ("B Pier", 5)], []),
    ]
    for line_id, mode, stops, departures in bad:
        with pytest.raises(ValueError):
            net.add_line(line_id, mode, stops, departures)
    assert [line[0] for line in net.lines] == ["F1", "B1", "B2"]
    assert "A Pier" not in net.stops()
    with pytest.raises(KeyError):
        net.get_line("X7")
    with pytest.raises(KeyError):
        net.remove_line("nope")
    with pytest.raises(ValueError):
        net.add_departures("B1", [700, 2000])
    assert net.get_line("B1")[3] == [485, 495, 520, 600]


def test_bad_arguments():
    net = small_network()
    for text in ["24:00", "12:60", "1200", "ab:cd", "", "-1:30"]:
        with pytest.raises(ValueError):
            parse_time(text)
    with pytest.raises(KeyError):
        find_journey(net, "Harbour Pier", "Nowhere Quay", 0)
    with pytest.raises(KeyError):
        find_journey(net, "Nowhere Quay", "Harbour Pier", 0)
    with pytest.raises(ValueError):
        find_journey(net, "Harbour Pier", "Harbour Pier", 0)
    with pytest.raises(ValueError):
        find_journey(net, "Harbour Pier", "North Pier", 0, min_transfer=-1)
    with pytest.raises(ValueError):
        find_journey(net, "Harbour Pier", "North Pier", 0, max_changes=-1)
    with pytest.raises(ValueError):
        busiest_stops(net, -1)
    with pytest.raises(ValueError):
        departures_board(net, "North Pier", 600, 500)
    with pytest.raises(KeyError):
        headways(net, "Z9")
    for name in ["Northgate", "Downtown Pier", "", "Cape"[:3]]:
        with pytest.raises(KeyError):
            zone_of(name)


def test_time_formatting_edges():
    assert format_time(1439) == "23:59"
    assert format_time(1440) == "00:00"
    assert format_time(1500 + 7) == "01:07"
    assert parse_time("00:00") == 0
    for minutes in range(0, 1440, 7):
        assert parse_time(format_time(minutes)) == minutes


def test_departures_are_sorted_and_deduplicated():
    net = Network()
    net.add_line("B7", "bus", [("Bay Road", 0), ("Cape Gate", 9)], [600, 540, 600, 420])
    assert net.get_line("B7")[3] == [420, 540, 600]
    net.add_departures("B7", (540, 480))
    assert net.get_line("B7")[3] == [420, 480, 540, 600]
    assert headways(net, "B7") == [60, 60, 60]
    net.add_line("B8", "bus", [("Bay Road", 0), ("Cape Gate", 9)])
    assert first_last(net)["B8"] is None
    assert headways(net, "B8") == []
    report = service_report(net)
    assert any(row.startswith("B8") and row.endswith("no service") for row in report)
    net.add_departures("B8", [700])
    assert any(row.startswith("B8") and row.endswith("single trip") for row in service_report(net))


def test_no_boarding_at_terminus():
    net = small_network()
    assert next_trip(net, "B1", "Airport Gate", 0) is None
    assert next_trip(net, "B1", "Harbour Pier", 0) is None
    assert departures_board(net, "Island Quay") == []
    assert departures_board(net, "Airport Gate") == []
    assert busiest_hour(net, "Airport Gate") is None
    assert find_journey(net, "Airport Gate", "North Pier", 0) is None


def test_transfer_time_boundaries():
    net = small_network()
    # F1 reaches North Pier at 490; B1 leaves at 495.
    legs = find_journey(net, "Harbour Pier", "Airport Gate", 480, min_transfer=5)
    assert legs[1][2] == 495
    legs = find_journey(net, "Harbour Pier", "Airport Gate", 480, min_transfer=0)
    assert legs[1][2] == 495
    legs = find_journey(net, "Harbour Pier", "Airport Gate", 481, min_transfer=5)
    assert legs[0][0] == "B2" or legs[0][2] >= 481
    assert find_journey(net, "Harbour Pier", "Airport Gate", 480, max_changes=0) is None
    assert find_journey(net, "Harbour Pier", "Island Quay", 541) is None
    assert find_journey(net, "Harbour Pier", "Island Quay", 540) == [
        ("F1", "Harbour Pier", 540, "Island Quay", 565)
    ]


def test_ties_prefer_fewer_legs_then_smaller_legs():
    net = Network()
    net.add_line("Z1", "bus", [("Bay Road", 0), ("East Road", 5), ("West Road", 10)], [600])
    net.add_line("A1", "bus", [("Bay Road", 0), ("East Road", 5)], [600])
    net.add_line("A2", "bus", [("East Road", 0), ("West Road", 5)], [605])
    net.add_line("C1", "bus", [("Bay Road", 0), ("West Road", 10)], [600])
    options = journeys(net, "Bay Road", "West Road", 0, min_transfer=0)
    assert options[0] == [("C1", "Bay Road", 600, "West Road", 610)]
    assert options[1] == [("Z1", "Bay Road", 600, "West Road", 610)]
    assert all(option[-1][4] == 610 for option in options)
    assert [len(option) for option in options] == sorted(len(option) for option in options)
    net.remove_line("C1")
    net.remove_line("Z1")
    assert find_journey(net, "Bay Road", "West Road", 0, min_transfer=0) == [
        ("A1", "Bay Road", 600, "East Road", 605),
        ("A2", "East Road", 605, "West Road", 610),
    ]
    assert find_journey(net, "Bay Road", "West Road", 0, min_transfer=1) is None


def test_results_follow_network_changes():
    net = small_network()
    before = find_journey(net, "Harbour Pier", "Airport Gate", 475)
    assert before[-1][4] == 515
    net.add_line("B9", "bus", [("Harbour Pier", 0), ("Airport Gate", 15)], [481])
    assert find_journey(net, "Harbour Pier", "Airport Gate", 475) == [
        ("B9", "Harbour Pier", 481, "Airport Gate", 496)
    ]
    board = departures_board(net, "Harbour Pier")
    net.add_departures("B9", [700])
    assert len(departures_board(net, "Harbour Pier")) == len(board) + 1
    calls = stop_calls(net)
    net.remove_line("B9")
    assert find_journey(net, "Harbour Pier", "Airport Gate", 475) == before
    assert stop_calls(net)["Harbour Pier"] == calls["Harbour Pier"] - 2
    assert "Airport Gate" in stop_calls(net)
    net.remove_line("B1")
    assert "Airport Gate" not in stop_calls(net)
    with pytest.raises(KeyError):
        find_journey(net, "Harbour Pier", "Airport Gate", 475)


def test_search_does_not_change_the_network():
    net = small_network()
    snapshot = repr(net.lines)
    journeys(net, "Market Square", "Airport Gate", 0)
    service_report(net)
    departures_board(net, "North Pier")
    assert repr(net.lines) == snapshot


def test_busiest_ties_and_hours():
    net = Network()
    net.add_line("B1", "bus", [("West Road", 0), ("East Road", 5)], [420, 430, 480])
    net.add_line("B2", "bus", [("Bay Road", 0), ("Cape Gate", 5)], [420, 481, 482])
    assert busiest_stops(net) == [("Bay Road", 3), ("Cape Gate", 3), ("East Road", 3),
                                  ("West Road", 3)]
    assert busiest_stops(net, 0) == []
    assert busiest_hour(net, "West Road") == (7, 2)
    assert busiest_hour(net, "Bay Road") == (8, 2)
    net.add_departures("B1", [490])
    assert busiest_hour(net, "West Road") == (7, 2)
    assert busiest_stops(net, 1) == [("East Road", 4)]


def test_zones_and_normalization():
    assert normalize_stop("  North   Shore-Pier!! ") == "north shore pier"
    assert zone_of("North Shore Pier") == 3
    assert zone_of("North Pier") == 2
    assert zone_of("NORTH") == 2
    assert zone_of("Old  Town Quay 2") == 1
    assert zone_of("island") == 4


def test_tickets_and_ties():
    net = Network()
    net.add_line("B1", "bus", [("Harbour Road", 0), ("Cape Gate", 30)], [600, 700, 800])
    net.add_line("F1", "ferry", [("Harbour Pier", 0), ("Island Quay", 30)], [600, 700])
    bus_leg = ("B1", "Harbour Road", 600, "Cape Gate", 630)
    ferry_leg = ("F1", "Harbour Pier", 600, "Island Quay", 630)
    assert best_ticket(net, [bus_leg]) == (360, "singles")
    assert best_ticket(net, [bus_leg, bus_leg]) == (650, "bus pass")
    assert best_ticket(net, [ferry_leg] * 2) == (1150, "ferry pass")
    assert best_ticket(net, [ferry_leg, bus_leg] * 2) == (1450, "all pass")
    assert best_ticket(net, []) == (0, "singles")
    plans = [("zed", [bus_leg]), ("amy", None), ("zed", [bus_leg]), ("amy", [ferry_leg])]
    fares = daily_fares(net, plans)
    assert list(fares) == ["amy", "zed"]
    assert fares == {"amy": (640, "singles"), "zed": (650, "bus pass")}
    assert revenue(fares) == {"bus pass": 650, "singles": 640}
    plans.append(("amy", [ferry_leg, bus_leg]))
    assert daily_fares(net, plans)["amy"] == (1450, "all pass")


def test_describe_plurals():
    assert describe([("B1", "Bay Road", 600, "Cape Gate", 610)]).endswith("(10 min, 0 changes)")
    legs = [("B1", "Bay Road", 600, "Cape Gate", 610), ("B2", "Cape Gate", 615, "East Road", 640),
            ("B3", "East Road", 650, "West Road", 1450)]
    text = describe(legs)
    assert text.endswith("(850 min, 2 changes)")
    assert "-[B3]-> 00:10 West Road" in text


def random_network(rng, n_stops=14, n_lines=9):
    stops = [f"{rng.choice(['Bay', 'Cape', 'East', 'West'])} Stop {i}" for i in range(n_stops)]
    net = Network("random")
    for number in range(n_lines):
        chosen = rng.sample(stops, rng.randint(2, 6))
        offsets = [0]
        for _ in chosen[1:]:
            offsets.append(offsets[-1] + rng.randint(1, 20))
        departures = rng.sample(range(300, 1200), rng.randint(0, 12))
        net.add_line(f"L{number}", rng.choice(["bus", "ferry"]), list(zip(chosen, offsets)),
                     departures)
    return net


def reference_best(lines, origin, destination, after, transfer, max_legs):
    found = []

    def walk(stop, ready, legs):
        for line_id, _, stops, departures in lines:
            names = [name for name, _ in stops]
            if stop not in names or names[-1] == stop:
                continue
            if legs and legs[-1][0] == line_id:
                continue
            i = names.index(stop)
            catchable = [d for d in departures if d + stops[i][1] >= ready]
            if not catchable:
                continue
            d = min(catchable)
            for name, offset in stops[i + 1:]:
                path = legs + [(line_id, stop, d + stops[i][1], name, d + offset)]
                if name == destination:
                    found.append(path)
                elif len(path) < max_legs:
                    walk(name, d + offset + transfer, path)

    walk(origin, after, [])
    if not found:
        return None
    return min(found, key=lambda path: (path[-1][4], len(path), path))


def test_random_journeys_against_reference():
    rng = random.Random(77)
    for _ in range(12):
        net = random_network(rng)
        stops = net.stops()
        for _ in range(15):
            origin, destination = rng.sample(stops, 2)
            after = rng.randint(250, 1100)
            transfer = rng.randint(0, 8)
            changes = rng.randint(0, 2)
            expected = reference_best(net.lines, origin, destination, after, transfer,
                                      changes + 1)
            assert find_journey(net, origin, destination, after, transfer, changes) == expected
        net.remove_line(net.lines[0][0])
        if len(net.stops()) >= 2:
            origin, destination = rng.sample(net.stops(), 2)
            assert find_journey(net, origin, destination, 300) == reference_best(
                net.lines, origin, destination, 300, 5, 3)


def test_random_reports_against_reference():
    rng = random.Random(5)
    for _ in range(10):
        net = random_network(rng, n_stops=10, n_lines=7)
        calls = Counter()
        for _, _, stops, departures in net.lines:
            for name, _ in stops:
                calls[name] += len(departures)
        assert stop_calls(net) == dict(calls)
        assert sorted(stop_calls(net)) == net.stops()
        for stop in net.stops():
            start, end = sorted(rng.sample(range(200, 1500), 2))
            expected = []
            for line_id, _, stops, departures in net.lines:
                names = [name for name, _ in stops]
                if stop in names and names[-1] != stop:
                    offset = stops[names.index(stop)][1]
                    for d in departures:
                        if start <= d + offset < end:
                            expected.append((d + offset, format_time(d + offset), line_id,
                                             names[-1]))
            assert departures_board(net, stop, start, end) == sorted(expected)
        for line_id, _, _, departures in net.lines:
            ordered = sorted(departures)
            assert headways(net, line_id) == [b - a for a, b in zip(ordered, ordered[1:])]
