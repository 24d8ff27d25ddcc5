import random

import pytest

from flights import FlightNetwork, airline_of, format_minutes, parse_time

AIRPORTS = [("AAA", "Alpha", 30), ("BBB", "Bravo", 45), ("CCC", "Charlie", 20),
            ("DDD", "Delta", 60)]
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


def random_net(seed, n_airports=7, n_flights=45):
    rng = random.Random(seed)
    codes = [chr(65 + i) * 3 for i in range(n_airports)]
    net = FlightNetwork()
    for code in codes:
        net.add_airport(code, code.lower(), rng.choice([0, 10, 30, 45]))
    for i in range(n_flights):
        a, b = rng.sample(codes, 2)
        dep = rng.randrange(0, 20 * 60, 10)
        net.add_flight(f"R{'XYZ'[i % 3]}{i}", a, b, dep, dep + rng.randint(30, 240),
                       rng.randint(1, 9) * 10)
    return net, codes


def all_paths(net, origin, dest, depart_after, max_legs=None):
    """Every itinerary that never revisits an airport, as (depart, arrive, fare, legs)."""
    found = []
    stack = [(origin, None, (), (origin,))]
    while stack:
        here, arrived, legs, path = stack.pop()
        if here == dest and legs:
            fare = sum(net.flight(n)[5] for n in legs)
            found.append((net.flight(legs[0])[3], arrived, fare, legs))
            continue
        if max_legs is not None and len(legs) >= max_legs:
            continue
        ready = depart_after if arrived is None else arrived + net.airport(here)[2]
        for f in net.flights:
            if f[1] == here and f[3] >= ready and f[2] not in path:
                stack.append((f[2], f[4], legs + (f[0],), path + (f[2],)))
    return found


def check_feasible(net, origin, dest, depart_after, itinerary):
    depart, arrive, fare, legs = itinerary
    flights = [net.flight(n) for n in legs]
    assert flights[0][1] == origin and flights[-1][2] == dest
    assert flights[0][3] >= depart_after
    for a, b in zip(flights, flights[1:]):
        assert a[2] == b[1]
        assert b[3] >= a[4] + net.airport(a[2])[2]
    assert (depart, arrive, fare) == (flights[0][3], flights[-1][4], sum(f[5] for f in flights))


def test_empty_network():
    net = FlightNetwork()
    assert net.airline_report() == []
    assert net.hub_stats() == []
    assert net.propagate_delays({}) == ({}, [])
    net.add_airport("AAA", "Alpha")
    net.add_airport("BBB", "Bravo", 0)
    assert net.min_connection("AAA") == 45
    assert net.departures("AAA") == [] and net.arrivals("AAA") == []
    assert net.earliest_arrival("AAA", "BBB") is None
    assert net.cheapest("AAA", "BBB") is None
    assert net.alternatives("AAA", "BBB") == []
    assert net.hub_stats() == [("AAA", 0, 0, 0, 0, None), ("BBB", 0, 0, 0, 0, None)]


def test_time_parsing_errors():
    assert parse_time("23:59+2") == 2 * 1440 + 23 * 60 + 59
    assert format_minutes(0) == "00:00"
    for bad in ("24:00", "8h30", "08:60", "", "-1:00"):
        with pytest.raises(ValueError):
            parse_time(bad)
    with pytest.raises(ValueError):
        parse_time(-5)
    with pytest.raises(TypeError):
        parse_time(None)
    with pytest.raises(TypeError):
        parse_time(True)
    for bad in ("X1", "XAB12", "xa100", "XA12345", 100):
        with pytest.raises(ValueError):
            airline_of(bad)


def test_bad_airports_and_flights():
    net = make_net()
    with pytest.raises(ValueError):
        net.add_airport("AAA", "Again", 30)
    with pytest.raises(ValueError):
        net.add_airport("EEE", "Echo", -1)
    with pytest.raises(ValueError):
        net.add_airport("EEEE", "Echo", 10)
    with pytest.raises(KeyError):
        net.airport("ZZZ")
    with pytest.raises(KeyError):
        net.add_flight("XA900", "AAA", "ZZZ", 10, 20, 5)
    with pytest.raises(ValueError):
        net.add_flight("XA900", "AAA", "AAA", 10, 20, 5)
    with pytest.raises(ValueError):
        net.add_flight("XA900", "AAA", "BBB", 20, 20, 5)
    with pytest.raises(ValueError):
        net.add_flight("XA900", "AAA", "BBB", 10, 20, 0)
    with pytest.raises(ValueError):
        net.add_flight("XA900", "AAA", "BBB", 10, 20, True)
    with pytest.raises(ValueError):
        net.add_flight("bad", "AAA", "BBB", 10, 20, 5)
    with pytest.raises(ValueError):
        net.add_flight("YB201", "AAA", "BBB", 10, 20, 5)
    assert len(net.flights) == len(FLIGHTS)
    with pytest.raises(KeyError):
        net.flight("XA900")


