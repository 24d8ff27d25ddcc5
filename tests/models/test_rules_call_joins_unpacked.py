"""join-index-call on a lookup helper written as a list comprehension, with its records
unpacked (`[(b, km) for a, b, km in edges if a == node]`) and called as the iterable of a
`for` inside a `while` loop (a breadth-first search). Before/after, behaviour on mixed keys
and malformed records, and refusals."""

from __future__ import annotations

import random
import textwrap

import pytest

from tests.models.rules_corpus import helpers

GRAPH = """
def neighbours(edges, node):
    return [(b, km) for a, b, km in edges if a == node]


def hops_from(edges, start):
    hops = {start: 0}
    visited = [start]
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt, _ in neighbours(edges, node):
            if nxt not in visited:
                visited.append(nxt)
                hops[nxt] = hops[node] + 1
                queue.append(nxt)
    return hops
"""


def _outcome(fn: object, *args: object) -> tuple[str, str]:
    try:
        return ("ok", repr(fn(*args)))  # type: ignore[operator]
    except Exception as exc:
        return ("raised", f"{type(exc).__name__}: {exc}")


def test_an_unpacking_comprehension_helper_in_a_search_loop_gets_only_the_matching_group() -> None:
    text = helpers.rewrite(GRAPH, "join-index-call", "hops_from")
    assert text is not None
    assert helpers.body_of(text, "hops_from") == textwrap.dedent(
        """\
        def hops_from(edges, start):
            hops = {start: 0}
            visited = [start]
            queue = [start]
            _ran_code = [False]
            edges_groups = 0
            while queue:
                node = queue.pop(0)
                if type(edges_groups) is int:
                    edges_groups = edges_groups + 1 if edges_groups < 0 else _group_by_key(edges, lambda record: (lambda _0, _1, _2: _0)(*record), None)
                for nxt, _ in _note_iterated(neighbours(_candidates(edges_groups, edges, node, _ran_code), node), _ran_code):
                    if nxt not in visited:
                        visited.append(nxt)
                        hops[nxt] = hops[node] + 1
                        queue.append(nxt)
            return hops
        """
    )
    before = helpers.run_module(GRAPH, "unpacked_join_a")["hops_from"]
    after = helpers.run_module(text, "unpacked_join_b")["hops_from"]
    rng = random.Random(7)
    for _ in range(50):
        places = rng.sample(["a", "b", "c", 1, 2, True, 1.0, "1"], k=rng.randint(1, 6))
        edges = [(rng.choice(places), rng.choice(places), rng.randint(0, 9)) for _ in range(12)]
        for start in places:
            assert _outcome(after, edges, start) == _outcome(before, edges, start)


@pytest.mark.parametrize(
    "edges",
    [
        [("a", "b", 1), ("b", "c")],  # a record too short: the scan's ValueError
        [("a", "b", 1), ("b", "c", 2, 3)],  # too long
        [("a", "b", 1), "bcd"],  # a string unpacks into three characters
        [("a", "b", 1), {"b": 0, "c": 1, "d": 2}],  # a dict unpacks into its keys
        [["a", "b", 1], ["b", "a", 1]],  # lists
        (("a", "b", 1), ("b", "a", 1)),  # a tuple of records
        [("a", "b", 1), (["x"], "b", 2)],  # an unhashable key
        [],
    ],
    ids=["short", "long", "string", "dict", "lists", "tuple", "unhashable", "empty"],
)
def test_same_answers_and_errors_on_malformed_records(edges: object) -> None:
    """Guards the unpacking: a record the comprehension cannot unpack raises where it did,
    and one it unpacks unusually (a string, a dict) is found by the same key."""
    text = helpers.rewrite(GRAPH, "join-index-call", "hops_from")
    assert text is not None
    before = helpers.run_module(GRAPH, "unpacked_join_c")["hops_from"]
    after = helpers.run_module(text, "unpacked_join_d")["hops_from"]
    for start in ("a", "b", "d", 1):
        assert _outcome(after, edges, start) == _outcome(before, edges, start)


