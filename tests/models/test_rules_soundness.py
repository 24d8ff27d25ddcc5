"""Rewrites that changed observable behaviour for inputs their preconditions admitted, each
shown with the original's result and the rewrite's, and the cases where they still fire."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from tests.models.rules_corpus import helpers

outcome = helpers.outcome


def compare(source: str, rule: str, function: str, *inputs: Callable[[], tuple]) -> None:
    """`rule` either does not fire on `source` or gives the original's outcome on every input
    (each built afresh for both runs)."""
    text = helpers.rewrite(source, rule, function)
    if text is None:
        return
    before = helpers.run_module(textwrap.dedent(source), "before")[function]
    now = helpers.run_module(text, "after")[function]
    for make in inputs:
        assert outcome(now, *make()) == outcome(before, *make()), make()  # type: ignore[operator]


# --- A: ordering rules and element types without one total order ---------------------------

SHADOW_MIXED = """
def f(vals: list[int | str]) -> list:
    xs: list[int | str] = []
    out = []
    for v in vals:
        xs.append(v)
        if isinstance(v, int):
            out.append(sorted(xs))
    return out
"""


def test_sorted_shadow_does_not_insort_a_str_among_ints_that_sorted_never_compares() -> None:
    """`int | str` values do not compare. The original sorts only while all are ints and
    returns [[2], [1, 2]] for [2, 1, "a"]; the twin's `insort` of "a" raised TypeError."""
    compare(SHADOW_MIXED, "sorted-shadow", "f", lambda: ([2, 1, "a"],), lambda: ([3, 1],))
    assert helpers.rewrite(SHADOW_MIXED, "sorted-shadow", "f") is None
    plain = SHADOW_MIXED.replace("int | str", "int")
    assert helpers.rewrite(plain, "sorted-shadow", "f") is not None


INSERT_MIXED = """
def f(vals: list[int | None]) -> list:
    xs: list[int | None] = []
    for v in vals:
        try:
            xs.append(v)
            xs.sort()
        except TypeError:
            pass
    return xs
"""


def test_sorted_insert_keeps_the_appended_none_when_sorting_raises() -> None:
    """`int | None` values do not compare. The original appends None, then its sort raises
    and is caught, so [1, None] gives [1, None]; `insort` raised before adding it, giving
    [1]."""
    compare(INSERT_MIXED, "sorted-insert", "f", lambda: ([1, None],), lambda: ([2, 1],))
    assert helpers.rewrite(INSERT_MIXED, "sorted-insert", "f") is None
    plain = INSERT_MIXED.replace("int | None", "int")
    assert helpers.rewrite(plain, "sorted-insert", "f") is not None


HEAP_MIXED = """
def f(vals: list[tuple[int, int | str]]) -> list:
    todo: list[tuple[int, int | str]] = list(vals)
    out = []
    while todo:
        x = min(todo)
        todo.remove(x)
        out.append(x)
        if x[0] == 0:
            break
    return out
"""


def test_min_heap_does_not_compare_elements_min_never_compares() -> None:
    """`(1, "a")` and `(1, 0)` do not compare. `min` never compares them for
    [(1, "a"), (0, 0), (1, 0)] and the loop stops at (0, 0), giving [(0, 0)]; `heappop`
    compared them while restoring the heap and raised TypeError."""
    compare(HEAP_MIXED, "min-heap", "f", lambda: ([(1, "a"), (0, 0), (1, 0)],))
    assert helpers.rewrite(HEAP_MIXED, "min-heap", "f") is None
    plain = HEAP_MIXED.replace("int | str", "str")
    assert helpers.rewrite(plain, "min-heap", "f") is not None


# --- B: joins and reads that run code ------------------------------------------------------

PROPERTY_KEY = """
class Rec:
    def __init__(self, k: int) -> None:
        self._k = k

    @property
    def key(self) -> int:
        if self._k < 0:
            raise ValueError("no key")
        return self._k


class Store:
    def __init__(self, recs: list[Rec]) -> None:
        self.recs = recs


def f(store: Store, wanted: list[int]) -> list[int]:
    out = []
    for w in wanted:
        out.append(len([r for r in store.recs if r.key == w]))
    return out
"""


