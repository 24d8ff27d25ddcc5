"""keyed-frontier: `min(frontier, key=...)` picked again and again over keys that change by
stores (the O(V²) Dijkstra) is answered from a heap of keys. Before/after on graphs with
ties, the element `min` picks among equal keys, the hand-back to the plain list or set at
run time, the exceptions `min` and `remove` raise, and refusals where each precondition
fails."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest

from tests.models.rules_corpus import helpers

RULE = "keyed-frontier"

GRAPH = """
INF = float("inf")


def shortest(adj, start, goal):
    dist = {start: 0}
    prev = {}
    frontier = list(adj)
    if start not in frontier:
        frontier.append(start)
    while frontier:
        current = min(frontier, key=lambda n: dist.get(n, float("inf")))
        frontier.remove(current)
        if current == goal or current not in dist:
            break
        for nxt, w in adj.get(current, ()):
            nd = dist[current] + w
            if nxt not in dist or nd < dist[nxt]:
                dist[nxt] = nd
                prev[nxt] = current
                if nxt not in frontier:
                    frontier.append(nxt)
    if goal not in dist:
        return None
    path = [goal]
    while path[-1] != start and len(path) <= len(dist):
        path.append(prev[path[-1]])
    return dist[goal], path[::-1], len(frontier)


def arrivals(stops, links, origin):
    best = {}
    for stop in stops:
        best[stop["id"]] = INF
    best[origin] = 0
    came = {}
    unvisited = set(best)
    order = []
    while unvisited:
        here = min(unvisited, key=lambda s: (best[s], s))
        if best[here] == INF:
            break
        unvisited.remove(here)
        order.append(here)
        for there, minutes in links.get(here, ()):
            if there in unvisited and best[here] + minutes < best[there]:
                best[there] = best[here] + minutes
                came[there] = here
    return order, best, came


def by_get(adj, start):
    cost = {node: 99 for node in adj}
    cost[start] = 0
    todo = [node for node in adj]
    seen = []
    while todo:
        node = min(todo, key=cost.get)
        todo.remove(node)
        seen.append(node)
        for nxt, w in adj.get(node, ()):
            if nxt not in cost:
                todo.append(nxt)
                cost[nxt] = cost[node] + w
            elif cost[node] + w < cost[nxt]:
                cost[nxt] = cost[node] + w
    return seen, cost
"""


def outcome(fn: Any, *args: Any) -> Any:
    try:
        return ("ok", fn(*args))
    except Exception as e:
        return ("raised", type(e), str(e))


def pair(function: str, tag: str, source: str = GRAPH) -> tuple[Any, Any]:
    text = helpers.rewrite(source, RULE, function)
    assert text is not None, f"{RULE} does not fire on {function}"
    before = helpers.run_module(source, f"frontier_{tag}_before")[function]
    after = helpers.run_module(text, f"frontier_{tag}_after")[function]
    return before, after


def graph(rng: random.Random, nodes: list[Any], weights: list[Any]) -> dict[Any, list]:
    return {
        n: [(rng.choice(nodes), rng.choice(weights)) for _ in range(rng.randrange(4))]
        for n in nodes
    }


def test_a_list_frontier_picks_from_a_heap() -> None:
    text = helpers.rewrite(GRAPH, RULE, "shortest")
    assert text is not None
    body = helpers.body_of(text, "shortest")
    assert "    frontier = _KeyedFrontier(list(adj), False)\n" in body
    assert '        current = frontier.smallest(lambda n: dist.get(n, float("inf")))\n' in body
    assert "                dist[nxt] = nd\n                frontier.touch(nxt)\n" in body
    assert "frontier.remove(current)" in body and "frontier.append(nxt)" in body
    assert "import heapq" in text


def test_equal_keys_go_to_the_earliest_element_as_min_scans() -> None:
    """Integer weights tie often: the path `prev` records depends on which of the equal
    nodes is picked first, and a list's `min` picks the earliest."""
    before, after = pair("shortest", "ties")
    rng = random.Random(7)
    for _ in range(300):
        nodes = list(range(rng.randrange(1, 25)))
        adj = graph(rng, nodes, [0, 1, 1, 2, 3, 1.0])
        start, goal = rng.choice(nodes), rng.choice([*nodes, 99])
        assert repr(after(adj, start, goal)) == repr(before(adj, start, goal))


