from datetime import time, timedelta

import pytest

from tramway import (
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


@pytest.fixture
def net():
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


def test_time_conversions_round_trip():
    assert to_timedelta(time(7, 30)) == timedelta(hours=7, minutes=30)
    assert to_time(timedelta(hours=23, minutes=59)) == time(23, 59)
    assert parse_time("06:05") == time(6, 5)
    assert format_time(time(6, 5)) == "06:05"


def test_to_time_rejects_next_day():
    with pytest.raises(ValueError):
        to_time(timedelta(days=1))


def test_network_container(net):
    assert len(net) == 6
    assert "C" in net
    assert "Z" not in net
    assert [s.stop_id for s in net] == ["A", "B", "C", "D", "E", "F"]


def test_trip_times(net):
    trip = next(iter(net.line("T1")))
    assert trip.times == [time(6, 0), time(6, 3), time(6, 7), time(6, 12)]
    assert trip.arrival == time(6, 12)
    assert trip.time_at("C") == time(6, 7)


def test_line_counts_and_membership(net):
    t1 = net.line("T1")
    assert len(t1) == 13
    assert "B" in t1 and "E" not in t1
    assert net.trip("T1-2").departure == time(6, 10)


def test_line_validation():
    with pytest.raises(ValueError):
        Line("X", Mode.TRAM, ["A"], [])
    with pytest.raises(ValueError):
        Line("X", Mode.TRAM, ["A", "B"], [1, 2])


def test_departure_board_order(net):
    board = DepartureBoard(net, "C")
    times = [d.time for d in board]
    assert times == sorted(times)
    assert "B2" in board and "T1" in board


def test_board_skips_terminus(net):
    board = DepartureBoard(net, "D")
    assert len(board) == 0


def test_board_next(net):
    board = DepartureBoard(net, "B")
    upcoming = board.next(time(6, 30), 3)
    assert [d.time for d in upcoming] == [time(6, 33), time(6, 43), time(6, 53)]
    assert upcoming[0].destination == "Stop D"


def test_board_render(net):
    text = DepartureBoard(net, "E").render(time(7, 0))
    assert "no more departures" in text


def test_headways(net):
    assert DepartureBoard(net, "C").headways("B2") == [15.0] * 7


def test_direct_journey(net):
    planner = JourneyPlanner(net)
    journey = planner.earliest_arrival("A", "D", time(6, 1))
    assert journey.arrival == time(6, 22)
    assert len(journey) == 1
    assert journey.transfers == 0


def test_journey_with_walk(net):
    planner = JourneyPlanner(net)
    journey = planner.earliest_arrival("A", "E", time(6, 0))
    assert journey.arrival == time(6, 16)
    assert [leg.mode for leg in journey] == [Mode.TRAM, Mode.WALK]


def test_unreachable_returns_none(net):
    planner = JourneyPlanner(net)
    assert planner.earliest_arrival("D", "A", time(6, 0)) is None


def test_reachable(net):
    reach = JourneyPlanner(net).reachable("A", time(6, 0), 10)
    assert reach == {"A": time(6, 0), "B": time(6, 3), "C": time(6, 7), "F": time(6, 3)}


def test_fare_price(net):
    fares = FareTable(net, [(1, 200), (2, 300), (3, 400)])
    journey = JourneyPlanner(net).earliest_arrival("A", "D", time(6, 0))
    assert fares.zone_count(journey) == 2
    assert fares.price(journey) == 300
    assert fares.price(journey, Rider.CHILD) == 150 // 10 * 10


def test_fare_long_journey_needs_two_tickets(net):
    fares = FareTable(net, [(3, 400)], validity_minutes=10)
    journey = JourneyPlanner(net).earliest_arrival("A", "D", time(6, 0))
    assert fares.tickets_needed(journey) == 2


def test_punctuality_report(net):
    log = PunctualityLog(net)
    log.record("T1-1", "B", time(6, 4))
    log.record("T1-1", "D", time(6, 20))
    log.record("B2-1", "E", time(6, 11))
    report = log.report()
    assert [s.name for s in report] == ["T1", "B2"]
    assert report[0].mean == pytest.approx(4.5)
    assert report[0].on_time_ratio == 0.5
    assert "T1-1" in log and len(log) == 3


def test_punctuality_load(net):
    log = PunctualityLog(net)
    count = log.load(["# header", "T1-2,C,06:18:30", "", "B2-2, E, 06:26"])
    assert count == 2
    assert log.worst_stops(1) == [("C", 1.5)]
