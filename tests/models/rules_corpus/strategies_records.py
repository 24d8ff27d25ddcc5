"""Inputs for corpus_records: logins of mixed types (NaN, 1 == 1.0 == True), users that lack
the key a scan reads (a scan that stops at its first match never reads the later ones),
records the functions under test may change."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

logins = st.sampled_from(["a", "b", "c", 1, 1.0, True, None, float("nan")])
user = st.one_of(
    st.fixed_dictionaries({"login": logins, "team": st.sampled_from(["x", "y"])}),
    st.fixed_dictionaries({"team": st.just("z")}),
)
users = st.one_of(st.lists(user, max_size=5), st.lists(user, max_size=5).map(tuple))
events = st.lists(st.tuples(logins, st.integers(0, 50)), max_size=8)
rows = st.lists(st.fixed_dictionaries({"id": st.sampled_from([1, 2, 3, "a"])}), max_size=5)
times = st.integers(0, 3)
costs = st.one_of(
    st.lists(st.lists(st.integers(-3, 9), min_size=4, max_size=4), min_size=4, max_size=4),
    st.lists(st.lists(st.sampled_from([1, 2.5, "x"]), min_size=3, max_size=3), max_size=3),
)
paths = st.lists(st.integers(0, 3), max_size=5)
numbers_1 = st.one_of(st.integers(-5, 5), st.sampled_from([0.5, -0.0, float("nan"), True]))
numbers = st.lists(
    st.one_of(st.integers(-5, 5), st.sampled_from([0.5, -0.0, float("nan"), True])), max_size=5
)
_sortable = st.one_of(
    st.lists(st.sampled_from([0, 1, 2, 1.0, -0.0, True, 2.5, float("nan")]), max_size=6),
    st.lists(st.sampled_from(["a", "b", 1]), max_size=3),  # a str among ints: sorted raises
)


STRATEGIES_RECORDS: dict[str, Any] = {
    "sessions_of": st.tuples(events, users, st.integers(0, 10)),
    "mark_all": st.tuples(rows),
    "marked_rounds": st.tuples(rows, times),
    "tag_first": st.tuples(rows),
    "tag_rounds": st.tuples(rows, times),
    "fill_slot": st.tuples(st.lists(st.sampled_from(["x", "y"]), max_size=3), st.just({"n": 9})),
    "fill_rounds": st.tuples(
        st.lists(st.sampled_from(["x", "y"]), max_size=3), st.just({"n": 9}), times
    ),
    "path_cost": st.tuples(paths, costs),
    "improve": st.tuples(paths, costs, times),
    "size_of": st.tuples(st.lists(st.integers())),
    "running_sizes": st.tuples(st.lists(st.integers(), max_size=5)),
    "average": st.tuples(numbers),
    "above_average": st.tuples(st.one_of(numbers, numbers.map(tuple))),
    "shares_of": st.tuples(numbers),
    "deviation_from": st.tuples(numbers, numbers),
    "top_scorers": st.tuples(
        st.lists(
            st.one_of(
                st.fixed_dictionaries({"name": st.sampled_from("abc"), "score": numbers_1}),
                st.fixed_dictionaries({"name": st.just("z")}),
            ),
            max_size=5,
        )
    ),
    "share_by_key": st.tuples(st.lists(st.tuples(st.sampled_from("abc"), numbers_1), max_size=5)),
    "centred_rows": st.tuples(st.lists(numbers, max_size=3), numbers),
    "quantile_each": st.tuples(_sortable, st.lists(st.sampled_from([0, 0.25, 0.5, 1, 1.5, -1]))),
    "rank_in_sorted": st.tuples(_sortable, st.lists(st.sampled_from([0, 1, 1.0, True, 2.5]))),
}