def test_join_index_does_not_read_a_property_key_the_scan_never_reads() -> None:
    """The index was built before the outer loop from `r.key` of every record, a property:
    with no wanted keys the original returns [] without reading it; the rewrite raised its
    ValueError. With a plain field the join is still indexed."""

    def inputs(ns: dict) -> tuple:
        return ns["Store"]([ns["Rec"](1), ns["Rec"](-1)]), []

    text = helpers.rewrite(PROPERTY_KEY, "join-index", "f")
    if text is not None:
        before = helpers.run_module(PROPERTY_KEY, "before")
        now = helpers.run_module(text, "after")
        assert outcome(now["f"], *inputs(now)) == outcome(before["f"], *inputs(before))
    assert text is None
    plain = PROPERTY_KEY.replace(
        "    @property\n    def key(self) -> int:\n"
        '        if self._k < 0:\n            raise ValueError("no key")\n'
        "        return self._k\n",
        "        self.key: int = k\n",
    )
    assert "recs_by_key" in (helpers.rewrite(plain, "join-index", "f") or "")


def test_join_index_does_not_read_a_property_holding_the_records_once_more() -> None:
    """`store.recs` as a property: the original reads it only inside the outer loop (never,
    for no wanted keys); the index build read it before the loop and raised."""
    source = PROPERTY_KEY.replace(
        "        self.recs = recs\n",
        "        self._recs = recs\n\n    @property\n    def recs(self) -> list[Rec]:\n"
        '        raise RuntimeError("closed")\n',
    ).replace("    @property\n    def key(self) -> int:\n", "    def key_(self) -> int:\n")
    source = source.replace(
        "        self._k = k\n", "        self._k = k\n        self.key: int = k\n"
    )
    text = helpers.rewrite(source, "join-index", "f")
    if text is not None:
        before = helpers.run_module(source, "before")
        now = helpers.run_module(text, "after")
        args = (now["Store"]([now["Rec"](1)]), [])
        assert outcome(now["f"], *args) == before["f"](before["Store"]([before["Rec"](1)]), [])
    assert text is None


DEFAULT_ROWS = """
def f(rows, wanted):
    out = []
    for w in wanted:
        out.append(any(r["id"] == w for r in rows))
    return out
"""


def test_guarded_join_does_not_add_keys_to_defaultdict_records() -> None:
    """`any` stops at the first match, so the original never reads `r["id"]` of the second
    record; the index build read it from every record, and a defaultdict stores the missing
    key it reads: the rows ended [{'id': 1}, {'name': 'x', 'id': 0}] instead of unchanged.
    Plain dicts are still indexed."""
    from collections import defaultdict

    text = helpers.rewrite(DEFAULT_ROWS, "join-index-guarded", "f")
    assert text is not None
    seen = []
    for module in (helpers.run_module(DEFAULT_ROWS, "before"), helpers.run_module(text, "after")):
        rows = [defaultdict(int, id=1), defaultdict(int, name="x")]
        seen.append((module["f"](rows, [1, 1]), [dict(r) for r in rows]))
    assert seen[1] == seen[0] == ([True, True], [{"id": 1}, {"name": "x"}])
    now = helpers.run_module(text, "after")
    assert now["_group_by_key"]([{"id": 1}, {"id": 2}], lambda r: r["id"], None) == {
        1: [{"id": 1}],
        2: [{"id": 2}],
    }
    assert now["_group_by_key"]([defaultdict(int, id=1)], lambda r: r["id"], None) is None


COUNTED = """
class Probe:
    reads = 0

    def __init__(self, k):
        self._k = k

    @property
    def key(self):
        Probe.reads += 1
        return self._k


class Row:
    def __init__(self, k):
        self.key = k
"""

PROBED = """
def f(rows, wanted):
    out = []
    for w in wanted:
        out.append([r.key for r in rows if r.key == w.key])
    return out
"""


