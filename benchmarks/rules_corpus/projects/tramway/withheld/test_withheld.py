import math
import random
from datetime import time, timedelta

import pytest

from tramway import (
    DelayStats,
    DepartureBoard,
    FareTable,
    JourneyPlanner,
    Line,
    Mode,
    Network,
    PunctualityLog,
    Rider,
    Stop,
    parse_time,
    to_time,
    to_timedelta,
)
from tramway.network import format_time


def small_net():
    n = Network()
    for sid, zone in [("A", 1), ("B", 1), ("C", 2), ("D", 2), ("E", 3), ("F", 1)]:
        n.add_stop(Stop(sid, f"Stop {sid}", zone))
    t1 = Line("T1", Mode.TRAM, ["A", "B", "C", "D"], [3, 4, 5])
    t1.add_trips_every(time(6, 0), time(8, 0), 10)
    b2 = Line("B2", Mode.BUS, ["C", "E"], [6])
    b2.add_trips_every(time(6, 5), time(8, 0), 15)
    n.add_line(t1)
    n.add_line(b2)
    n.add_walk("D", "E", 4)
    n.add_walk("A", "F", 3)
    return n


# ---------------------------------------------------------------- times


def test_time_helpers_with_seconds():
    assert parse_time(" 07:08:09 ") == time(7, 8, 9)
    assert format_time(time(7, 8, 9)) == "07:08:09"
    assert to_time(to_timedelta(time(23, 59, 59))) == time(23, 59, 59)


@pytest.mark.parametrize("text", ["7", "07:00:00:00", "aa:bb", "25:00"])
def test_parse_time_rejects(text):
    with pytest.raises(ValueError):
        parse_time(text)


def test_to_time_rejects_negative():
    with pytest.raises(ValueError):
        to_time(timedelta(minutes=-1))


# ---------------------------------------------------------------- network


def test_line_copies_inputs_and_exposes_copies():
    stops, runs = ["A", "B", "C"], [2, 3]
    line = Line("L", Mode.BUS, stops, runs)
    stops.append("D")
    runs[0] = 50
    assert line.stops == ["A", "B", "C"]
    line.stops.append("Z")
    assert line.stops == ["A", "B", "C"]
    offsets = line.offsets
    assert offsets == [timedelta(0), timedelta(minutes=2), timedelta(minutes=5)]
    offsets.append(timedelta(hours=1))
    assert line.offsets == [timedelta(0), timedelta(minutes=2), timedelta(minutes=5)]


def test_trip_times_list_is_a_copy():
    line = Line("L", Mode.BUS, ["A", "B"], [5])
    trip = line.add_trip(time(9, 0))
    trip.times[0] = time(0, 0)
    trip.times.clear()
    assert trip.times == [time(9, 0), time(9, 5)]
    assert trip.departure == time(9, 0)


def test_line_validation_errors():
    with pytest.raises(ValueError):
        Line("L", Mode.TRAM, ["A", "B", "A"], [1, 1])
    with pytest.raises(ValueError):
        Line("L", Mode.TRAM, ["A", "B"], [0])
    line = Line("L", Mode.TRAM, ["A", "B"], [30])
    with pytest.raises(ValueError):
        line.add_trip(time(23, 30))
    with pytest.raises(ValueError):
        line.add_trips_every(time(6, 0), time(7, 0), 0)
    with pytest.raises(ValueError):
        Stop("X", "x", zone=0)


def test_trips_kept_in_departure_order_with_insertion_ids():
    line = Line("L", Mode.TRAM, ["A", "B"], [4])
    line.add_trip(time(8, 0))
    line.add_trip(time(7, 0))
    line.add_trip(time(7, 30))
    assert [(t.trip_id, t.departure) for t in line] == [
        ("L-2", time(7, 0)), ("L-3", time(7, 30)), ("L-1", time(8, 0))]
    assert [at for _, at in line.trips_from("B", time(7, 34))] == [time(7, 34), time(8, 4)]


def test_iterating_line_while_adding_trips():
    line = Line("L", Mode.TRAM, ["A", "B"], [4])
    line.add_trip(time(7, 0))
    for trip in line:
        line.add_trip(time(trip.departure.hour + 1, 0))
    assert len(line) == 2


def test_add_trips_every_inclusive_end():
    line = Line("L", Mode.TRAM, ["A", "B"], [4])
    added = line.add_trips_every(time(6, 0), time(7, 0), 20)
    assert [t.departure for t in added] == [time(6, 0), time(6, 20), time(6, 40), time(7, 0)]