def test_a_set_frontier_whose_key_holds_the_element() -> None:
    text = helpers.rewrite(GRAPH, RULE, "arrivals")
    assert text is not None
    body = helpers.body_of(text, "arrivals")
    assert "    unvisited = _KeyedFrontier(set(best), True)\n" in body
    assert (
        "                best[there] = best[here] + minutes\n                unvisited.touch(there)"
        in body
    )
    assert '        best[stop["id"]] = INF\n' in body  # before the frontier exists: untold
    before, after = pair("arrivals", "set")
    rng = random.Random(3)
    for _ in range(200):
        names = [f"S{i:02d}" for i in range(rng.randrange(1, 30))]
        stops = [{"id": n} for n in names]
        links = graph(rng, names, [1, 2, 2, 5, 0.5])
        origin = rng.choice(names)
        assert repr(after(stops, links, origin)) == repr(before(stops, links, origin))


def test_a_dict_get_key_and_appends_before_the_store() -> None:
    before, after = pair("by_get", "get")
    rng = random.Random(11)
    for _ in range(200):
        nodes = [(i % 3, f"n{i}") for i in range(rng.randrange(1, 20))]
        adj = graph(rng, nodes, [1, 2, 3])
        start = rng.choice(nodes)
        assert repr(after(adj, start)) == repr(before(adj, start))


@pytest.mark.parametrize(
    "weights",
    [
        [1, math.nan, 2],  # NaN: min's answer, whatever it is
        [1, "x", 2],  # a str among numbers: raises where min raises
        [1, None],  # None: raises where min raises
        [(1, 2), 1],  # keys of another shape
    ],
    ids=["nan", "str", "none", "shape"],
)
def test_keys_a_heap_cannot_order_hand_back_to_the_list(weights: list[Any]) -> None:
    before, after = pair("shortest", "keys")
    rng = random.Random(5)
    for _ in range(100):
        nodes = list(range(rng.randrange(1, 12)))
        adj = graph(rng, nodes, weights)
        start, goal = rng.choice(nodes), rng.choice(nodes)
        assert repr(outcome(after, adj, start, goal)) == repr(outcome(before, adj, start, goal))


class Place:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


def test_elements_that_are_objects_are_served_by_the_list() -> None:
    before, after = pair("shortest", "objects")
    places = [Place(c) for c in "abcdef"]
    rng = random.Random(2)
    for _ in range(50):
        adj = graph(rng, places, [1, 2])
        start, goal = rng.choice(places), rng.choice(places)
        assert repr(after(adj, start, goal)) == repr(before(adj, start, goal))


def test_a_missing_key_raises_what_min_raised() -> None:
    source = GRAPH.replace('key=lambda n: dist.get(n, float("inf"))', "key=lambda n: dist[n]")
    before, after = pair("shortest", "missing", source)
    adj = {"a": [("b", 1)], "b": []}
    assert outcome(after, adj, "a", "b") == outcome(before, adj, "a", "b")
    assert outcome(before, adj, "a", "b")[1] is KeyError


def test_equal_elements_of_other_types_keep_their_own_type() -> None:
    """1 and 1.0 are one element of a set, and equal elements of a list: what the pick
    hands back is the object the frontier holds."""
    before, after = pair("arrivals", "equal")
    stops = [{"id": 1}, {"id": 1.0}, {"id": 2}]
    links = {1: [(2, 1.0)], 2: [(1.0, 1)]}
    assert repr(after(stops, links, 1.0)) == repr(before(stops, links, 1.0))
    before, after = pair("by_get", "equal")
    adj = {1: [(1.0, 0), (True, 0), (2, 1)], 2: [(1, 0)]}
    assert repr(after(adj, 1.0)) == repr(before(adj, 1.0))


def test_the_helper_is_written_once_per_module() -> None:
    text = helpers.rewrite(GRAPH, RULE, "shortest")
    assert text is not None
    again = helpers.rewrite(text, RULE, "by_get")
    assert again is not None and again.count("class _KeyedFrontier") == 1


SHORTEST = (
    "    frontier = list(adj)\n",
    '        current = min(frontier, key=lambda n: dist.get(n, float("inf")))\n',
    "                dist[nxt] = nd\n",
)


