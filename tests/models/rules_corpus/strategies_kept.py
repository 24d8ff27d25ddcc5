"""Inputs for corpus_kept: records of several kinds whose key field holds text that differs
only in case or blanks, ints, a flag, None, NaN or nothing at all, and edits between lookups
(append, put, pop, a key field set anew)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from hypothesis import strategies as st

field = st.sampled_from(["a", " A", "b", "B ", 1, 1.0, True, None, float("nan"), b"a"])
probe = st.sampled_from(["a", "b", 1, 1.0, True, None, float("nan")])
row = st.one_of(
    st.lists(field, min_size=1, max_size=2),
    st.tuples(field, st.integers(-2, 2)),
    st.fixed_dictionaries({0: field}),
    st.just(()),  # no field 0: the scan's IndexError
)
named = st.one_of(
    st.fixed_dictionaries({"name": field, "n": st.integers(-2, 2)}),
    st.fixed_dictionaries({"name": field}),
    st.fixed_dictionaries({"n": st.integers(-2, 2)}),  # no name: the scan's KeyError
)


def _edits(record: Any) -> Any:
    kinds = st.sampled_from(["append", "put", "pop", "field", "none"])
    return st.lists(st.tuples(kinds, st.integers(0, 9), st.one_of(record, field)), max_size=8)


def _case(record: Any) -> Any:
    return st.tuples(st.lists(record, max_size=6), st.lists(probe, max_size=8), _edits(record))


_NAN = float("nan")
value = st.one_of(
    st.integers(-2, 2),
    st.sampled_from(["a", "A", "", b"a", 0.0, -0.0, 1.0, True, False, None, _NAN]),
    st.tuples(st.integers(0, 1)),
    st.lists(st.integers(0, 1), max_size=1),  # unhashable: the list answers
    st.builds(SimpleNamespace, v=st.integers(0, 1)),  # == of its own
)
banned = st.one_of(
    st.lists(value, max_size=6),
    st.lists(value, max_size=6).map(tuple),
    st.text("ab", max_size=3),  # `in` of a str is a substring test
    st.dictionaries(st.sampled_from(["a", 1, None]), st.integers(0, 1), max_size=3),
)

prefix = st.sampled_from(["", "4", "44", "447", "1", "4477", 44, None, b"4"])
number = st.sampled_from(["447700", "44", "", "4", "9", "4477", 44, b"44", None])
deck_row = st.one_of(
    st.lists(prefix, min_size=1, max_size=2),
    st.tuples(prefix, st.integers(-1, 1)),
    st.fixed_dictionaries({0: prefix, 1: st.integers(-1, 1)}),
    st.just(()),
)

STRATEGIES_KEPT: dict[str, Any] = {
    "longest_prefixes": st.tuples(
        st.lists(deck_row, max_size=6),
        st.lists(number, max_size=8),
        st.lists(
            st.tuples(
                st.sampled_from(["append", "put", "pop", "field", "none"]),
                st.integers(0, 9),
                st.one_of(deck_row, prefix),
            ),
            max_size=8,
        ),
    ),
    "starting": st.tuples(st.lists(st.tuples(prefix, st.integers(-1, 1)), max_size=6), number),
    "kept_words": st.tuples(st.lists(value, max_size=6), st.lists(value, max_size=6)),
    "first_banned": st.tuples(st.lists(value, max_size=6), banned),
    "norm": st.tuples(field),
    "_edit": st.tuples(st.lists(row, max_size=4), st.tuples(st.just("append"), st.just(0), field)),
    "named_rows": _case(row),
    "first_named": _case(named),
    "any_named": _case(row),
    "resolved": _case(field),
    "_step_value": st.tuples(st.sampled_from(["1/2", "evens", "2/1", "7/0", "x"])),
    "nearest_steps": st.tuples(
        st.lists(
            st.one_of(
                st.integers(0, 5),
                st.fractions(0, 5, max_denominator=4),
                st.sampled_from([2.5, float("nan"), None, "2"]),
            ),
            max_size=5,
        )
    ),
}