def test_network_errors():
    net = small_net()
    with pytest.raises(ValueError):
        net.add_stop(Stop("A", "again"))
    with pytest.raises(KeyError):
        net.add_line(Line("X", Mode.BUS, ["A", "Q"], [1]))
    with pytest.raises(ValueError):
        net.add_line(Line("T1", Mode.BUS, ["A", "B"], [1]))
    with pytest.raises(KeyError):
        net.add_walk("A", "Q", 3)
    with pytest.raises(ValueError):
        net.add_walk("A", "A", 3)
    with pytest.raises(KeyError):
        net.stop("Q")
    with pytest.raises(KeyError):
        net.line("Q")
    with pytest.raises(KeyError):
        net.trip("T1-999")


def test_trip_added_after_line_joined_network_is_found():
    net = small_net()
    assert net.trip("T1-1").departure == time(6, 0)
    trip = net.line("B2").add_trip(time(9, 0))
    assert net.trip(trip.trip_id) is trip
    assert [line.line_id for line in net.lines_at("C")] == ["T1", "B2"]
    lines = net.lines
    lines.clear()
    assert len(net.lines) == 2


def test_walks_are_symmetric():
    net = small_net()
    assert [(w.to_stop, w.duration) for w in net.walks_from("E")] == [
        ("D", timedelta(minutes=4))]


# ---------------------------------------------------------------- boards


def test_board_errors_and_empty_requests():
    net = small_net()
    with pytest.raises(KeyError):
        DepartureBoard(net, "Q")
    board = DepartureBoard(net, "A")
    with pytest.raises(ValueError):
        board.next(time(6, 0), -1)
    assert board.next(time(6, 0), 0) == []
    assert board.next(time(23, 0)) == []
    assert board.headways("B2") == []


def test_board_ties_sorted_by_line_and_mode_filter():
    net = Network()
    for sid in "XYZ":
        net.add_stop(Stop(sid, sid))
    for lid, mode in [("Q9", Mode.BUS), ("A1", Mode.TRAM)]:
        line = Line(lid, mode, ["X", "Y"], [5])
        line.add_trip(time(7, 0))
        net.add_line(line)
    board = DepartureBoard(net, "X")
    assert [d.line_id for d in board] == ["A1", "Q9"]
    assert [d.line_id for d in board.next(time(7, 0), 5, Mode.BUS)] == ["Q9"]
    assert "Q9" in board and "Z9" not in board
    assert len(board) == 2


def test_board_sees_trips_added_later():
    net = small_net()
    board = DepartureBoard(net, "E")
    assert len(board) == 0
    before = len(DepartureBoard(net, "C"))
    net.line("B2").add_trip(time(9, 0))
    assert len(DepartureBoard(net, "C")) == before + 1


def test_board_render_format():
    net = small_net()
    text = DepartureBoard(net, "C").render(time(7, 45), 3)
    assert text.splitlines() == [
        "Departures from Stop C after 07:45",
        "  07:47  T1    tram to Stop D",
        "  07:50  B2    bus  to Stop E",
        "  07:57  T1    tram to Stop D",
    ]


def random_network(rng, n_stops=14, n_lines=6, n_walks=8):
    net = Network()
    ids = [f"S{i:02d}" for i in range(n_stops)]
    for i, sid in enumerate(ids):
        net.add_stop(Stop(sid, f"Name {i}", 1 + i % 4))
    for k in range(n_lines):
        stops = rng.sample(ids, rng.randint(2, 6))
        line = Line(f"L{k}", rng.choice([Mode.TRAM, Mode.BUS]), stops,
                    [rng.randint(1, 9) for _ in stops[1:]])
        for _ in range(rng.randint(0, 12)):
            line.add_trip(time(rng.randint(5, 20), rng.randrange(60)))
        net.add_line(line)
    pairs = set()
    for _ in range(n_walks):
        a, b = rng.sample(ids, 2)
        if (a, b) in pairs or (b, a) in pairs:
            continue
        pairs.add((a, b))
        net.add_walk(a, b, rng.randint(1, 15))
    return net, ids


def test_board_matches_reference_randomized():
    rng = random.Random(7)
    for _ in range(15):
        net, ids = random_network(rng)
        sid = rng.choice(ids)
        expected = []
        for line in net.lines:
            stops = line.stops
            if sid not in stops or stops[-1] == sid:
                continue
            i = stops.index(sid)
            for trip in line:
                expected.append((trip.times[i], line.line_id, trip.trip_id))
        expected.sort()
        got = [(d.time, d.line_id, d.trip_id) for d in DepartureBoard(net, sid)]
        assert got == expected


