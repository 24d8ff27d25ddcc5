"""Inputs for corpus_growing: ints with repeats and bools among them (True == 1, yet a
different object), words of repeated lengths."""

from __future__ import annotations

from datetime import date as _date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

_grid = st.lists(st.lists(st.integers(-3, 5), min_size=0, max_size=4), max_size=4)
_NAN = float("nan")
_mixed = st.lists(
    st.one_of(
        st.integers(-2, 2),
        st.sampled_from([0.0, -0.0, 1.0, True, False, None, "a", b"a", _NAN, float("nan")]),
        st.tuples(st.integers(0, 1)),
        st.lists(st.integers(0, 1), max_size=1),
    ),
    max_size=6,
)
_mixed_key = st.one_of(
    st.sampled_from(["a", "b", 1, 1.0, True, 0, -0.0, None, b"a", float("nan")]),
    st.dates(
        min_value=_date(2024, 1, 1),
        max_value=_date(2024, 1, 3),
    ),
    st.lists(st.integers(0, 1), max_size=1),  # unhashable: the list answers
)
ints = st.lists(st.one_of(st.integers(-3, 5), st.booleans()), max_size=8)
_place = st.one_of(st.sampled_from(["a", "b", "c", 1, 1.0, True]), st.just(None))
_distance = st.one_of(st.integers(0, 3), st.sampled_from([0.5, 1.0, -0.0, True, _NAN]))


_numbers = st.lists(
    st.one_of(
        st.integers(-3, 5),
        st.booleans(),
        st.sampled_from([0.5, -0.0, 2.5, float("inf"), _NAN, 1e16, "a", None]),
        st.sampled_from([Fraction(1, 3), Fraction(-2, 7)]),
        st.sampled_from(
            [Decimal("0.1"), Decimal("1e30"), Decimal("-2.5"), Decimal("NaN"), Decimal("Infinity")]
        ),
        st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-9, max_value=9),
    ),
    max_size=8,
)


def _one(value: Any) -> Any:
    """One element of a drawn list (or the value itself)."""
    return value[0] if isinstance(value, list) and value else value


STRATEGIES_GROWING: dict[str, Any] = {
    "totals_in_first_seen_order": st.tuples(st.lists(st.tuples(_mixed_key, st.integers(0, 9)))),
    "running_medians": st.tuples(ints),
    "running_balances": st.tuples(_numbers),
    "running_ledger": st.tuples(_numbers),
    "peaks_logged": st.tuples(
        st.lists(
            st.sampled_from(
                [1, 2, 0.5, Fraction(1, 3), Decimal("2.5"), Decimal("NaN"), Decimal("-Infinity")]
            ),
            max_size=5,
        ),
        st.lists(st.integers(0, 3), max_size=2),
    ),
    "running_statistics_medians": st.tuples(
        st.lists(
            st.one_of(
                st.integers(-3, 5),
                st.sampled_from([0.0, -0.0, 1.0, 2.5, True, _NAN, float("inf"), "a"]),
            ),
            max_size=8,
        )
    ),
    "running_high_medians": st.tuples(ints),
    "running_tops": st.tuples(st.lists(st.text("ab", max_size=3), max_size=8)),
    "seen_in_order": st.tuples(ints),
    "spelled_product": st.tuples(ints),
    "spelled_total": st.tuples(ints),
    "while_column_sums": st.tuples(
        st.lists(st.lists(st.integers(-3, 5), min_size=0, max_size=4), max_size=4)
    ),
    "while_inclusive": st.tuples(ints, st.integers(-2, 5)),
    "while_counter_read_after": st.tuples(ints),
    "while_with_continue": st.tuples(ints),
    "running_top": st.tuples(
        st.lists(
            st.one_of(
                st.integers(-3, 3),
                st.sampled_from([0.0, -0.0, 1.0, 2.5, float("nan"), True, "a"]),
            ),
            max_size=8,
        ),
        st.integers(-1, 4),
    ),
    "running_sorted_ids": st.tuples(
        st.lists(st.one_of(st.integers(-3, 3), st.sampled_from([0.0, -0.0, 1.0, 3.0])), max_size=8)
    ),
    "hand_factorial": st.tuples(st.integers(-3, 30)),
    "checked_factorial": st.tuples(st.one_of(st.integers(-3, 30), st.sampled_from([True, 2.0]))),
    "checked_choose": st.tuples(
        st.one_of(st.integers(-3, 30), st.sampled_from([True, False, 4.0])),
        st.one_of(st.integers(-3, 30), st.sampled_from([True, 1.0])),
    ),
    "hand_choose": st.tuples(
        st.one_of(st.integers(-3, 40), st.booleans(), st.floats(-2, 9)),
        st.one_of(st.integers(-3, 40), st.booleans()),
    ),
    "column_of": st.tuples(_grid, st.integers(-1, 3)),
    "spread": st.tuples(ints),
    "centred_by_column": st.tuples(_grid, st.integers(0, 4), st.integers(0, 4)),
    "column_gaps": st.tuples(_grid, st.integers(0, 4)),
    "rank_positions": st.tuples(
        st.lists(st.one_of(st.integers(-2, 2), st.sampled_from([0.0, -0.0, 1.0, True])), max_size=8)
    ),
    "positions_of_queries": st.tuples(_mixed, _mixed),
    "nearest_first": st.tuples(
        st.dictionaries(
            _place,
            st.lists(st.tuples(_place, _distance), max_size=3),
            max_size=5,
        ),
        _place,
    ),
    "keyed_nearest": st.tuples(
        st.dictionaries(_place, st.lists(st.tuples(_place, _distance), max_size=3), max_size=5),
        _place,
        _place,
    ),
    "keyed_unvisited": st.tuples(
        st.dictionaries(_place, st.lists(st.tuples(_place, _distance), max_size=3), max_size=5),
        st.lists(_place, max_size=5),
        _place,
    ),
    "shares_of_total": st.tuples(
        st.one_of(st.integers(-5, 100), st.sampled_from([0.5, True])),
        st.lists(
            st.tuples(
                st.sampled_from(["a", "b"]),
                st.one_of(st.integers(-2, 5), st.sampled_from([0.0, 1.5, True, _NAN, "x"])),
            ),
            max_size=5,
        ),
    ),
    "ahead_counts": st.tuples(_mixed),
    "loop_ranks": st.tuples(_mixed),
    "at_least_rows": st.tuples(
        st.lists(
            st.one_of(
                st.fixed_dictionaries(
                    {
                        "score": st.one_of(
                            st.integers(-2, 3), st.sampled_from([0.5, True, _NAN, "a", None])
                        )
                    }
                ),
                st.just({}),
            ),
            max_size=5,
        ),
        st.lists(st.one_of(st.integers(-2, 3), st.sampled_from([0.5, -0.0, "a"])), max_size=4),
    ),
    "drain_sorted": st.tuples(_mixed, st.one_of(_mixed, st.integers(-2, 2)).map(_one)),
}
