from datetime import date

import pytest

import metro

STOPS = """stop_id,stop_name,stop_lat,stop_lon
A,Central,52.0000,4.0000
B,Market,52.0020,4.0000
C,Harbour,52.0100,4.0000
D,Harbour East,52.0102,4.0010
E,Airport,52.1000,4.1000
"""

ROUTES = """route_id,route_short_name,route_long_name,route_type
R1,1,Central - Harbour,3
R2,2,Harbour East - Airport,0
"""

TRIPS = """route_id,service_id,trip_id,trip_headsign,direction_id
R1,WK,T1,Harbour,0
R1,WK,T2,Harbour,0
R1,WK,T3,Central,1
R2,WK,T4,Airport,0
R1,SA,T5,Harbour,0
R1,WK,T6,Harbour,0
R2,HOL,T7,Airport,0
"""

STOP_TIMES = """trip_id,arrival_time,departure_time,stop_id,stop_sequence
T1,08:00:00,08:00:00,A,1
T1,08:05:00,08:05:30,B,2
T1,08:15:00,08:15:00,C,3
T2,08:30:00,08:30:00,A,1
T2,08:35:00,08:35:30,B,2
T2,08:45:00,08:45:00,C,3
T3,09:00:00,09:00:00,C,1
T3,09:10:00,09:10:00,B,2
T3,09:15:00,09:15:00,A,3
T4,08:20:00,08:20:00,D,1
T4,08:50:00,08:50:00,E,2
T5,10:00:00,10:00:00,A,1
T5,10:05:00,10:05:00,B,2
T5,10:15:00,10:15:00,C,3
T6,24:30:00,24:30:00,A,1
T6,24:35:00,24:35:00,B,2
T6,24:45:00,24:45:00,C,3
T7,12:00:00,12:00:00,D,1
T7,12:30:00,12:30:00,E,2
"""

CALENDAR = """\
service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date
WK,1,1,1,1,1,0,0,20240101,20241231
SA,0,0,0,0,0,1,0,20240101,20241231
"""

CALENDAR_DATES = """service_id,date,exception_type
WK,20240501,2
HOL,20240501,1
"""

TUESDAY = date(2024, 3, 12)
FRIDAY = date(2024, 3, 15)
SATURDAY = date(2024, 3, 16)
MAY_DAY = date(2024, 5, 1)


def tables():
    return {
        "stops": STOPS,
        "routes": ROUTES,
        "trips": TRIPS,
        "stop_times": STOP_TIMES,
        "calendar": CALENDAR,
        "calendar_dates": CALENDAR_DATES,
    }


@pytest.fixture
def feed():
    return metro.load_feed(tables())


def test_parse_time_basic_and_after_midnight():
    assert metro.parse_time("08:05:30") == 8 * 3600 + 5 * 60 + 30
    assert metro.parse_time("7:00:00") == 7 * 3600
    assert metro.parse_time("25:10:00") == 25 * 3600 + 600


def test_parse_time_rejects_garbage():
    for bad in ("8:5:00", "08:60:00", "abc", "", "08:00"):
        with pytest.raises(ValueError):
            metro.parse_time(bad)


def test_formatting_helpers():
    assert metro.format_time(90061) == "25:01:01"
    assert metro.format_clock(8 * 3600 + 5 * 60) == "08:05"
    assert metro.format_clock(24 * 3600 + 30 * 60) == "00:30+1"
    assert metro.format_duration(300) == "5 min"
    assert metro.format_duration(3900) == "1h05"


def test_load_feed_counts(feed):
    assert feed.summary() == {
        "stops": 5,
        "routes": 2,
        "trips": 7,
        "stop_times": 19,
        "services": 3,
    }
    assert feed.get_trip("T6").headsign == "Harbour"
    assert feed.get_route("R2").mode == "tram"


def test_load_feed_unknown_trip():
    t = tables()
    t["stop_times"] += "T99,10:00:00,10:00:00,A,1\n"
    with pytest.raises(metro.FeedError):
        metro.load_feed(t)


def test_read_table_strips_and_skips_blank_lines():
    rows = metro.read_table("a, b\n\n 1 , x \n2,y\n")
    assert rows == [{"a": "1", "b": "x"}, {"a": "2", "b": "y"}]


def test_service_active(feed):
    assert metro.service_active(feed, "WK", TUESDAY)
    assert not metro.service_active(feed, "WK", SATURDAY)
    assert metro.service_active(feed, "SA", SATURDAY)
    assert not metro.service_active(feed, "WK", MAY_DAY)
    assert metro.service_active(feed, "HOL", MAY_DAY)
    assert not metro.service_active(feed, "HOL", TUESDAY)


def test_active_services_and_trips_on(feed):
    assert metro.active_services(feed, MAY_DAY) == {"HOL"}
    assert metro.trips_on(feed, SATURDAY) == ["T5"]


