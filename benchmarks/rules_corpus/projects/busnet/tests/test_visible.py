import pytest

import busnet as bn

STOPS = """stop_id,name,zone
A,Gare Centrale,Z1
B,Place de l'Église,Z1
C,Rue Émile Zola,Z2
D,Hôpital Nord,Z2
E,Parc des Fleurs,Z3
F,Quai St. Anne's,Z3
"""

LINES = """line_id,stops
L1,A B C D
L2,C E F
L3,B E
"""

TRIPS = """trip_id,line_id,stop_id,time
T1,L1,A,08:00
T1,L1,B,08:05
T1,L1,C,08:10
T1,L1,D,08:20
T2,L1,A,08:30
T2,L1,B,08:35
T2,L1,C,08:40
T2,L1,D,08:50
T3,L2,C,08:15
T3,L2,E,08:22
T3,L2,F,08:30
T4,L3,B,08:06
T4,L3,E,08:12
T5,L2,C,08:45
T5,L2,E,08:52
T5,L2,F,09:00
"""

ACTUALS = """trip_id,stop_id,time
T1,A,08:00
T1,B,08:07
T1,C,08:13
T3,C,08:16
T3,F,08:38
T9,A,08:00
"""


@pytest.fixture
def net():
    return bn.load_network(STOPS, LINES, TRIPS)


def test_parse_and_format_time():
    assert bn.parse_time("08:05") == 485
    assert bn.parse_time("25:10") == 1510
    assert bn.format_time(485) == "08:05"
    assert bn.minutes_between("08:50", "09:10") == 20


def test_parse_time_rejects_garbage():
    with pytest.raises(ValueError):
        bn.parse_time("8h05")
    with pytest.raises(ValueError):
        bn.parse_time("08:75")


def test_load_counts(net):
    assert len(net["stops"]) == 6
    assert net["lines"]["L2"] == ["C", "E", "F"]
    assert [t["trip_id"] for t in net["trips"]] == ["T1", "T2", "T3", "T4", "T5"]
    assert len(bn.get_trip(net, "T3")["stop_times"]) == 3


def test_get_stop_unknown(net):
    with pytest.raises(KeyError):
        bn.get_stop(net, "Z")


def test_lines_serving(net):
    assert bn.lines_serving(net, "B") == ["L1", "L3"]
    assert bn.lines_serving(net, "F") == ["L2"]


def test_adjacency(net):
    adj = bn.build_adjacency(net)
    assert ("B", "08:00", "08:05", "T1") in adj["A"]
    assert "F" not in adj


def test_earliest_arrival_direct(net):
    j = bn.earliest_arrival(net, "A", "D", "07:55")
    assert j["arrival"] == "08:20"
    assert j["transfers"] == 0
    assert [leg["trip"] for leg in j["legs"]] == ["T1"]


def test_earliest_arrival_with_transfer(net):
    j = bn.earliest_arrival(net, "A", "F", "08:00")
    assert j["arrival"] == "08:30"
    assert [(leg["line"], leg["from"], leg["to"]) for leg in j["legs"]] == [
        ("L1", "A", "B"),
        ("L3", "B", "E"),
        ("L2", "E", "F"),
    ]
    assert j["transfers"] == 2


def test_earliest_arrival_later_departure(net):
    j = bn.earliest_arrival(net, "A", "F", "08:01")
    assert j["arrival"] == "09:00"


def test_earliest_arrival_unreachable(net):
    assert bn.earliest_arrival(net, "A", "D", "09:00") is None


def test_fewest_transfers(net):
    r = bn.fewest_transfers(net, "A", "F")
    assert r["lines"] == ["L1", "L2"]
    assert r["transfers"] == 1
    assert r["changes"] == ["C"]


def test_fewest_transfers_same_stop(net):
    assert bn.fewest_transfers(net, "C", "C") == {"lines": [], "transfers": 0, "changes": []}


def test_departures_board(net):
    board = bn.departures(net, "C", "08:12", 3)
    assert [(d["time"], d["trip"]) for d in board] == [
        ("08:15", "T3"),
        ("08:40", "T2"),
        ("08:45", "T5"),
    ]
    assert board[0]["headsign"] == "Quai St. Anne's"


def test_departures_excludes_final_stop(net):
    assert bn.departures(net, "D", "00:00") == []


def test_headway(net):
    h = bn.headway(net, "L1", "A")
    assert h == {"departures": 2, "mean": 30.0, "max": 30}
    assert bn.headway(net, "L3", "B") is None


def test_headway_report_shape(net):
    report = bn.headway_report(net)
    assert sorted(report) == ["L1", "L2", "L3"]
    assert report["L2"]["C"]["mean"] == 30.0
    assert "F" not in report["L2"]


def test_punctuality(net):
    actuals = bn.load_actuals(ACTUALS)
    report = bn.punctuality_report(net, actuals)
    assert report["matched"] == 5
    assert report["unmatched"] == 1
    assert report["stops"]["C"]["count"] == 2
    assert report["stops"]["C"]["mean_delay"] == 2.0
    assert report["stops"]["F"]["max_delay"] == 8
    assert report["on_time_pct"] == 80.0


def test_worst_stops(net):
    report = bn.punctuality_report(net, bn.load_actuals(ACTUALS))
    lines = bn.worst_stops(net, report, 1)
    assert lines == ["Quai St. Anne's (F): mean +8.00 min, max 8 min, 0.0% on time"]


def test_normalise():
    assert bn.normalise("  Place de l'Église ") == "place de l eglise"
    assert bn.normalise("Quai St. Anne's") == "quai st anne s"


def test_search_stops(net):
    assert [s["stop_id"] for s in bn.search_stops(net, "eglise")] == ["B"]
    assert [s["stop_id"] for s in bn.search_stops(net, "RUE emile")] == ["C"]
    assert bn.search_stops(net, "  ") == []


def test_describe_journey(net):
    j = bn.earliest_arrival(net, "A", "C", "08:00")
    text = bn.describe_journey(net, j)
    assert text[0] == "08:00 line L1 from Gare Centrale to Rue Émile Zola, arrive 08:10 (10 min)"
    assert text[-1] == "arrive 08:10 after 0 transfer(s)"


def test_stop_card_and_zones(net):
    assert bn.stop_card(net, "E") == "Parc des Fleurs [Z3] lines: L2, L3"
    assert bn.zone_summary(net) == {"Z1": 2, "Z2": 2, "Z3": 2}
