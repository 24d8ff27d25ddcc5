import pytest

from transit import hops_from, journey_matrix, load_network, plan_journey, shortest_path, stops
from transit.planner import fare
from transit.timetable import next_departures

NETWORK = [
    "# a,b,minutes,line",
    "A,B,4,red",
    "B,C,4,red",
    "A,C,10,blue",
    "C,D,2,blue",
    "E,F,1,green",
]


def test_load_and_stops() -> None:
    links = load_network(NETWORK)
    assert len(links) == 5
    assert stops(links) == ["A", "B", "C", "D", "E", "F"]


def test_shortest_path() -> None:
    links = load_network(NETWORK)
    assert shortest_path(links, "A", "D") == (10.0, ["A", "B", "C", "D"])
    assert shortest_path(links, "D", "A") == (10.0, ["D", "C", "B", "A"])
    assert shortest_path(links, "A", "E") is None
    assert shortest_path(links, "A", "A") == (0.0, ["A"])


def test_hops_and_matrix() -> None:
    links = load_network(NETWORK)
    assert hops_from(links, "A") == {"A": 0, "B": 1, "C": 1, "D": 2}
    matrix = journey_matrix(links, ["A", "E"], ["D", "F"])
    assert matrix == {("A", "D"): 10.0, ("A", "F"): None, ("E", "D"): None, ("E", "F"): 1.0}


def test_departures_and_plan() -> None:
    links = load_network(NETWORK)
    timetable = [
        {"stop": "A", "time": "08:10", "line": "red"},
        {"stop": "A", "time": "07:55", "line": "blue"},
        {"stop": "B", "time": "07:00", "line": "red"},
    ]
    assert next_departures(timetable, "A", "07:50") == [("07:55", "blue"), ("08:10", "red")]
    plan = plan_journey(links, timetable, "A", "D", "08:00")
    assert plan == {"from": "A", "to": "D", "leave": "08:10", "arrive": "08:20",
                    "minutes": 10.0, "stops": 4, "fare": 2.1}
    assert fare(["S001", "S015", "X"]) == pytest.approx(3.7)
