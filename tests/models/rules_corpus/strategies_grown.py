"""Inputs for corpus_grown: keys of mixed types (1, 1.0 and True equal; NaN equal to
nothing; a list unhashable), items a caller promised were ints, matrices with negative
cycles."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import strategies as st

_NAN = float("nan")
_keys = st.one_of(
    st.sampled_from(["a", "b", 1, 1.0, True, 0, None, _NAN]),
    st.lists(st.integers(0, 1), max_size=1),
)
_rows = st.lists(
    st.tuples(_keys, st.sampled_from(["x", "y", 1, 1.0]), st.integers(0, 5)), max_size=14
)
_items = st.one_of(st.integers(-2, 3), st.booleans(), st.sampled_from([1.0, _NAN, "b", None]))
_queue_ops = st.lists(
    st.tuples(
        st.sampled_from(["push"] * 5 + ["next", "where", "peek", "last", "drop", "cut", "reset"]),
        _items,
    ),
    max_size=30,
)
_cells = st.one_of(st.integers(-2, 6), st.sampled_from([math.inf, 0.5]))
_matrix = st.integers(0, 4).flatmap(
    lambda n: st.lists(st.lists(_cells, min_size=n, max_size=n), min_size=n, max_size=n)
)

STRATEGIES_GROWN: dict[str, Any] = {
    "load_trips": st.tuples(_rows),
    "load_stops": st.tuples(_rows),
    "first_match": st.tuples(st.lists(st.tuples(_keys, st.integers(0, 3)), max_size=10), _keys),
    "use_queue": st.tuples(_queue_ops),
    "dice_spread": st.tuples(
        st.one_of(st.integers(-2, 9), st.sampled_from([2.5, 0.0, -0.0, True])),
        st.one_of(st.integers(-1, 3), st.sampled_from([2.0, "3"])),
    ),
    "close_roads": st.tuples(
        _matrix, st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), max_size=2)
    ),
}
STRATEGIES_GROWN.update(
    {
        f"{cls}.{meth}": STRATEGIES_GROWN[driver]
        for cls, driver, methods in (
            ("Stop", "load_stops", ("__init__",)),
            (
                "Queue",
                "use_queue",
                (
                    "__init__",
                    "push",
                    "pop_next",
                    "pop_where",
                    "peek",
                    "last",
                    "drop",
                    "cut",
                    "reset",
                    "size",
                    "keep",
                ),
            ),
        )
        for meth in methods
    }
)