def test_bad_search_arguments():
    net = make_net()
    with pytest.raises(ValueError):
        net.earliest_arrival("AAA", "AAA")
    with pytest.raises(ValueError):
        net.cheapest("BBB", "BBB")
    with pytest.raises(KeyError):
        net.cheapest("AAA", "QQQ")
    with pytest.raises(KeyError):
        net.alternatives("QQQ", "AAA")
    with pytest.raises(ValueError):
        net.alternatives("AAA", "CCC", k=0)
    with pytest.raises(ValueError):
        net.alternatives("AAA", "CCC", max_legs=0)
    with pytest.raises(ValueError):
        net.hub_stats(top=-1)
    with pytest.raises(KeyError):
        net.propagate_delays({"XA999": 10})
    with pytest.raises(ValueError):
        net.propagate_delays({"XA100": -10})


def test_remove_and_retime():
    net = make_net()
    net.remove_flight("XA102")
    with pytest.raises(KeyError):
        net.flight("XA102")
    with pytest.raises(KeyError):
        net.remove_flight("XA102")
    net.retime("XA101", 30)
    assert net.flight("XA101") == ("XA101", "BBB", "CCC", 600, 660, 80)
    assert ("XA101", "BBB", "CCC", 600, 660, 80) in net.flights
    with pytest.raises(ValueError):
        net.retime("XA103", -500)
    assert net.flight("XA103")[3] == 420
    with pytest.raises(KeyError):
        net.retime("XA102", 5)
    net.add_flight("XA102", "DDD", "AAA", 100, 200, 10)
    assert net.flight("XA102")[1] == "DDD"


def test_results_follow_added_flights():
    net = make_net()
    assert net.cheapest("AAA", "CCC")[3] == ("YB201",)
    assert net.earliest_arrival("AAA", "CCC")[1] == 660
    assert [f[0] for f in net.departures("AAA")] == ["XA103", "XA100", "YB201"]
    net.add_flight("ZC1", "AAA", "CCC", "06:00", "07:00", 40)
    assert net.cheapest("AAA", "CCC") == (360, 420, 40, ("ZC1",))
    assert net.earliest_arrival("AAA", "CCC") == (360, 420, 40, ("ZC1",))
    assert [f[0] for f in net.departures("AAA")] == ["ZC1", "XA103", "XA100", "YB201"]
    assert net.alternatives("AAA", "CCC", k=1)[0][3] == ("ZC1",)
    assert net.hub_stats()[0][2] == 5


def test_results_follow_removed_and_retimed_flights():
    net = make_net()
    assert net.earliest_arrival("AAA", "DDD")[3] == ("XA100", "XA102", "YB200")
    before = net.hub_stats()
    net.retime("XA102", 40)
    assert net.earliest_arrival("AAA", "DDD")[3] == ("YB201", "YB200")
    assert net.hub_stats() != before
    assert [f[0] for f in net.arrivals("CCC")] == ["XA101", "YB201", "XA102", "XA103"]
    net.retime("XA102", -40)
    assert net.hub_stats() == before
    net.remove_flight("YB201")
    assert net.cheapest("AAA", "CCC")[3] == ("XA100", "XA102")
    net.remove_flight("XA102")
    assert net.cheapest("AAA", "CCC")[3] == ("XA103",)
    assert net.propagate_delays({"XA100": 20}) == ({"XA100": 20}, [])
    assert "XA: 3 flights" in net.airline_report()[0]
    assert net.airline_report("YB")[0].startswith("YB: 1 flights on 1 routes")


def test_returned_lists_are_copies():
    net = make_net()
    outs = net.departures("AAA")
    outs.clear()
    ins = net.arrivals("CCC")
    ins.append(("junk",))
    assert len(net.departures("AAA")) == 3
    assert len(net.arrivals("CCC")) == 4
    initial = {"XA100": 20}
    delays, broken = net.propagate_delays(initial)
    initial["XA100"] = 90
    delays["XA101"] = 999
    assert net.propagate_delays({"XA100": 20}) == ({"XA100": 20, "XA102": 5}, [])


def test_airports_added_later():
    net = make_net()
    assert net.earliest_arrival("AAA", "DDD") is not None
    net.add_airport("EEE", "Echo", 15)
    assert net.earliest_arrival("AAA", "EEE") is None
    net.add_flight("YB300", "DDD", "EEE", "13:30", "14:00", 30)
    assert net.earliest_arrival("AAA", "EEE")[3] == ("XA100", "XA102", "YB200", "YB300")
    assert net.hub_stats()[-1][0] == "EEE"


