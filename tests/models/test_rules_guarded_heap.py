"""min-heap-guarded: a list emptied smallest first whose element types are not known
statically is served from a heap while its elements allow it, and from the list otherwise.
Before/after, the very element `min` would pick among equal ones, the hand-back to the list,
the exceptions of an empty list, and refusals where each precondition fails."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.models.rules_corpus import helpers

RULE = "min-heap-guarded"

GRAPH = """
def shortest(adj, start):
    dist = {start: 0}
    done = set()
    frontier = [(0, start)]
    while frontier:
        best = min(frontier)
        frontier.remove(best)
        d, node = best
        if node in done:
            continue
        done.add(node)
        for nxt, km in adj.get(node, ()):
            c = d + km
            if nxt not in dist or c < dist[nxt]:
                dist[nxt] = c
                frontier.append((c, nxt))
    return dist


def drain(items, extra):
    todo = list(items)
    out = []
    while todo:
        x = min(todo)
        todo.remove(x)
        out.append(x)
        if len(out) < 6:
            todo.append(extra)
    return out


def by_sorting(items):
    todo = list(items)
    out = []
    while len(todo) > 0:
        todo.sort()
        x = todo.pop(0)
        out.append(x)
    return out


def journeys(adj, start):
    best = {start: 0}
    queue = [(0, start)]
    order = []
    while queue:
        queue.sort()
        now, code = queue.pop(0)
        order.append(code)
        for nxt, w in adj.get(code, ()):
            if nxt not in best or now + w < best[nxt]:
                best[nxt] = now + w
                queue.append((now + w, nxt))
    return order, best


def first_sorted(items):
    todo = list(items)
    todo.sort()
    head = todo.pop(0)
    return head