@pytest.mark.parametrize(
    "old, new",
    [
        (SHORTEST[1], "        current = min(frontier, key=lambda n: weigh(dist, n))\n"),
        (SHORTEST[1], "        current = min(frontier, key=lambda n: dist.get(n, INF))\n"),
        (SHORTEST[0], "    frontier = [start]\n"),  # a frontier that starts small stays small
        (SHORTEST[2], "                dist[nxt] = nd\n                relax(dist)\n"),
        (SHORTEST[2], "                dist.update({nxt: nd})\n"),
        (SHORTEST[2], "                dist[nxt] = nd\n                del dist[start]\n"),
        (SHORTEST[2], "                dist[adj[nxt]] = nd\n"),  # an index evaluated again
        (SHORTEST[2], "                dist[nxt] = prev[nxt] = nd\n"),
        (SHORTEST[2], "                dist[nxt] = nd; nxt = 0\n"),
        (SHORTEST[2], "                alias = dist\n                alias[nxt] = nd\n"),
        (SHORTEST[0], "    frontier = list(adj)\n    dist = {start: 0}\n"),  # bound twice
        ("    dist = {start: 0}\n", "    dist = collections.defaultdict(int)\n"),
        ("    return dist[goal], path[::-1], len(frontier)\n", "    return frontier\n"),
        ("    if goal not in dist:", "    for n in frontier:\n        pass\n    if goal not in dist:"),
        (SHORTEST[0], "    frontier = list(adj)\n    check = lambda: dist\n"),
        ("                if nxt not in frontier:\n", "                if frontier.count(nxt) == 0:\n"),
        ("        frontier.remove(current)\n",
         "        frontier.remove(current)\n        other = min(frontier, key=lambda n: -dist[n]) if frontier else None\n"),
        ("def shortest(adj, start, goal):\n", "def shortest(adj, start, goal, min=min):\n"),
    ],
    ids=["key-calls", "named-default", "seeded", "escapes", "update", "del", "index-expr", "two-targets", "same-line",
         "alias", "rebound", "defaultdict", "returned", "iterated", "closure", "count",
         "two-keys", "shadowed-min"],
)  # fmt: skip
def test_refuses(old: str, new: str) -> None:
    assert old in GRAPH
    assert helpers.rewrite(GRAPH.replace(old, new, 1), RULE, "shortest") is None


def test_a_set_whose_key_may_tie_is_refused() -> None:
    """Equal keys in a set are picked in the set's own order, which no heap reproduces."""
    source = GRAPH.replace("key=lambda s: (best[s], s)", "key=lambda s: best[s]")
    assert helpers.rewrite(source, RULE, "arrivals") is None
    source = GRAPH.replace("key=lambda s: (best[s], s)", "key=best.get")
    assert helpers.rewrite(source, RULE, "arrivals") is None


TWO = """
def two(nodes, edges, start):
    dist = {n: 100 for n in nodes}
    dist[start] = 0
    todo = list(nodes)
    other = list(nodes)
    order = []
    while todo:
        u = min(todo, key=dist.get)
        v = min(other, key=dist.get)
        todo.remove(u)
        other.remove(v)
        order.append((u, v))
        for a, b, w in edges:
            if a == u and b in todo:
                dist[b] = dist[u] + w
    return order
"""


def test_two_frontiers_over_one_dict_both_hear_of_each_store() -> None:
    """The review's K1: each site replaced the shared store line, so one `touch` was lost."""
    text = helpers.rewrite(TWO, RULE, "two")
    assert text is not None
    assert "                dist[b] = dist[u] + w\n                todo.touch(b)\n" in text
    assert "                other.touch(b)\n" in text
    before = helpers.run_module(TWO, "two_before")["two"]
    after = helpers.run_module(text, "two_after")["two"]
    edges = [(0, 3, 1), (0, 1, 5), (0, 2, 6), (3, 2, 1)]
    assert after([0, 1, 2, 3], edges, 0) == before([0, 1, 2, 3], edges, 0)


@pytest.mark.parametrize(
    "old, new",
    [
        ("        order.append(here)\n", "        order.append(here not in unvisited in stops)\n"),
        ("                best[there] = best[here] + minutes\n",
         "                i = there\n                best[i] -= 0 * (i := here) - minutes\n"),
        ("                best[there] = best[here] + minutes\n",
         "                best[there] = vars()['best'][here] + minutes\n"),
    ],
    ids=["chained-in", "index-rebound", "vars"],
)  # fmt: skip
def test_refuses_what_the_review_found(old: str, new: str) -> None:
    """The review's K2-K4: the frontier inside a chained comparison reaches other code; a
    store whose statement rebinds its index's name would be told the wrong key; `vars()`
    (or `exec`, `eval`, `locals`) can store where no one sees."""
    assert old in GRAPH
    assert helpers.rewrite(GRAPH.replace(old, new, 1), RULE, "arrivals") is None


def test_refuses_an_index_a_nested_function_may_rebind() -> None:
    source = GRAPH.replace(
        "                best[there] = best[here] + minutes\n",
        "                def step():\n                    nonlocal there\n                    there = here\n"
        "                best[there] = best[here] + minutes\n",
    )
    assert helpers.rewrite(source, RULE, "arrivals") is None