def test_service_days(feed):
    days = metro.service_days(feed, "SA", date(2024, 3, 1), date(2024, 3, 31))
    assert [d.day for d in days] == [2, 9, 16, 23, 30]


def test_departure_board_order_and_limit(feed):
    board = metro.departure_board(feed, "A", TUESDAY, after=7 * 3600, limit=2)
    assert [d.trip_id for d in board] == ["T1", "T2"]
    assert board[0].clock == "08:00"
    assert board[0].route_name == "1"


def test_departure_board_after_midnight_trip(feed):
    board = metro.departure_board(feed, "A", SATURDAY, after=0, limit=None)
    assert [(d.trip_id, d.time, d.service_date) for d in board] == [
        ("T6", 30 * 60, FRIDAY),
        ("T5", 10 * 3600, SATURDAY),
    ]


def test_departure_board_window(feed):
    board = metro.departure_board(feed, "B", TUESDAY, after=8 * 3600, window=1800, limit=None)
    assert [d.trip_id for d in board] == ["T1"]


def test_departure_boards_keys(feed):
    boards = metro.departure_boards(feed, ["C", "A"], TUESDAY, after=8 * 3600)
    assert list(boards) == ["C", "A"]
    assert [d.trip_id for d in boards["C"]] == ["T1", "T2", "T3", "T6"]


def test_route_departures_and_headways(feed):
    expected = [8 * 3600, 8 * 3600 + 1800, 24 * 3600 + 1800]
    assert metro.route_departures(feed, "R1", TUESDAY) == expected
    stats = metro.headway_stats(feed, "R1", TUESDAY)
    assert stats.trips == 3
    assert stats.min_gap == 1800
    assert stats.max_gap == 16 * 3600
    assert stats.busiest_hour == 8
    assert stats.busiest_count == 2


def test_headway_report_pairs(feed):
    report = metro.headway_report(feed, TUESDAY)
    assert [(r.route_id, r.direction_id, r.trips) for r in report] == [
        ("R1", 0, 3),
        ("R1", 1, 1),
        ("R2", 0, 1),
    ]
    assert "R1" in metro.format_headways(report)


def test_distance():
    d = metro.distance_m(52.0, 4.0, 52.002, 4.0)
    assert 222.0 < d < 223.0
    assert metro.distance_m(52.0, 4.0, 52.0, 4.0) == 0.0


def test_walking_transfers(feed):
    transfers = metro.walking_transfers(feed, max_distance=250.0)
    pairs = [(t.from_stop, t.to_stop) for t in transfers]
    assert pairs == [("A", "B"), ("B", "A"), ("C", "D"), ("D", "C")]
    cd = transfers[2]
    assert cd.walk_seconds == 70
    assert 70 < cd.distance_m < 75


def test_earliest_arrival_with_walk(feed):
    scanner = metro.ConnectionScanner(feed, TUESDAY)
    journey = scanner.earliest_arrival("A", "E", 7 * 3600 + 55 * 60)
    assert journey is not None
    assert journey.arrival == 8 * 3600 + 50 * 60
    assert [leg.kind for leg in journey.legs] == ["ride", "walk", "ride"]
    assert journey.legs[0].trip_id == "T1"
    assert journey.legs[2].trip_id == "T4"
    assert journey.rides == 2


def test_earliest_arrival_unreachable(feed):
    scanner = metro.ConnectionScanner(feed, SATURDAY)
    assert scanner.earliest_arrival("A", "E", 8 * 3600) is None


def test_earliest_arrival_function(feed):
    # Missed T1 at A by a second: walking to B (214 s) still catches it there.
    journey = metro.earliest_arrival(feed, TUESDAY, "A", "C", 8 * 3600 + 1)
    assert journey.arrival == 8 * 3600 + 15 * 60
    assert [leg.kind for leg in journey.legs] == ["walk", "ride"]
    assert journey.legs[1].departure == 8 * 3600 + 5 * 60 + 30
    assert journey.duration == 15 * 60 - 1
    assert "ride R1" in journey.describe()


def test_reachable_deadline(feed):
    scanner = metro.ConnectionScanner(feed, TUESDAY)
    reach = scanner.reachable("A", 8 * 3600, deadline=8 * 3600 + 20 * 60)
    assert reach == {"A": 8 * 3600, "B": 8 * 3600 + 214, "C": 8 * 3600 + 15 * 60,
                     "D": 8 * 3600 + 15 * 60 + 70}


def test_format_board(feed):
    board = metro.departure_board(feed, "D", TUESDAY)
    text = metro.format_board(feed, "D", board)
    assert text.splitlines()[0] == "Departures from Harbour East"
    assert "Airport" in text


def test_build_connections(feed):
    conns = metro.build_connections(feed, TUESDAY)
    assert len(conns) == 9
    assert conns[0].departure == 8 * 3600
    assert all(a.departure <= b.departure for a, b in zip(conns, conns[1:]))