"""


def outcome(fn: Any, *args: Any) -> Any:
    try:
        return ("ok", fn(*args))
    except Exception as e:
        return ("raised", type(e), str(e))


def pair(function: str, tag: str) -> tuple[Any, Any]:
    text = helpers.rewrite(GRAPH, RULE, function)
    assert text is not None, f"{RULE} does not fire on {function}"
    before = helpers.run_module(GRAPH, f"heap_{tag}_before")[function]
    after = helpers.run_module(text, f"heap_{tag}_after")[function]
    return before, after


def test_an_untyped_frontier_is_taken_from_a_heap() -> None:
    text = helpers.rewrite(GRAPH, RULE, "shortest")
    assert text is not None
    body = helpers.body_of(text, "shortest")
    assert "    frontier = _MinList([(0, start)])\n" in body
    assert "        best = frontier.take_min()\n        d, node = best\n" in body
    assert "frontier.remove" not in body and "frontier.append((c, nxt))" in body
    before, after = pair("shortest", "graph")
    adj = {
        "a": [("b", 4), ("c", 1)],
        "c": [("b", 2), ("d", 7)],
        "b": [("d", 1)],
        "d": [("a", 3)],
    }
    for start in ("a", "d", "zz"):
        assert after(adj, start) == before(adj, start)
    floats = {1: [(2, 0.5), (3, 2.25)], 2: [(3, 0.25)], 3: []}
    assert after(floats, 1) == before(floats, 1) == {1: 0, 2: 0.5, 3: 0.75}


def test_equal_elements_leave_in_the_order_min_picks_them() -> None:
    """1, 1.0 and True are equal but print differently: `min` picks the first to arrive,
    and so must the heap."""
    before, after = pair("drain", "ties")
    for items, extra in (
        ([1.0, True, 1, 0, False, 0.0], 1),
        ([(1, "a"), (1.0, "a"), (True, "a")], (1, "a")),
        ([-0.0, 0, 0.0], 0),
        ([], 2),
    ):
        got, want = after(items, extra), before(items, extra)
        assert got == want
        assert [repr(x) for x in got] == [repr(x) for x in want]


@pytest.mark.parametrize(
    "items, extra",
    [
        ([3, 1, 2], "x"),  # a str among numbers: min raises, at the same step
        ([(2, "b"), (1, "a")], (1, None)),  # a None where a str sat: raises only on a tie
        ([(2, "b"), (1, "a")], (0, None)),  # ... and not otherwise
        ([2.0, 1.0], math.nan),  # NaN compares false both ways: the list's answer
        ([5, 4], (1, 2)),  # another shape: raises as the list does
        ([(1, 2), (1, 2, 3)], (1,)),  # tuples of other lengths: ordered by the list
        ([b"b", b"a"], b"c"),
        ([[2], [1]], [0]),  # lists: never in the heap, served by the list
    ],
    ids=["str", "none-tie", "none", "nan", "shape", "lengths", "bytes", "lists"],
)
def test_other_elements_hand_the_heap_back_to_the_list(items: list[Any], extra: Any) -> None:
    before, after = pair("drain", "mixed")
    got, want = outcome(after, items, extra), outcome(before, items, extra)
    assert repr(got) == repr(want)


def test_sort_then_pop_is_served_too() -> None:
    before, after = pair("by_sorting", "sorted")
    for items in ([3, 1, 2, 1.0], [("b", 2), ("a", 9), ("b", 1)], [], ["x", 1], [[1], [0]]):
        assert repr(outcome(after, items)) == repr(outcome(before, items))


def test_an_empty_list_raises_what_it_raised() -> None:
    before, after = pair("first_sorted", "empty")
    assert (
        outcome(after, []) == outcome(before, []) == ("raised", IndexError, "pop from empty list")
    )
    assert after([3, 2]) == 2


def test_the_heap_helper_is_written_once_per_module() -> None:
    text = helpers.rewrite(GRAPH, RULE, "shortest")
    assert text is not None
    again = helpers.rewrite(text, RULE, "drain")
    assert again is not None
    assert again.count("class _MinList") == 1
    assert "todo = _MinList(list(items))" in again


@pytest.mark.parametrize(
    "old, new",
    [
        ("def drain(items, extra)", "def drain(items: list[int], extra: int)"),  # min-heap's
        ("    return out\n\n\ndef by_sorting", "    return out + todo\n\n\ndef by_sorting"),
        ("    todo = list(items)\n    out = []\n    while todo:", "    todo: list = list(items)\n"
         "    out = []\n    while todo:"),
        ("        x = min(todo)\n        todo.remove(x)\n        out", "        x = min(todo)\n"
         "        out.append(todo)\n        todo.remove(x)\n        out"),
    ],
    ids=["typed", "order-seen", "annotated", "escapes"],
)  # fmt: skip
def test_refuses(old: str, new: str) -> None:
    assert old in GRAPH
    assert helpers.rewrite(GRAPH.replace(old, new), RULE, "drain") is None


def test_a_tuple_target_takes_the_smallest_too() -> None:
    text = helpers.rewrite(GRAPH, RULE, "journeys")
    assert text is not None and "        now, code = queue.take_sorted()\n" in text
    before, after = pair("journeys", "tuple")
    adj = {"a": [("b", 2), ("c", 2)], "b": [("c", 0.0)], "c": [("a", 1)]}
    for start in ("a", "b", "zz"):
        assert repr(after(adj, start)) == repr(before(adj, start))


PATHS = """
def cheapest(fares, start, goal):
    frontier = [(fare, (start, stop)) for stop, fare in fares.get(start, ())]
    while frontier:
        frontier.sort()
        cost, path = frontier.pop(0)
        if path[-1] == goal:
            return cost, path
        for stop, fare in fares.get(path[-1], ()):
            if stop not in path:
                frontier.append((cost + fare, path + (stop,)))
    return None


def min_drain(items, extras):
    pending, taken = list(extras), []
    todo = list(items)
    while todo:
        x = min(todo)
        todo.remove(x)
        taken.append(x)
        if pending:
            todo.append(pending.pop(0))
    return taken


def sort_drain(items, extras):
    pending, taken = list(extras), []
    todo = list(items)
    while todo:
        todo.sort()
        x = todo.pop(0)
        taken.append(x)
        if pending:
            todo.append(pending.pop(0))
    return taken