# ---------------------------------------------------------------- planner


def test_planner_argument_errors():
    net = small_net()
    with pytest.raises(ValueError):
        JourneyPlanner(net, transfer_minutes=-1)
    planner = JourneyPlanner(net)
    with pytest.raises(ValueError):
        planner.earliest_arrival("A", "A", time(6, 0))
    with pytest.raises(KeyError):
        planner.earliest_arrival("A", "Q", time(6, 0))
    with pytest.raises(KeyError):
        planner.reachable("Q", time(6, 0), 10)


def test_transfer_time_is_respected():
    net = small_net()
    # T1 reaches C at 06:07; B2 leaves C at 06:05, 06:20, ...
    journey = JourneyPlanner(net, transfer_minutes=0, max_walk_minutes=0).earliest_arrival(
        "B", "E", time(6, 0))
    assert [leg.line_id for leg in journey] == ["T1", "B2"]
    assert journey.arrival == time(6, 26)
    assert journey.transfers == 1
    assert list(journey)[1].depart == time(6, 20)


def test_transfer_exactly_fits():
    net = Network()
    for sid in "ABC":
        net.add_stop(Stop(sid, sid))
    first = Line("F", Mode.TRAM, ["A", "B"], [5])
    first.add_trip(time(7, 0))
    second = Line("S", Mode.BUS, ["B", "C"], [5])
    second.add_trip(time(7, 7))
    second.add_trip(time(7, 8))
    net.add_line(first)
    net.add_line(second)
    journey = JourneyPlanner(net, transfer_minutes=2).earliest_arrival("A", "C", time(7, 0))
    assert journey.arrival == time(7, 12)
    journey = JourneyPlanner(net, transfer_minutes=3).earliest_arrival("A", "C", time(7, 0))
    assert journey.arrival == time(7, 13)
    assert JourneyPlanner(net, transfer_minutes=4).earliest_arrival(
        "A", "C", time(7, 0)) is None


def test_no_transfer_time_at_origin():
    net = small_net()
    journey = JourneyPlanner(net, transfer_minutes=9).earliest_arrival("A", "B", time(6, 0))
    assert journey.departure == time(6, 0)
    assert journey.arrival == time(6, 3)
    assert journey.duration == timedelta(minutes=3)


def test_max_walk_limit():
    net = small_net()
    planner = JourneyPlanner(net, max_walk_minutes=3)
    assert planner.earliest_arrival("D", "E", time(6, 0)) is None
    journey = JourneyPlanner(net, max_walk_minutes=4).earliest_arrival("D", "E", time(6, 0))
    assert [leg.mode for leg in journey] == [Mode.WALK]
    assert journey.arrival == time(6, 4)
    assert journey.transfers == 0


def test_walk_past_midnight_is_not_possible():
    net = small_net()
    assert JourneyPlanner(net).earliest_arrival("D", "E", time(23, 58)) is None


def test_journey_container_and_summary():
    net = small_net()
    journey = JourneyPlanner(net).earliest_arrival("F", "D", time(6, 20))
    assert [leg.mode for leg in journey] == [Mode.WALK, Mode.TRAM]
    assert "A" in journey and "F" in journey and "E" not in journey
    assert journey.summary() == "F->D 06:20-06:42 via walk/T1"
    assert journey.origin == "F" and journey.destination == "D"
    assert list(journey)[0].duration == timedelta(minutes=3)


def test_planner_sees_trips_added_between_queries():
    net = small_net()
    planner = JourneyPlanner(net)
    assert planner.earliest_arrival("A", "D", time(8, 30)) is None
    net.line("T1").add_trip(time(9, 0))
    assert planner.earliest_arrival("A", "D", time(8, 30)).arrival == time(9, 12)


