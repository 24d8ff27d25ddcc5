import copy
import itertools
import math
import random
from decimal import ROUND_FLOOR, Decimal

import pytest

import intercity as rp

STATIONS = """
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

FARES = """
1|3.00|2.00
2|4.00|3.00
3|5.50|4.00
4|7.00|5.00
"""

RAILCARDS = """
YNG|34|3.00|no
SNR|50|2.50|yes
FAM|25|1.00|no
"""


def make_net(services=SERVICES, platforms="CCC|S1|3\n"):
    return rp.Network.from_tables(STATIONS, LINES, services, platforms)


@pytest.fixture
def net():
    return make_net()


@pytest.fixture
def fares():
    return rp.FareCalculator.from_tables(FARES, RAILCARDS)


# ---------------------------------------------------------------------------- oracles


def oracle_calls(stops, departure, direction, skips):
    codes = [c for c, _ in stops]
    runs = [r for _, r in stops]
    clock = departure
    times = {}
    order = list(range(len(codes)))
    if direction == "down":
        order.reverse()
    out = []
    prev = None
    for k, idx in enumerate(order):
        if prev is not None:
            clock += runs[max(idx, prev)]
        prev = idx
        times[codes[idx]] = clock
        if 0 < k < len(order) - 1 and codes[idx] in skips:
            continue
        out.append((codes[idx], clock))
    return out


def oracle_earliest(stations, lines, services, origin, dest, day, t0):
    change = {code: ch for code, _, _, ch in stations}
    stops = dict(lines)
    trains = [
        oracle_calls(stops[line], dep, direction, skips)
        for _, line, d, dep, direction, skips in services
        if d == day
    ]
    best = {origin: t0}
    changed = True
    while changed:
        changed = False
        for calls in trains:
            boarded = False
            for code, minute in calls:
                if boarded:
                    if code not in best or minute < best[code]:
                        best[code] = minute
                        changed = True
                elif code in best:
                    ready = best[code] + (0 if code == origin else change[code])
                    boarded = minute >= ready
    return best.get(dest)


def oracle_single(rows, cards, span, peak, card):
    rows = sorted(rows)
    chosen = None
    for zones, pk, op in rows:
        if zones >= span:
            chosen = (pk, op)
            break
    if chosen is None:
        chosen = (rows[-1][1], rows[-1][2])
    base = Decimal(chosen[0] if peak else chosen[1])
    if card is None:
        return base
    info = [c for c in cards if c["code"] == card][0]
    if info["offpeak_only"] and peak:
        return base
    floor = Decimal(info["min_fare"])
    if base <= floor:
        return base
    cut = base * (100 - info["discount"]) / 100
    cut = (cut * 20).to_integral_value(rounding=ROUND_FLOOR) / 20
    return max(cut, floor)


def oracle_split(rows, cards, zones, peak, railcards):
    n = len(zones)
    best = None
    for k in range(n - 1):
        for cut in itertools.combinations(range(1, n - 1), k):
            points = [0, *cut, n - 1]
            total = Decimal(0)
            for a, b in zip(points, points[1:]):
                seg = zones[a : b + 1]
                span = max(seg) - min(seg) + 1
                total += min(
                    oracle_single(rows, cards, span, peak, c) for c in [None, *railcards]
                )
            if best is None or total < best:
                best = total
    return best


def random_tables(seed, n_stations=14, n_lines=4, per_line=6):
    rng = random.Random(seed)
    codes = []
    while len(codes) < n_stations:
        code = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(3))
        if code not in codes:
            codes.append(code)
    stations = [(c, f"Stop {c}", rng.randint(1, 5), rng.randint(0, 7)) for c in codes]
    lines = []
    for n in range(n_lines):
        picked = rng.sample(codes, rng.randint(3, 7))
        lines.append((f"R{n}", [(c, 0 if i == 0 else rng.randint(1, 15)) for i, c in
                                enumerate(picked)]))
    services = []
    for line_id, stops in lines:
        for k in range(per_line):
            for day in ("WD", "SA"):
                direction = rng.choice(["up", "down"])
                inner = [c for c, _ in stops[1:-1]]
                skips = [c for c in inner if rng.random() < 0.25]
                services.append((f"{line_id}{day}{k}{direction[0]}", line_id, day,
                                 rng.randrange(300, 900), direction, skips))
    return stations, lines, services


def check_legs(net, legs, origin, dest, t0):
    assert legs[0][1] == origin and legs[-1][3] == dest
    ready = t0
    here = origin
    for sid, board, dep, alight, arr in legs:
        assert board == here
        calls = dict(net.service(sid).calls())
        assert calls[board] == dep and calls[alight] == arr and arr > dep
        assert dep >= ready
        here = alight
        ready = arr + net.station(alight).min_change


# ---------------------------------------------------------------------------- parsing


@pytest.mark.parametrize("text", ["7:5", "24:60", "ab:cd", "", "30:00"])
def test_parse_time_rejects(text):
    with pytest.raises(ValueError):
        rp.parse_time(text)


def test_format_time_negative():
    with pytest.raises(ValueError):
        rp.format_time(-1)


def test_parsers_reject_non_text():
    with pytest.raises(TypeError):
        rp.parse_stations(None)
    with pytest.raises(TypeError):
        rp.parse_fares(["1|2.00|1.00"])


@pytest.mark.parametrize(
    "func, text",
    [
        (rp.parse_stations, "aaa|Alpha|1"),
        (rp.parse_stations, "AAA|Alpha|0"),
        (rp.parse_stations, "AAA|Alpha"),
        (rp.parse_lines, "L1|AAA:0,BBB"),
        (rp.parse_services, "S1|L1|XX|07:00|up|"),
        (rp.parse_services, "S1|L1|WD|07:00|sideways|"),
        (rp.parse_fares, "1|2.005|1.00"),
        (rp.parse_railcards, "YNG|120|3.00|no"),
        (rp.parse_railcards, "YNG|34|3.00|maybe"),
        (rp.parse_platforms, "CCC|S1|"),
    ],
)
def test_parsers_reject_bad_rows(func, text):
    with pytest.raises(ValueError):
        func(text)


def test_parsers_skip_comments_and_blank():
    assert rp.parse_stations("# heading\n\n   \n") == []
    assert rp.parse_services("S9|L1|SU|23:59|down|AAA;BBB")[0][5] == ["AAA", "BBB"]


# ---------------------------------------------------------------------------- network build


def test_network_does_not_mutate_inputs():
    stations = rp.parse_stations(STATIONS)
    lines = rp.parse_lines(LINES)
    services = rp.parse_services(SERVICES)
    platforms = rp.parse_platforms("CCC|S1|3\nAAA|S2|7")
    before = copy.deepcopy((stations, lines, services, platforms))
    network = rp.Network(stations, lines, services, platforms)
    network.direct_services("AAA", "DDD", "WD")
    rp.Planner(network).plan("AAA", "FFF", "WD", 0)
    assert (stations, lines, services, platforms) == before


@pytest.mark.parametrize(
    "stations, lines, services",
    [
        (STATIONS + "AAA|Again|1\n", LINES, SERVICES),
        (STATIONS, LINES + "L1|AAA:0,BBB:4\n", ""),
        (STATIONS, "L1|AAA:3,BBB:4\n", ""),
        (STATIONS, "L1|AAA:0,BBB:0\n", ""),
        (STATIONS, "L1|AAA:0,BBB:4,AAA:5\n", ""),
        (STATIONS, "L1|AAA:0\n", ""),
        (STATIONS, LINES, SERVICES + "S1|L1|SA|10:00|up|\n"),
        (STATIONS, LINES, "S1|L1|WD|07:00|up|AAA\n"),
        (STATIONS, LINES, "S1|L1|WD|07:00|up|EEE\n"),
    ],
)
def test_network_rejects_bad_tables(stations, lines, services):
    with pytest.raises(ValueError):
        rp.Network.from_tables(stations, lines, services)


def test_unknown_line_and_service():
    with pytest.raises(KeyError):
        rp.Network.from_tables(STATIONS, LINES, "S1|L9|WD|07:00|up|\n")
    with pytest.raises(KeyError):
        rp.Network.from_tables(STATIONS, LINES + "L3|AAA:0,ZZZ:4\n", "")
    with pytest.raises(KeyError):
        make_net().service("NOPE")
    with pytest.raises(KeyError):
        make_net().line("L9")


def test_has_station(net):
    assert net.has_station("GGG")
    assert not net.has_station("ZZZ")


def test_calls_match_oracle_random():
    stations, lines, services = random_tables(7)
    network = rp.Network(stations, lines, services)
    stops = dict(lines)
    for sid, line, _, dep, direction, skips in services:
        expected = oracle_calls(stops[line], dep, direction, skips)
        assert network.service(sid).calls() == expected
        assert network.service(sid).origin() == expected[0][0]
        assert network.service(sid).destination() == expected[-1][0]


def test_calls_returns_fresh_list(net):
    service = net.service("S1")
    first = service.calls()
    first.append(("ZZZ", 0))
    first[0] = ("QQQ", 1)
    assert service.calls() == [("AAA", 420), ("BBB", 430), ("CCC", 445), ("DDD", 465)]
    assert net.direct_services("AAA", "DDD", "WD")[0] == (420, 465, "S1")


def test_services_on_fresh_and_validated(net):
    listed = net.services_on("WD")
    listed.clear()
    assert len(net.services_on("WD")) == 6
    with pytest.raises(ValueError):
        net.services_on("MO")


def test_line_running_time(net):
    assert net.line("L1").running_time("DDD", "BBB") == 35
    assert net.line("L1").running_time("AAA", "AAA") == 0


# ---------------------------------------------------------------------------- direct services


def test_direct_services_validation(net):
    with pytest.raises(KeyError):
        net.direct_services("AAA", "ZZZ", "WD")
    with pytest.raises(ValueError):
        net.direct_services("AAA", "DDD", "FR")


def test_direct_services_after_is_inclusive(net):
    assert net.direct_services("AAA", "DDD", "WD", after=480) == [(480, 525, "S2")]
    assert net.direct_services("AAA", "DDD", "WD", after=481) == []


def test_direct_services_skipped_stop_excluded(net):
    assert [s[2] for s in net.direct_services("AAA", "BBB", "WD")] == ["S1"]
    assert net.direct_services("BBB", "DDD", "SA") == [(550, 585, "S6")]
    assert net.direct_services("BBB", "DDD", "SU") == []


def test_direct_services_ties_sorted_by_id():
    services = SERVICES + "R2|L1|WD|07:00|up|\nA9|L1|WD|07:00|up|\n"
    network = make_net(services)
    assert network.direct_services("AAA", "CCC", "WD") == [
        (420, 445, "A9"),
        (420, 445, "R2"),
        (420, 445, "S1"),
        (480, 505, "S2"),
    ]


def test_direct_services_fresh_and_repeatable(net):
    first = net.direct_services("AAA", "DDD", "WD")
    first.append((0, 0, "X"))
    second = net.direct_services("AAA", "DDD", "WD")
    assert second == net.direct_services("AAA", "DDD", "WD") == first[:-1]


def test_direct_services_random_oracle():
    stations, lines, services = random_tables(11)
    network = rp.Network(stations, lines, services)
    stops = dict(lines)
    codes = [s[0] for s in stations]
    rng = random.Random(3)
    for _ in range(40):
        a, b = rng.sample(codes, 2)
        day = rng.choice(["WD", "SA", "SU"])
        after = rng.randrange(250, 950)
        expected = []
        for sid, line, d, dep, direction, skips in services:
            if d != day:
                continue
            calls = oracle_calls(stops[line], dep, direction, skips)
            names = [c for c, _ in calls]
            if a in names and b in names and names.index(a) < names.index(b):
                ta, tb = calls[names.index(a)][1], calls[names.index(b)][1]
                if ta >= after:
                    expected.append((ta, tb, sid))
        assert network.direct_services(a, b, day, after) == sorted(expected)


# ---------------------------------------------------------------------------- departures


def test_departures_exclude_terminating_and_validate(net):
    assert all(row[1] != "S3" for row in net.departures("AAA", "WD"))
    assert net.departures("GGG", "WD") == []
    with pytest.raises(KeyError):
        net.departures("ZZZ", "WD")
    with pytest.raises(ValueError):
        net.departures("AAA", "XX")


def test_set_platform_after_query(net):
    before = net.departures("CCC", "WD")
    assert before[0][2] == "3"
    net.set_platform("CCC", "S1", 9)
    net.set_platform("CCC", "S3", "4b")
    after = net.departures("CCC", "WD")
    assert after[0][2] == "9"
    assert [r for r in after if r[1] == "S3"][0][2] == "4b"
    assert net.platform_for("S1", "CCC") == "9"
    assert net.platform_for("S1", "AAA") == "1"
    assert net.platform_for("T1", "FFF") == "2"
    assert len([p for p in net.platform_changes if p[:2] == ("CCC", "S1")]) == 1


def test_set_platform_rejects(net):
    with pytest.raises(ValueError):
        net.set_platform("BBB", "S2", "1")
    with pytest.raises(KeyError):
        net.set_platform("ZZZ", "S2", "1")
    with pytest.raises(KeyError):
        net.set_platform("AAA", "NOPE", "1")
    with pytest.raises(ValueError):
        make_net(platforms="EEE|S1|2\n")


def test_departures_fresh(net):
    rows = net.departures("CCC", "WD")
    rows.pop()
    assert len(net.departures("CCC", "WD")) == 6


def test_timetable_repeatable_and_formats(net):
    text = net.timetable("CCC", "WD")
    assert text == net.timetable("CCC", "WD")
    lines = text.splitlines()
    assert len(lines) == 2 + 6
    assert lines[1] == "=" * len(lines[0])
    assert "1 stop" in lines[4] and "1 stops" not in lines[4]
    assert lines[2].split()[-1] == "non-stop"


def test_print_timetable(net, capsys):
    net.print_timetable("EEE", "SA")
    out = capsys.readouterr().out
    assert "Echo (EEE)" in out and "Saturday" in out and "no departures" in out


# ---------------------------------------------------------------------------- planner


def test_plan_validation(net):
    planner = rp.Planner(net)
    with pytest.raises(KeyError):
        planner.plan("AAA", "ZZZ", "WD", 0)
    with pytest.raises(ValueError):
        planner.plan("AAA", "DDD", "XX", 0)
    with pytest.raises(ValueError):
        planner.plan("AAA", "DDD", "WD", -5)


def test_plan_change_time_respected():
    stations = STATIONS.replace("CCC|Charlie|2|6", "CCC|Charlie|2|8")
    network = rp.Network.from_tables(stations, LINES, SERVICES)
    legs = rp.Planner(network).plan("AAA", "FFF", "WD", 420)
    assert legs == [("S1", "AAA", 420, "CCC", 445), ("S4", "CCC", 472, "FFF", 490)]


def test_plan_no_change_time_at_origin(net):
    legs = rp.Planner(net).plan("CCC", "FFF", "WD", 452)
    assert legs == [("S5", "CCC", 452, "FFF", 470)]


def test_plan_staying_on_train_needs_no_change(net):
    legs = rp.Planner(net).plan("AAA", "DDD", "WD", 400)
    assert legs == [("S1", "AAA", 420, "DDD", 465)]


def test_plan_tie_keeps_first_listed_service():
    services = SERVICES + "S0|L1|WD|07:00|up|BBB\n"
    legs = rp.Planner(make_net(services)).plan("AAA", "DDD", "WD", 400)
    assert legs == [("S1", "AAA", 420, "DDD", 465)]


def test_plan_repeatable_and_fresh(net):
    planner = rp.Planner(net)
    first = planner.plan("AAA", "FFF", "WD", 420)
    first.append(("junk",))
    assert planner.plan("AAA", "FFF", "WD", 420) == first[:-1]
    assert planner.plan("AAA", "FFF", "WD", 420) is not planner.plan("AAA", "FFF", "WD", 420)


def test_plan_other_days_independent(net):
    planner = rp.Planner(net)
    assert planner.plan("AAA", "FFF", "SA", 0) is None
    assert planner.plan("AAA", "DDD", "SA", 0) == [("S6", "AAA", 540, "DDD", 585)]
    assert planner.plan("AAA", "FFF", "WD", 420)[-1][4] == 470


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_plan_random_against_oracle(seed):
    stations, lines, services = random_tables(seed, n_stations=16, n_lines=5, per_line=8)
    network = rp.Network(stations, lines, services)
    planner = rp.Planner(network)
    rng = random.Random(seed * 31)
    codes = [s[0] for s in stations]
    for _ in range(25):
        a, b = rng.sample(codes, 2)
        day = rng.choice(["WD", "SA"])
        t0 = rng.randrange(250, 900)
        expected = oracle_earliest(stations, lines, services, a, b, day, t0)
        legs = planner.plan(a, b, day, t0)
        if expected is None:
            assert legs is None
        else:
            assert legs[-1][4] == expected
            check_legs(network, legs, a, b, t0)
            assert planner.arrival_time(a, b, day, t0) == expected


def test_journey_fare_empty_and_not_mutating(net, fares):
    planner = rp.Planner(net)
    assert planner.journey_fare([], "WD", fares) == Decimal("0.00")
    legs = planner.plan("AAA", "FFF", "WD", 420)
    cards = ["YNG", "FAM"]
    saved = copy.deepcopy((legs, cards))
    planner.journey_fare(legs, "WD", fares, cards)
    assert (legs, cards) == saved
    assert planner.describe([]) == "no travel needed"


# ---------------------------------------------------------------------------- fares


def test_fare_table_validation():
    with pytest.raises(ValueError):
        rp.FareCalculator([])
    with pytest.raises(ValueError):
        rp.FareCalculator.from_tables("1|2.00|1.00\n1|3.00|2.00\n")


def test_single_fare_bad_span(fares):
    for span in (0, -1, 1.5, "2"):
        with pytest.raises(ValueError):
            fares.single_fare(span, False)
    with pytest.raises(KeyError):
        fares.single_fare(2, False, "XXX")


def test_fare_row_gaps_use_next_wider_row():
    calc = rp.FareCalculator.from_tables("2|4.00|3.00\n5|9.00|6.00\n")
    assert calc.single_fare(1, True) == Decimal("4.00")
    assert calc.single_fare(3, False) == Decimal("6.00")
    assert calc.single_fare(9, True) == Decimal("9.00")


def test_fare_amounts_two_places():
    calc = rp.FareCalculator.from_tables("1|3|2.5\n")
    assert str(calc.single_fare(1, True)) == "3.00"
    assert str(calc.single_fare(1, False)) == "2.50"


@pytest.mark.parametrize(
    "day, minute, peak",
    [("WD", 389, False), ("WD", 390, True), ("WD", 569, True), ("WD", 570, False),
     ("WD", 960, True), ("WD", 1140, False), ("WD", 390 + 1440, True), ("SU", 400, False)],
)
def test_peak_boundaries(day, minute, peak):
    assert rp.FareCalculator.is_peak(day, minute) is peak


def test_single_fare_random_oracle(fares):
    rows = rp.parse_fares(FARES)
    cards = rp.parse_railcards(RAILCARDS)
    for span in range(1, 8):
        for peak in (False, True):
            for card in (None, "YNG", "SNR", "FAM"):
                assert fares.single_fare(span, peak, card) == oracle_single(
                    rows, cards, span, peak, card
                )


def test_best_single_tie_keeps_earlier(fares):
    calc = rp.FareCalculator.from_tables(
        "1|4.00|4.00\n", "AAA|50|1.00|no\nBBB|50|1.00|no\n"
    )
    assert calc.best_single(1, False, ("BBB", "AAA")) == (Decimal("2.00"), "BBB")
    free = rp.FareCalculator.from_tables("1|4.00|4.00\n", "ZRO|0|1.00|no\n")
    assert free.best_single(1, False, ("ZRO",)) == (Decimal("4.00"), None)


def test_cheapest_split_validation(fares):
    with pytest.raises(ValueError):
        fares.cheapest_split([1], False)
    with pytest.raises(TypeError):
        fares.cheapest_split([1, 2], False, "YNG")
    with pytest.raises(KeyError):
        fares.cheapest_split([1, 2], False, ("YNG", "BAD"))


def test_cheapest_split_prefers_through_on_tie():
    calc = rp.FareCalculator.from_tables("1|2.00|2.00\n2|4.00|4.00\n")
    total, tickets = calc.cheapest_split([1, 1, 1], False)
    assert total == Decimal("2.00")
    assert tickets == [(0, 2, None, Decimal("2.00"))]
    total, tickets = calc.cheapest_split([1, 2], False)
    assert tickets == [(0, 1, None, Decimal("4.00"))]


def test_cheapest_split_not_mutating_and_repeatable(fares):
    zones = [1, 3, 2, 4, 1]
    cards = ["YNG", "FAM"]
    saved = copy.deepcopy((zones, cards))
    first = fares.cheapest_split(zones, True, cards)
    first[1].append("junk")
    assert (zones, cards) == saved
    second = fares.cheapest_split(zones, True, cards)
    assert second[1][-1] != "junk"
    assert second == fares.cheapest_split(zones, True, cards)


def test_cheapest_split_random_oracle():
    rng = random.Random(99)
    for trial in range(30):
        rows = []
        price = 0
        for zones in range(1, 7):
            price += rng.randint(50, 400)
            rows.append((zones, f"{price * 1.3 / 100:.2f}", f"{price / 100:.2f}"))
        cards = [
            {"code": "C1", "discount": rng.randint(10, 50), "min_fare": "3.00",
             "offpeak_only": False},
            {"code": "C2", "discount": rng.randint(10, 50), "min_fare": "1.50",
             "offpeak_only": True},
        ]
        calc = rp.FareCalculator(rows, cards)
        zones = [rng.randint(1, 6) for _ in range(rng.randint(2, 8))]
        peak = trial % 2 == 0
        held = rng.choice([(), ("C1",), ("C2",), ("C1", "C2")])
        total, tickets = calc.cheapest_split(zones, peak, held)
        assert total == oracle_split(rows, cards, zones, peak, held)
        assert tickets[0][0] == 0 and tickets[-1][1] == len(zones) - 1
        assert all(a[1] == b[0] for a, b in zip(tickets, tickets[1:]))
        assert sum(t[3] for t in tickets) == total
        assert all(t[2] is None or t[2] in held for t in tickets)


def test_fare_chart_matches_split(net, fares):
    chart = net.fare_chart("L1", fares, True, ("YNG",))
    zones = [1, 1, 2, 3]
    codes = ["AAA", "BBB", "CCC", "DDD"]
    assert len(chart) == 12
    for i, j in itertools.combinations(range(4), 2):
        expected, _ = fares.cheapest_split(zones[i : j + 1], True, ("YNG",))
        assert chart[(codes[i], codes[j])] == chart[(codes[j], codes[i])] == expected


def test_cheapest_fare_uses_called_stations(fares):
    calc = rp.FareCalculator.from_tables("1|2.00|2.00\n2|3.00|3.00\n3|9.00|9.00\n")
    network = make_net()
    total, tickets = network.cheapest_fare("AAA", "DDD", "WD", 470, calc)
    assert total == Decimal("6.00")
    assert tickets == [
        ("AAA", "CCC", None, Decimal("3.00")),
        ("CCC", "DDD", None, Decimal("3.00")),
    ]
    assert all(t[0] != "BBB" and t[1] != "BBB" for t in tickets)


def test_tariff_text(fares):
    text = fares.tariff()
    assert text.splitlines()[0].startswith("zones")
    assert "SNR: 50% off, min 2.50 off-peak only" in text
    assert rp.zone_span(4, 2) == rp.zone_span(2, 4) == 3
    assert math.isclose(float(fares.single_fare(2, True)), 4.0)
