import copy
import random

import pytest

from transit import journey_matrix, load_network, neighbors, reachable_within, shortest_path
from transit.network import NetworkError, lines_at
from transit.paths import hops_from
from transit.timetable import format_hhmm, next_departures, parse_hhmm


def test_equal_cost_paths_prefer_first_found() -> None:
    # Two 2-minute routes from A to D: via B (listed first) and via C.
    links = load_network(["A,B,1,x", "A,C,1,y", "B,D,1,x", "C,D,1,y"])
    assert shortest_path(links, "A", "D") == (2.0, ["A", "B", "D"])
    flipped = load_network(["A,C,1,y", "A,B,1,x", "C,D,1,y", "B,D,1,x"])
    assert shortest_path(flipped, "A", "D") == (2.0, ["A", "C", "D"])


def test_later_discovered_cheaper_route_wins() -> None:
    links = load_network(["A,B,10,x", "A,C,1,y", "C,B,1,y", "B,D,1,x"])
    assert shortest_path(links, "A", "D") == (3.0, ["A", "C", "B", "D"])


def test_tie_order_with_improved_distance() -> None:
    # E and F both end at 3; F is discovered before E, E's distance improves later.
    links = load_network([
        "A,F,3,x", "A,E,5,x", "A,B,1,x", "B,E,2,x", "E,G,1,x", "F,G,1,x", "G,Z,0,x",
    ])
    assert shortest_path(links, "A", "Z") == (4.0, ["A", "F", "G", "Z"])
    # E is discovered first and improved later: it keeps its place ahead of F.
    links = load_network([
        "A,E,5,x", "A,F,3,x", "A,B,1,x", "B,E,2,x", "E,G,1,x", "F,G,1,x", "G,Z,0,x",
    ])
    assert shortest_path(links, "A", "Z") == (4.0, ["A", "B", "E", "G", "Z"])


def test_parallel_links_and_zero_minutes() -> None:
    links = load_network(["A,B,5,x", "B,A,2,y", "B,C,0,z"])
    assert shortest_path(links, "A", "C") == (2.0, ["A", "B", "C"])
    assert neighbors(links, "B") == [("A", 5.0, "x"), ("A", 2.0, "y"), ("C", 0.0, "z")]
    assert lines_at(links, "B") == ["x", "y", "z"]


def test_bad_network_lines() -> None:
    with pytest.raises(NetworkError):
        load_network(["A,B,3"])
    with pytest.raises(NetworkError):
        load_network(["A,B,-1,x"])
    with pytest.raises(NetworkError):
        load_network(["A,A,1,x"])
    with pytest.raises(ValueError):
        load_network(["A,B,soon,x"])


def test_inputs_are_not_mutated_and_links_can_change() -> None:
    links = load_network(["A,B,1,x", "B,C,1,x"])
    before = copy.deepcopy(links)
    assert shortest_path(links, "A", "C") == (2.0, ["A", "B", "C"])
    assert links == before
    links.append(("A", "C", 0.5, "y"))
    assert shortest_path(links, "A", "C") == (0.5, ["A", "C"])
    links.pop()
    assert shortest_path(links, "A", "C") == (2.0, ["A", "B", "C"])


def test_unknown_stops() -> None:
    links = load_network(["A,B,1,x"])
    assert shortest_path(links, "Q", "A") is None
    assert shortest_path(links, "A", "Q") is None
    assert hops_from(links, "Q") == {"Q": 0}
    assert reachable_within(links, "A", 0) == ["A"]


def test_times() -> None:
    assert parse_hhmm(" 25:05 ") == 1505
    assert format_hhmm(1505.4) == "25:05"
    with pytest.raises(ValueError):
        parse_hhmm("7:75")
    with pytest.raises(ValueError):
        parse_hhmm("0700")
    timetable = [{"stop": "A", "time": t, "line": "l"} for t in ("09:00", "08:00", "08:00")]
    assert next_departures(timetable, "A", "08:00", count=5) == [
        ("08:00", "l"), ("08:00", "l"), ("09:00", "l"),
    ]
    assert next_departures(timetable, "A", "10:00") == []


def test_random_networks_agree_with_brute_force() -> None:
    rng = random.Random(12)
    for _ in range(15):
        n = 9
        rows = [f"N{rng.randrange(n)},N{rng.randrange(n)},{rng.randint(0, 6)},l" for _ in range(18)]
        rows = [r for r in rows if r.split(",")[0] != r.split(",")[1]]
        links = load_network(rows)
        # Bellman-Ford as the oracle for distances.
        dist = {f"N{i}": float("inf") for i in range(n)}
        dist["N0"] = 0.0
        for _ in range(n):
            for a, b, m, _ in links:
                dist[b] = min(dist[b], dist[a] + m)
                dist[a] = min(dist[a], dist[b] + m)
        matrix = journey_matrix(links, ["N0"], [f"N{i}" for i in range(n)])
        for i in range(n):
            expected = None if dist[f"N{i}"] == float("inf") else dist[f"N{i}"]
            assert matrix[("N0", f"N{i}")] == expected
        for i in range(n):
            found = shortest_path(links, "N0", f"N{i}")
            if found is not None:
                path = found[1]
                total = 0.0
                for a, b in zip(path, path[1:]):
                    total += min(m for x, y, m, _ in links if {x, y} == {a, b})
                assert total == found[0]
        within = reachable_within(links, "N0", 4)
        assert within == sorted(
            (s for s, d in dist.items() if d <= 4), key=lambda s: (dist[s], s)
        )