def test_a_repeated_name_keys_on_the_last_one_as_unpacking_binds_it() -> None:
    source = GRAPH.replace("[(b, km) for a, b, km in", "[(b, a) for a, b, a in")
    text = helpers.rewrite(source, "join-index-call", "hops_from")
    assert text is not None and "(lambda _0, _1, _2: _2)(*record)" in text
    before = helpers.run_module(source, "unpacked_join_e")["hops_from"]
    after = helpers.run_module(text, "unpacked_join_f")["hops_from"]
    edges = [("a", "b", "c"), ("c", "d", "a"), ("x", "a", "b")]
    for start in ("a", "b", "c"):
        assert after(edges, start) == before(edges, start)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("for a, b, km in edges if a == node", "for a, *b in edges if a == node"),
        ("for a, b, km in edges if a == node", "for (a, b), km in edges if a == node"),
        ("for a, b, km in edges if a == node", "for a, b, km in edges if a + 0 == node"),
        ("for a, b, km in edges if a == node", "for a, b, km in edges if a == b"),
        ("for a, b, km in edges if a == node", "for a, b, km in edges if a < node"),
        ("for a, b, km in edges if a == node", "for a, b, km in edges for c in b if a == node"),
        ("for a, b, km in edges if a == node", "for a, b, km in edges if a == node if km"),
        (
            "return [(b, km) for a, b, km in edges if a == node]",
            "return {(b, km) for a, b, km in edges if a == node}",
        ),
        (
            "        node = queue.pop(0)\n",
            "        node = queue.pop(0)\n        edges = edges[1:]\n",
        ),
        ("for nxt, _ in neighbours(edges, node):", "for nxt, _ in neighbours(edges, node) or []:"),
    ],
    ids=[
        "starred",
        "nested",
        "key-is-an-expression",
        "probe-is-unpacked",
        "not-equality",
        "two-for-clauses",
        "two-ifs",
        "a-set",
        "records-rebound-in-the-loop",
        "not-the-whole-iterable",
    ],
)
def test_refusals(old: str, new: str) -> None:
    source = GRAPH.replace(old, new, 1)
    assert source != GRAPH
    compile(source, "mod.py", "exec")
    assert helpers.rewrite(source, "join-index-call", "hops_from") is None


def test_a_lookup_written_as_next_over_unpacked_records() -> None:
    source = """
def price_of(prices, sku):
    return next((p for s, p in prices if s == sku), 0.0)


def total(skus, prices):
    out = 0.0
    for sku in skus:
        out += price_of(prices, sku)
    return out
"""
    text = helpers.rewrite(source, "join-index-call", "total")
    assert text is not None and "(lambda _0, _1: _0)(*record)" in text
    before = helpers.run_module(source, "unpacked_next_a")["total"]
    after = helpers.run_module(text, "unpacked_next_b")["total"]
    for prices in ([("a", 1.0), ("b", 2.0), ("a", 3.0)], [("a", 1.0), ("b",)], [], [("a", 1.0, 9)]):
        for skus in (["a", "b", "c"], ["b"], [1, "a"]):
            assert _outcome(after, skus, prices) == _outcome(before, skus, prices)


LOOP_GRAPH = GRAPH.replace(
    "    return [(b, km) for a, b, km in edges if a == node]\n",
    "    out = []\n    for a, b, km in edges:\n        if a == node:\n            out.append((b, km))\n"
    "    return out\n",
)


@pytest.mark.parametrize(
    "edges",
    [
        [("a", "b", 1), ("b", "c", 2), ("c", "a", 3), ("b", "a", 4), (1, True, 5), (True, 1.0, 6)],
        [("a", "b", 1), ("b", "c")],
        [("a", "b", 1), "bcd"],
        [("a", "b", 1), (["x"], "b", 2)],
    ],
    ids=["mixed-keys", "short", "string", "unhashable"],
)
def test_a_helper_written_as_a_loop_over_unpacked_records(edges: object) -> None:
    """The same lookup written as `for a, b, km in edges: if a == node: out.append(...)`."""
    text = helpers.rewrite(LOOP_GRAPH, "join-index-call", "hops_from")
    assert text is not None and "(lambda _0, _1, _2: _0)(*record)" in text
    before = helpers.run_module(LOOP_GRAPH, "unpacked_loop_a")["hops_from"]
    after = helpers.run_module(text, "unpacked_loop_b")["hops_from"]
    for start in ("a", "b", "d", 1):
        assert _outcome(after, edges, start) == _outcome(before, edges, start)


def test_a_loop_helper_that_reads_an_unpacked_name_after_the_loop_is_refused() -> None:
    source = LOOP_GRAPH.replace("    return out\n", "    return out, km\n", 1)
    assert source != LOOP_GRAPH
    assert helpers.rewrite(source, "join-index-call", "hops_from") is None
