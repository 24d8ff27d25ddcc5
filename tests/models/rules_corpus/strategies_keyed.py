"""Inputs for corpus_keyed: mark tables keyed by students, whose subjects are strings, ints,
flags, floats equal to ints, None, tuples or NaN; scores that tie; marks missing."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

_NAN = float("nan")
subject = st.sampled_from(["maths", "art", 1, 1.0, True, None, (1,), _NAN, "x"])
score = st.one_of(st.integers(0, 3), st.sampled_from([1.5, 2.0]))
share_of = st.sampled_from([1, 2, 3, -2, 0, 0.5, 4.0, "a", True])
table = st.dictionaries(
    st.sampled_from(["ann", "bob", "cy", 3]),
    st.dictionaries(subject, score, max_size=4),
    max_size=4,
)

STRATEGIES_KEYED: dict[str, Any] = {
    "scores_for": st.tuples(table, subject),
    "ranked": st.tuples(st.lists(st.tuples(st.sampled_from(["a", "b"]), score), max_size=4)),
    "class_place": st.tuples(table, subject, st.sampled_from(["ann", "bob", 3, "zed"])),
    "class_places": st.tuples(table),
    "mean_of": st.tuples(table, subject),
    "above_mean": st.tuples(table, st.lists(subject, max_size=5)),
    "padded_rows": st.tuples(table, st.lists(subject, max_size=4), st.integers(0, 3)),
    "grid_of": st.tuples(table, subject),
    "grids": st.tuples(table, st.lists(subject, max_size=4)),
    "tags": st.tuples(st.lists(subject, max_size=6), st.integers(0, 3)),
    "repr_key": st.tuples(subject),
    "_share": st.tuples(share_of),
    "bisect_power": st.tuples(st.lists(share_of, max_size=5), st.integers(0, 6)),
    "any_over": st.tuples(
        st.lists(share_of, max_size=5), st.lists(st.sampled_from([-1.0, 0.2, 0.5, 2.0]), max_size=4)
    ),
    "weighted_totals": st.tuples(
        st.lists(share_of, max_size=5), st.lists(st.integers(-2, 3), max_size=4)
    ),
}