def test_guarded_join_reads_a_property_probe_as_often_as_the_scan() -> None:
    """The probe `w.key` is a counting property: the scan reads it once per record (6 reads
    for 3 rows and 2 probes); the rewrite read it once before each lookup and once per
    record of its group (4). Records with a plain attribute are still indexed, and a
    property key makes the build give up."""
    text = helpers.rewrite(PROBED, "join-index-guarded", "f")
    assert text is not None
    counts = []
    for label, source in (("before", PROBED), ("after", text)):
        module = helpers.run_module(COUNTED + source, label)
        rows = [module["Row"](1), module["Row"](2), module["Row"](3)]
        result = module["f"](rows, [module["Probe"](1), module["Probe"](2)])
        counts.append((result, module["Probe"].reads))
    assert counts[1] == counts[0] == ([[1], [2]], 6)
    now = helpers.run_module(COUNTED + text, "after")
    rows = [now["Row"](1), now["Row"](2)]
    assert now["_group_by_key"](rows, lambda r: r.key, "key") == {1: rows[:1], 2: rows[1:]}
    probes = [now["Probe"](1)]
    assert now["_group_by_key"](probes, lambda r: r.key, "key") is None
    assert now["Probe"].reads == 0
    from collections import namedtuple

    class Slotted:
        __slots__ = ("key",)

        def __init__(self, k: int) -> None:
            self.key = k

    for rows in ([namedtuple("Pair", "key v")(1, 0)], [Slotted(1)]):  # fields read no code
        assert now["_group_by_key"](rows, lambda r: r.key, "key") == {1: rows}


# --- C: pure calls of a one-shot iterator --------------------------------------------------

TOTAL = """
def total(xs) -> int:
    s = 0
    for x in xs:
        s += x
    return s

"""

TWICE = (
    TOTAL
    + """
def f(gen, n):
    head = total(gen)
    return [head, total(gen) + n]
"""
)


def test_repeated_call_calls_again_for_a_one_shot_iterator() -> None:
    """`total` is pure only while iterating its argument changes nothing: for a generator
    of 1, 2, 3 the original's second call sees it used up and gives [6, 0]; reusing the
    first value gave [6, 6]. Lists still share the one value, without a check."""
    text = helpers.rewrite(TWICE, "repeated-call", "f")
    assert text is not None
    before = helpers.run_module(TWICE, "before")["f"]
    now = helpers.run_module(text, "after")["f"]
    for make in (lambda: (x for x in [1, 2, 3]), lambda: iter([1, 2, 3]), lambda: [1, 2, 3]):
        assert now(make(), 0) == before(make(), 0)  # type: ignore[operator]
    typed = helpers.rewrite(TWICE.replace("(gen, n)", "(gen: list[int], n)"), "repeated-call", "f")
    assert typed is not None and "_Iterator" not in typed
    assert "    return [head, total_value + n]\n" in typed


REFRESHED = (
    TOTAL
    + """
def f(gen, other, n):
    best = 0
    for i in range(n):
        if total(gen) > best:
            best = total(gen) + i
        if i == 5:
            gen = other
    return best
"""
)


def test_refresh_pure_call_calls_again_for_a_one_shot_iterator() -> None:
    """The kept `total(gen)` stood for the second call too: for a generator of 1, 2, 3 the
    original's second call sees it used up (best = 0 + 0), the rewrite returned 6. Lists
    keep the value without a check."""
    text = helpers.rewrite(REFRESHED, "refresh-pure-call", "f")
    assert text is not None
    before = helpers.run_module(REFRESHED, "before")["f"]
    now = helpers.run_module(text, "after")["f"]
    for make in (lambda: (x for x in [1, 2, 3]), lambda: iter([1, 2, 3]), lambda: [1, 2, 3]):
        assert now(make(), [9], 3) == before(make(), [9], 3)  # type: ignore[operator]
    typed = helpers.rewrite(
        REFRESHED.replace("(gen, other, n)", "(gen: list[int], other: list[int], n)"),
        "refresh-pure-call",
        "f",
    )
    assert typed is not None and "total_kept" in typed and "_Iterator" not in typed
