from routes import (
    components,
    hops_from,
    hubs,
    itinerary,
    make_edges,
    neighbours,
    route,
    trip,
)

ROADS = [
    ("A", "B", 5),
    ("B", "C", 5),
    ("A", "C", 12),
    ("C", "D", 1),
    ("X", "Y", 2),
]


def test_edges_and_neighbours():
    edges = make_edges(ROADS)
    assert len(edges) == 10
    assert neighbours(edges, "C") == [("B", 5), ("A", 12), ("D", 1)]
    assert make_edges([("A", "B", 1)], two_way=False) == [("A", "B", 1)]


def test_hops():
    assert hops_from(make_edges(ROADS), "A") == {"A": 0, "B": 1, "C": 1, "D": 2}


def test_route():
    edges = make_edges(ROADS)
    assert route(edges, "A", "D") == (11, ["A", "B", "C", "D"])
    assert route(edges, "A", "A") == (0, ["A"])
    assert route(edges, "A", "X") is None


def test_components_and_hubs():
    edges = make_edges(ROADS)
    assert components(edges) == [["A", "B", "C", "D"], ["X", "Y"]]
    assert hubs(edges, top=2) == [("C", 3), ("A", 2)]


def test_trip():
    total, legs = trip(make_edges(ROADS), ["D", "A", "B"])
    assert total == 16
    assert legs[0] == ("D", "A", 11, ["D", "C", "B", "A"])
    text = itinerary(total, legs)
    assert "1. D to A: 11 km via C > B" in text and "total 16 km" in text
