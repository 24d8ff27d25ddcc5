import random
from collections import deque

import pytest

from routes import (
    components,
    hops_from,
    hubs,
    make_edges,
    nodes_of,
    path_to,
    route,
    shortest_paths,
    trip,
)


def test_empty_graph():
    assert nodes_of([]) == []
    assert components([]) == []
    assert hubs([]) == []
    assert hops_from([], "A") == {"A": 0}
    assert shortest_paths([], "A") == ({"A": 0}, {})
    assert route([], "A", "B") is None


def test_bad_input():
    with pytest.raises(ValueError):
        make_edges([("A", "B", -1)])
    with pytest.raises(ValueError):
        trip(make_edges([("A", "B", 1)]), ["A"])
    with pytest.raises(LookupError):
        trip(make_edges([("A", "B", 1), ("C", "D", 1)]), ["A", "B", "C"])


def test_one_way_self_loops_and_parallel_roads():
    edges = make_edges([("A", "B", 4), ("A", "B", 2), ("B", "B", 1), ("B", "C", 1.5)],
                       two_way=False)
    assert nodes_of(edges) == ["A", "B", "C"]
    assert route(edges, "A", "C") == (3.5, ["A", "B", "C"])
    assert route(edges, "C", "A") is None
    assert hops_from(edges, "C") == {"C": 0}
    assert hubs(edges, top=5) == [("A", 2), ("B", 2), ("C", 0)]
    assert make_edges([("A", "A", 3)]) == [("A", "A", 3)]


def test_ties_keep_first_found_route():
    edges = make_edges([("S", "M", 1), ("S", "N", 1), ("M", "T", 1), ("N", "T", 1)])
    dist, prev = shortest_paths(edges, "S")
    assert dist == {"S": 0, "M": 1, "N": 1, "T": 2}
    assert prev["T"] == "M"
    assert path_to(prev, "S", "T") == ["S", "M", "T"]
    assert hubs(edges, top=4) == [("M", 2), ("N", 2), ("S", 2), ("T", 2)]


def test_inputs_not_mutated():
    roads = [("A", "B", 1), ("B", "C", 2)]
    edges = make_edges(roads)
    before = list(edges)
    stops = ["A", "C", "A"]
    trip(edges, stops)
    components(edges)
    hubs(edges)
    assert edges == before and stops == ["A", "C", "A"]
    assert roads == [("A", "B", 1), ("B", "C", 2)]


def straight_hops(edges, start):
    adj = {}
    for a, b, _ in edges:
        adj.setdefault(a, []).append(b)
    hops = {start: 0}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in adj.get(node, []):
            if nxt not in hops:
                hops[nxt] = hops[node] + 1
                queue.append(nxt)
    return hops


def straight_dist(edges, start):
    dist = {start: 0}
    changed = True
    while changed:
        changed = False
        for a, b, km in edges:
            if a in dist and (b not in dist or dist[a] + km < dist[b]):
                dist[b] = dist[a] + km
                changed = True
    return dist


@pytest.mark.parametrize("two_way", [True, False])
def test_larger_matches_straightforward(two_way):
    rng = random.Random(11)
    names = [f"n{i}" for i in range(120)]
    roads = [(rng.choice(names), rng.choice(names), rng.randint(1, 20)) for _ in range(260)]
    edges = make_edges(roads, two_way=two_way)
    for start in names[:15]:
        assert hops_from(edges, start) == straight_hops(edges, start)
        dist, prev = shortest_paths(edges, start)
        assert dist == straight_dist(edges, start)
        for goal in dist:
            path = path_to(prev, start, goal)
            assert path[0] == start and path[-1] == goal
            assert len(path) == len(set(path))
    degree = {}
    for a, _, _ in edges:
        degree[a] = degree.get(a, 0) + 1
    expected = sorted(((n, degree.get(n, 0)) for n in nodes_of(edges)),
                      key=lambda item: (-item[1], item[0]))
    assert hubs(edges, top=10) == expected[:10]
    if not two_way:
        return
    groups = components(edges)
    assert sorted(sum(groups, [])) == sorted(nodes_of(edges))
    assert [len(g) for g in groups] == sorted((len(g) for g in groups), reverse=True)