def reference_labels(net, origin, depart, transfer, max_walk):
    inf = timedelta(days=2)
    label = {sid.stop_id: inf for sid in net}
    label[origin] = to_timedelta(depart)
    changed = True
    while changed:
        changed = False
        for line in net.lines:
            stops = line.stops
            for trip in line:
                times = [to_timedelta(t) for t in trip.times]
                for i, s in enumerate(stops):
                    if label[s] == inf:
                        continue
                    ready = label[s] + (timedelta(0) if s == origin else transfer)
                    if times[i] < ready:
                        continue
                    for j in range(i + 1, len(stops)):
                        if times[j] < label[stops[j]]:
                            label[stops[j]] = times[j]
                            changed = True
        for stop in net:
            for walk in net.walks_from(stop.stop_id):
                if label[stop.stop_id] == inf or walk.duration > max_walk:
                    continue
                arrive = label[stop.stop_id] + walk.duration
                if arrive < timedelta(days=1) and arrive < label[walk.to_stop]:
                    label[walk.to_stop] = arrive
                    changed = True
    return {s: to_time(t) for s, t in label.items() if t != inf}


def test_planner_matches_reference_randomized():
    rng = random.Random(11)
    checked = 0
    for _ in range(25):
        net, ids = random_network(rng)
        transfer, max_walk = rng.randint(0, 4), rng.randint(0, 12)
        planner = JourneyPlanner(net, transfer, max_walk)
        origin = rng.choice(ids)
        depart = time(rng.randint(5, 19), rng.randrange(60))
        expected = reference_labels(net, origin, depart, timedelta(minutes=transfer),
                                    timedelta(minutes=max_walk))
        reach = planner.reachable(origin, depart, 24 * 60)
        assert reach == expected
        for dest in ids:
            if dest == origin:
                continue
            journey = planner.earliest_arrival(origin, dest, depart)
            if dest not in expected:
                assert journey is None
                continue
            checked += 1
            assert journey.arrival == expected[dest]
            assert journey.origin == origin and journey.destination == dest
            # legs chain in time and place
            for before, after in zip(journey, list(journey)[1:]):
                assert before.to_stop == after.from_stop
                assert before.arrive <= after.depart
    assert checked > 50


def test_reachable_deadline_inclusive_and_sorted():
    net = small_net()
    reach = JourneyPlanner(net).reachable("A", time(6, 0), 12)
    assert list(reach) == ["A", "B", "C", "D", "F"]
    assert reach["D"] == time(6, 12)


# ---------------------------------------------------------------- fares


def test_fare_table_validation_and_bands_not_mutated():
    net = small_net()
    bands = [(3, 400), (1, 200)]
    fares = FareTable(net, bands)
    assert bands == [(3, 400), (1, 200)]
    assert fares.base_price(2) == 400
    with pytest.raises(ValueError):
        fares.base_price(4)
    with pytest.raises(ValueError):
        FareTable(net, [])
    with pytest.raises(ValueError):
        FareTable(net, [(0, 100)])


def test_zones_include_intermediate_stops():
    net = Network()
    for sid, zone in [("A", 1), ("B", 3), ("C", 1)]:
        net.add_stop(Stop(sid, sid, zone))
    line = Line("L", Mode.TRAM, ["A", "B", "C"], [2, 2])
    line.add_trip(time(7, 0))
    net.add_line(line)
    journey = JourneyPlanner(net).earliest_arrival("A", "C", time(7, 0))
    fares = FareTable(net, [(1, 100), (2, 200), (3, 300)])
    assert fares.zones_touched(journey) == {1, 3}
    assert fares.zone_count(journey) == 3
    assert fares.price(journey) == 300


def test_bus_discount_and_rider_rounding():
    net = small_net()
    fares = FareTable(net, [(1, 235), (2, 310), (3, 380)], bus_discount=40)
    bus = JourneyPlanner(net, max_walk_minutes=0).earliest_arrival("C", "E", time(6, 0))
    assert [leg.mode for leg in bus] == [Mode.BUS]
    assert fares.price(bus) == 270  # two zones, bus discount
    assert fares.price(bus, Rider.SENIOR) == 190  # 189 rounded up
    tram = JourneyPlanner(net).earliest_arrival("A", "B", time(6, 0))
    assert fares.price(tram) == 240  # 235 rounded up, no bus discount
    assert fares.price(tram, Rider.CHILD) == 120
    walk = JourneyPlanner(net).earliest_arrival("A", "F", time(6, 0))
    assert fares.price(walk) == 240


def test_bus_discount_never_negative():
    net = small_net()
    fares = FareTable(net, [(5, 30)], bus_discount=100)
    bus = JourneyPlanner(net, max_walk_minutes=0).earliest_arrival("C", "E", time(6, 0))
    assert fares.price(bus) == 0