def test_ordering_and_ties():
    net = FlightNetwork([("AAA", "A", 0), ("BBB", "B", 0), ("CCC", "C", 0)])
    net.add_flight("QQ2", "AAA", "CCC", 60, 120, 50)
    net.add_flight("QQ1", "AAA", "CCC", 60, 120, 50)
    net.add_flight("QQ3", "AAA", "BBB", 0, 30, 20)
    net.add_flight("QQ4", "BBB", "CCC", 30, 120, 30)
    options = net.alternatives("AAA", "CCC", k=10)
    assert [o[3] for o in options] == [("QQ1",), ("QQ2",), ("QQ3", "QQ4")]
    assert net.cheapest("AAA", "CCC")[3] == ("QQ1",)
    assert [f[0] for f in net.departures("AAA")] == ["QQ3", "QQ1", "QQ2"]
    rows = net.hub_stats()
    assert [r[0] for r in rows] == ["BBB", "AAA", "CCC"]
    assert rows[1] == ("AAA", 3, 0, 1, 0, 1)
    report = net.airline_report()
    assert report[1].startswith("  AAA-BBB") and report[2].startswith("  AAA-CCC")
    assert "2 x [01:00, 01:00] from 50" in report[2]


def test_multi_day_and_describe():
    net = FlightNetwork([("AAA", "A", 30), ("BBB", "B", 30)])
    net.add_flight("NT1", "AAA", "BBB", "23:00", "01:30+1", 200)
    itinerary = net.earliest_arrival("AAA", "BBB", "22:00")
    assert itinerary == (1380, 1530, 200, ("NT1",))
    lines = net.describe(itinerary)
    assert lines[0].startswith("NT1     AAA 23:00 -> BBB 01:30+1")
    assert lines[-1] == "total 200, 2h30 door to door, 0 connections"
    assert net.hub_stats()[0][5] == 23


def test_random_earliest_against_reference():
    for seed in range(12):
        net, codes = random_net(seed)
        rng = random.Random(seed + 100)
        for _ in range(12):
            a, b = rng.sample(codes, 2)
            after = rng.randrange(0, 600, 30)
            paths = all_paths(net, a, b, after)
            got = net.earliest_arrival(a, b, after)
            if not paths:
                assert got is None
                continue
            check_feasible(net, a, b, after, got)
            assert got[1] == min(p[1] for p in paths)


def test_random_cheapest_against_reference():
    for seed in range(12):
        net, codes = random_net(seed + 50)
        rng = random.Random(seed)
        for _ in range(12):
            a, b = rng.sample(codes, 2)
            after = rng.randrange(0, 600, 30)
            paths = all_paths(net, a, b, after)
            got = net.cheapest(a, b, after)
            if not paths:
                assert got is None
                continue
            check_feasible(net, a, b, after, got)
            assert (got[2], got[1]) == min((p[2], p[1]) for p in paths)


def test_random_alternatives_against_reference():
    for seed in range(10):
        net, codes = random_net(seed + 7, n_flights=40)
        rng = random.Random(seed * 3)
        for _ in range(6):
            a, b = rng.sample(codes, 2)
            k = rng.randint(1, 6)
            legs = rng.randint(1, 3)
            paths = all_paths(net, a, b, 0, max_legs=legs)
            expected = sorted(paths, key=lambda p: (p[2], p[1], p[3]))[:k]
            assert net.alternatives(a, b, k=k, max_legs=legs) == expected


def test_random_hub_stats_against_reference():
    net, codes = random_net(5, n_airports=6, n_flights=60)
    expected = []
    for code, _name, mct in net.airports:
        outs = [f for f in net.flights if f[1] == code]
        ins = [f for f in net.flights if f[2] == code]
        pairs = sum(1 for f in ins for g in outs
                    if mct <= g[3] - f[4] <= 180 and g[2] != f[1])
        hours = [f[3] // 60 % 24 for f in outs]
        busiest = min(hours, key=lambda h: (-hours.count(h), h)) if hours else None
        carriers = len({f[0][:2] for f in outs + ins})
        expected.append((code, len(outs), len(ins), carriers, pairs, busiest))
    expected.sort(key=lambda r: (-r[4], -r[1], r[0]))
    assert net.hub_stats(max_wait=180) == expected
    assert net.hub_stats(top=3, max_wait=180) == expected[:3]


def test_random_delays_against_reference():
    for seed in range(8):
        net, _codes = random_net(seed + 30, n_airports=5, n_flights=90)
        rng = random.Random(seed)
        initial = {f[0]: rng.choice([0, 15, 40, 90])
                   for f in rng.sample(net.flights, 12)}
        max_hold = rng.choice([10, 30, 60])
        delays = {}
        broken = []
        for g in sorted(net.flights, key=lambda f: f[3]):
            best = initial.get(g[0], 0)
            for f in net.flights:
                mct = net.airport(f[2])[2]
                if f[2] != g[1] or g[2] == f[1] or not mct <= g[3] - f[4] <= 240:
                    continue
                needed = f[4] + delays.get(f[0], 0) + mct - g[3]
                if 0 < needed <= max_hold:
                    best = max(best, needed)
                elif needed > max_hold and needed > initial.get(g[0], 0):
                    broken.append((f[0], g[0]))
            if g[0] in initial or best > 0:
                delays[g[0]] = best
        assert net.propagate_delays(initial, max_hold=max_hold) == (delays, sorted(broken))