"""


def test_a_frontier_of_growing_paths_stays_in_the_heap() -> None:
    """Guards the shape check against paths (flights' `cheapest`: a frontier of (fare,
    arrival, legs) whose legs tuple grows by one flight per connection went back to the list
    at the first connection, and was sorted again at every step as before)."""
    text = helpers.rewrite(PATHS, RULE, "cheapest")
    assert text is not None and "    frontier = _MinList([(fare, (start, stop))" in text
    mod = helpers.run_module(text, "heap_paths_after")
    heap = mod["_MinList"]([(3, "x", ("a",)), (1, "y", ())])
    for item in [(2, "z", ("a", "b")), (2, "z", ()), (0.5, "q", ("c", "d", "e"))]:
        heap.append(item)
    assert heap.plain is None
    assert [heap.take_sorted() for _ in range(5)] == [
        (0.5, "q", ("c", "d", "e")), (1, "y", ()), (2, "z", ()), (2, "z", ("a", "b")),
        (3, "x", ("a",)),
    ]  # fmt: skip
    heap.append((4, "w", (1, 2)))  # numbers where names were: the list answers from here on
    assert heap.plain == [(4, "w", (1, 2))]
    before = helpers.run_module(PATHS, "heap_paths_before")["cheapest"]
    fares = {"A": [("B", 2), ("C", 1)], "C": [("B", 1), ("D", 5)], "B": [("D", 1)], "D": []}
    for start, goal in (("A", "D"), ("C", "D"), ("D", "A"), ("Z", "A")):
        assert repr(mod["cheapest"](fares, start, goal)) == repr(before(fares, start, goal))


SCALARS = st.one_of(
    st.integers(-3, 3), st.booleans(), st.sampled_from([0.0, -0.0, 1.0, 2.5, math.nan]),
    st.sampled_from(["", "a", "b"]), st.sampled_from([b"a", None]),
)  # fmt: skip
ITEMS = st.recursive(SCALARS, lambda inner: st.tuples(inner, inner) | st.lists(
    inner, max_size=3).map(tuple), max_leaves=6)  # fmt: skip


@pytest.mark.parametrize("function", ["min_drain", "sort_drain"])
@settings(max_examples=300, deadline=None)
@given(items=st.lists(ITEMS, max_size=6), extras=st.lists(ITEMS, max_size=4))
def test_any_elements_leave_as_min_and_the_list_give_them(
    function: str, items: list[Any], extras: list[Any]
) -> None:
    """Tuples of one kind and of any length, the empty tuple, and every other mix arriving
    between takes: the same elements in the same order, or the same exception (its message
    too: handed back after a sort, the list must be in the order the sorts left it, or the
    next sort compares other pairs first) at the same step."""
    text = helpers.rewrite(PATHS, RULE, function)
    assert text is not None
    before = helpers.run_module(PATHS, f"heap_any_{function}_before")[function]
    after = helpers.run_module(text, f"heap_any_{function}_after")[function]
    assert repr(outcome(after, items, extras)) == repr(outcome(before, items, extras))


def test_handed_back_after_a_sort_the_list_is_in_sorted_order() -> None:
    """Guards the hand-back (review): rebuilt in arrival order, the list's next sort compared
    other pairs first and `sort_drain([2.0, 1, 0], ["x"])` raised about 'str' and 'int'
    where the original raised about 'str' and 'float'."""
    text = helpers.rewrite(PATHS, RULE, "sort_drain")
    assert text is not None
    before = helpers.run_module(PATHS, "heap_back_before")["sort_drain"]
    after = helpers.run_module(text, "heap_back_after")["sort_drain"]
    for items, extras in (([2.0, 1, 0], ["x"]), ([3, 1.5, True, 2], [0.5, "y"])):
        assert repr(outcome(after, items, extras)) == repr(outcome(before, items, extras))


def test_elements_the_shape_check_cannot_read_go_to_the_list() -> None:
    """Guards the shape check (review): a tuple nested 5,000 deep raised RecursionError, and
    an element whose class has an unhashable metaclass raised TypeError, where `append`
    raises nothing."""

    class Meta(type):
        def __eq__(cls, other: object) -> bool:
            return cls is other

        __hash__ = None  # type: ignore[assignment]

    class Odd(metaclass=Meta):
        def __lt__(self, other: object) -> bool:
            return False

    deep: Any = ()
    for _ in range(5000):
        deep = (deep,)
    text = helpers.rewrite(PATHS, RULE, "min_drain")
    assert text is not None
    after = helpers.run_module(text, "heap_odd_after")["min_drain"]
    odd = Odd()
    assert after([deep], []) == [deep]
    assert after([odd], [(1, odd)]) == [odd, (1, odd)]
