import pytest

from railplan import (
    busiest_stations,
    connections,
    delay_stats,
    departures_board,
    earliest_arrival,
    fewest_changes,
    format_time,
    interchange_stations,
    load_delays,
    load_network,
    parse_time,
    shortest_travel_time,
)

STATIONS = """code,name,zone
A,Abbey Road,1
B,Bank,1
C,Central,1
D,Docks,2
E,East End,2
F,Fairfield,3
G,Greenway,3
X,Xmoor,4
"""

LINES = """id,name,stops,run_minutes
R,Red Line,A;B;C;D,5;5;5
G,Green Line,E;C;F,4;4
Y,Yellow Line,F;G,10
"""

TIMETABLE = """line,direction,departures
R,F,08:00 08:30
R,R,08:10
G,F,08:20 09:00
G,R,08:05
Y,F,08:40
"""


@pytest.fixture
def net():
    return load_network(STATIONS, LINES, TIMETABLE)


def test_time_round_trip():
    assert parse_time("08:05") == 485
    assert format_time(485) == "08:05"
    assert format_time(24 * 60 + 7) == "00:07"


def test_loading_counts(net):
    assert len(net.stations) == 8
    assert [line.line_id for line in net.lines] == ["R", "G", "Y"]
    assert len(net.trips) == 7
    assert net.station("C").name == "Central"


def test_connections_and_interchanges(net):
    assert connections(net) == [("R", "G", "C"), ("G", "Y", "F")]
    assert interchange_stations(net) == ["C", "F"]


def test_fewest_changes_same_line(net):
    assert fewest_changes(net, "A", "D") == {"changes": 0, "lines": ["R"]}


def test_fewest_changes_two_changes(net):
    assert fewest_changes(net, "A", "G") == {"changes": 2, "lines": ["R", "G", "Y"]}


def test_fewest_changes_unreachable(net):
    assert fewest_changes(net, "A", "X") is None


def test_earliest_arrival_with_change(net):
    result = earliest_arrival(net, "A", "F", "08:00")
    assert result["arrival"] == "08:28"
    assert result["minutes"] == 28
    assert result["legs"] == [
        {"line": "R", "from": "A", "to": "C", "depart": "08:00", "arrive": "08:10"},
        {"line": "G", "from": "C", "to": "F", "depart": "08:24", "arrive": "08:28"},
    ]


def test_earliest_arrival_missed_train(net):
    result = earliest_arrival(net, "A", "F", "08:01")
    assert result["arrival"] == "09:08"


def test_shortest_travel_time(net):
    assert shortest_travel_time(net, "A", "F") == {"minutes": 14, "path": ["A", "B", "C", "F"]}
    assert shortest_travel_time(net, "A", "X") is None


def test_busiest_stations(net):
    top = busiest_stations(net, top=3)
    assert [(t["code"], t["calls"]) for t in top] == [("C", 6), ("F", 4), ("A", 3)]
    assert top[0]["lines"] == 2


def test_delay_stats():
    net = load_network(STATIONS, LINES, TIMETABLE)
    records = load_delays("""line,station,scheduled,actual
R,A,08:00,08:00
R,B,08:05,08:09
R,C,08:10,08:13
G,C,08:24,08:25
""")
    stats = delay_stats(net, records)
    red = stats[0]
    assert red["line"] == "R"
    assert red["count"] == 3
    assert red["mean"] == 2.33
    assert red["median"] == 3.0
    assert red["max"] == 4
    assert red["worst_station"] == "B"
    assert stats[2]["count"] == 0


def test_departures_board(net):
    board = departures_board(net, "C", "08:00", limit=4)
    lines = board.splitlines()
    assert "Central (C)" in lines[1]
    assert "from 08:00" in lines[1]
    rows = [line for line in lines if line[:2].isdigit()]
    assert [row[:5] for row in rows] == ["08:09", "08:10", "08:15", "08:24"]
    assert "East End" in rows[0]
    assert "Docks" in rows[1]
    assert "Abbey Road" in rows[2]