def test_tickets_needed_counts_waiting_time():
    net = small_net()
    fares = FareTable(net, [(3, 100)], validity_minutes=20)
    journey = JourneyPlanner(net).earliest_arrival("A", "D", time(5, 0))
    assert journey.duration == timedelta(hours=1, minutes=12)
    assert fares.tickets_needed(journey) == 4
    assert fares.price(journey) == 400


# ---------------------------------------------------------------- punctuality


def test_delay_stats_empty_and_percentiles():
    empty = DelayStats("x", [])
    assert empty.mean == 0.0 and empty.on_time_ratio == 1.0 and empty.worst == 0.0
    assert empty.percentile(50) == 0.0
    delays = [timedelta(minutes=m) for m in (3, -2, 10, 0)]
    stats = DelayStats("x", delays)
    delays.append(timedelta(hours=5))
    assert len(stats) == 4
    assert stats.percentile(100) == 10.0
    assert stats.percentile(25) == -2.0
    assert stats.percentile(50) == 0.0
    assert stats.on_time_ratio == 0.5
    with pytest.raises(ValueError):
        stats.percentile(0)
    with pytest.raises(ValueError):
        stats.percentile(101)
    stats.minutes.append(99.0)
    assert stats.worst == 10.0


def test_on_time_boundaries():
    stats = DelayStats("b", [timedelta(minutes=-1), timedelta(minutes=5),
                             timedelta(seconds=-61), timedelta(seconds=301)])
    assert stats.on_time_ratio == 0.5


def test_percentile_matches_reference_randomized():
    rng = random.Random(3)
    for _ in range(30):
        minutes = [rng.randint(-5, 30) for _ in range(rng.randint(1, 40))]
        stats = DelayStats("r", [timedelta(minutes=m) for m in minutes])
        for p in (1, 10, 50, 90, 99.5, 100):
            ordered = sorted(minutes)
            assert stats.percentile(p) == ordered[max(math.ceil(p * len(ordered) / 100), 1) - 1]
        assert stats.mean == pytest.approx(sum(minutes) / len(minutes))


def test_log_errors():
    net = small_net()
    log = PunctualityLog(net)
    with pytest.raises(KeyError):
        log.record("T9-1", "A", time(6, 0))
    with pytest.raises(ValueError):
        log.record("B2-1", "A", time(6, 0))
    with pytest.raises(ValueError):
        log.load(["T1-1,A"])
    with pytest.raises(KeyError):
        log.line_stats("Q")
    assert len(log) == 0
    assert log.report() == []
    assert log.worst_stops() == []


def test_report_ties_and_lines_without_observations():
    net = small_net()
    extra = Line("A0", Mode.BUS, ["A", "F"], [3])
    extra.add_trip(time(6, 0))
    net.add_line(extra)
    log = PunctualityLog(net)
    log.record("T1-1", "B", time(6, 5))  # +2
    log.record("A0-1", "F", time(6, 5))  # +2
    report = log.report()
    assert [s.name for s in report] == ["A0", "T1"]
    assert log.line_stats("B2").mean == 0.0 and len(log.line_stats("B2")) == 0


def test_worst_stops_ties_by_id_and_count():
    net = small_net()
    log = PunctualityLog(net)
    log.record("T1-1", "D", time(6, 13))
    log.record("T1-1", "B", time(6, 4))
    log.record("T1-2", "C", time(6, 16))
    assert log.worst_stops(2) == [("B", 1.0), ("D", 1.0)]
    assert log.worst_stops(10)[-1] == ("C", -1.0)


def test_report_matches_reference_randomized():
    rng = random.Random(5)
    net, ids = random_network(rng, n_stops=12, n_lines=8)
    trips = [t for line in net.lines for t in line]
    log = PunctualityLog(net)
    expected = {}
    for _ in range(200):
        trip = rng.choice(trips)
        stop = rng.choice(trip.line.stops)
        delay = timedelta(seconds=rng.randint(-120, 900))
        scheduled = trip.times[trip.line.stops.index(stop)]
        observed = to_timedelta(scheduled) + delay
        if observed < timedelta(0) or observed >= timedelta(days=1):
            continue
        log.record(trip.trip_id, stop, to_time(observed))
        expected.setdefault(trip.line.line_id, []).append(delay.total_seconds() / 60)
    report = log.report()
    assert {s.name for s in report} == set(expected)
    means = [s.mean for s in report]
    assert means == sorted(means, reverse=True)
    for stats in report:
        assert stats.mean == pytest.approx(sum(expected[stats.name]) / len(expected[stats.name]))
        assert sorted(stats.minutes) == pytest.approx(sorted(expected[stats.name]))
