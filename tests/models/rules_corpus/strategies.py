"""Hypothesis strategies for the arguments of each corpus function (as a tuple)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st


@dataclass
class Item:
    """Stands in for `corpus_calls.Item` (the functions only read its fields)."""

    sku: str
    qty: int
    group: int = 0


@dataclass
class Order:
    ident: int
    sku: str
    amount: int


words = st.lists(
    st.sampled_from(["a", "b", "A", "ab", "B", "", "é", "ß", "ss", " x "]), max_size=12
)
text = st.text(alphabet="abcAEIOU ,;=\t\n0123456789", max_size=30)
ints = st.lists(st.integers(-5, 5), max_size=12)
pairs = st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(0, 3)), max_size=10)
small = st.integers(0, 60)
graph = st.dictionaries(st.integers(0, 6), st.lists(st.integers(0, 6), max_size=4), max_size=7)
floats = st.lists(st.sampled_from([0.0, -0.0, 1.0, 1, True, float("nan"), 2.5]), max_size=8)
lines = st.lists(
    st.one_of(text, st.builds(lambda k, v: f"{k}={v}", st.sampled_from(["k", "x_1", "é"]), small)),
    max_size=8,
)
str_dict = st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), st.integers(), max_size=4)

STRATEGIES: dict[str, Any] = {
    "keep_allowed": st.tuples(words, words),
    "count_blocked": st.tuples(ints, ints),
    "pairs_in": st.tuples(pairs, pairs),
    "mutating_allowed": st.tuples(words, words),
    "join_lines": st.tuples(words),
    "join_prefixed": st.tuples(words, st.sampled_from(["", ">", "pre:"])),
    "join_while": st.tuples(small),
    "parse_pairs": st.tuples(lines),
    "scrub": st.tuples(text),
    "split_fields": st.tuples(text),
    "lowest": st.tuples(ints),
    "highest_word": st.tuples(words),
    "longest_first": st.tuples(words),
    "last_longest": st.tuples(words),
    "unguarded_lowest": st.tuples(ints),
    "bfs_order": st.tuples(st.integers(0, 6), graph),
    "rotate_left": st.tuples(ints, st.integers(0, 20)),
    "push_front": st.tuples(ints),
    "queue_returned": st.tuples(ints),
    "count_words": st.tuples(words),
    "count_lower": st.tuples(words),
    "count_lengths": st.tuples(words),
    "uniq": st.tuples(words),
    "uniq_numbers": st.tuples(floats),
    "uniq_firsts": st.tuples(pairs),
    "squares": st.tuples(ints),
    "grid": st.tuples(small, small),
    "loop_var_used_after": st.tuples(ints),
    "stopword_hits": st.tuples(words, words),
    "normalize_all": st.tuples(words, st.sampled_from(["", " - ", "\t"])),
    "total_double": st.tuples(ints),
    "max_len": st.tuples(words),
    "keys_present": st.tuples(str_dict, words),
    "key_list": st.tuples(str_dict),
    "is_vowel": st.tuples(st.sampled_from(["a", "b", "e", "", "u", "uu", "I"])),
    "small_code": st.tuples(st.integers(-1, 5)),
    "describe": st.tuples(ints, st.sampled_from(["", "n"])),
    "fib": st.tuples(st.integers(0, 18)),
    "paths": st.tuples(st.integers(-1, 7), st.integers(-1, 7)),
    "fib_list": st.tuples(st.integers(0, 10)),
    "already_deque": st.tuples(ints),
}

skus = st.sampled_from(["a", "b", "c", "ab"])
mixed_keys = st.sampled_from(["a", "b", 1, 1.0, True, 0, -0.0, None, float("nan"), (1,), "1"])
items = st.lists(st.builds(Item, skus, st.integers(0, 3), st.integers(0, 2)), max_size=6)
orders = st.lists(st.builds(Order, st.integers(0, 9), skus, st.integers(0, 5)), max_size=8)
day_texts = st.lists(
    st.sampled_from(["2024-03-01", "2024-02-29", "2023-02-29", "2024-13-01", "x", "2024-03-01"]),
    max_size=8,
)
spaced = st.lists(st.sampled_from([" a  b ", "a\tb", "", "  ", "é  ß", "a b"]), max_size=8)
numbers = st.lists(
    st.one_of(st.integers(-3, 3), st.sampled_from([0.5, -0.0, 0.0, float("nan"), float("inf")])),
    max_size=8,
)
float_lists = st.lists(
    st.sampled_from([0.5, -0.0, 0.0, 1.0, 2.0, float("nan"), float("inf"), -2.5]), max_size=8
)
points = st.lists(st.tuples(st.floats(-3, 3), st.floats(-3, 3)), max_size=6)
matrix = st.lists(st.lists(st.integers(-3, 3), max_size=3), max_size=3)
fmatrix = st.lists(st.lists(st.sampled_from([0.5, -1.0, 2.0, 0.0]), max_size=3), max_size=3)
price_rows = st.lists(
    st.dictionaries(st.sampled_from(["price", "qty"]), st.sampled_from(["1.5", "x", "2", "-0"])),
    max_size=5,
)

STRATEGIES_CALLS: dict[str, Any] = {
    "spread_of": st.tuples(
        st.lists(
            st.one_of(
                st.floats(allow_nan=True, allow_infinity=True),
                st.floats(min_value=-1e-300, max_value=1e-300),
                st.integers(-5, 5),
            ),
            max_size=8,
        )
    ),
    "normalize": st.tuples(st.sampled_from(["  Jörg  Weiß ", "ABC", "", "é\u0301", "a\tb"])),
    "tag_of": st.tuples(st.sampled_from(["vipx", "newest", "x", ""])),
    "signed_text": st.tuples(st.sampled_from([0.0, -0.0, 1.5, float("nan")])),
    "count_of": st.tuples(st.sampled_from(["a", "b", "zz", ""])),
    "parse_days": st.tuples(day_texts),
    "iso_weekdays": st.tuples(day_texts),
    "squash": st.tuples(spaced),
    "parse_day_constant": st.tuples(
        st.lists(st.sampled_from(["01/02/2024", " 31/12/1999", "2024-01-02", "", "29/02/2023"]))
    ),
    "squash_constant": st.tuples(spaced),
    "rate_for": st.tuples(st.sampled_from(["a", "b", "c", "d"])),
    "pay": st.tuples(
        st.lists(st.sampled_from([1.0, 2.5, 0.0]), max_size=5), st.sampled_from("abcd")
    ),
    "scaling": st.tuples(st.sampled_from([0.5, 2.0, -1.0])),
    "apply_matrix": st.tuples(
        st.just([[1.0, 2.0], [0.5, 0.0]]), st.tuples(st.floats(-3, 3), st.floats(-3, 3))
    ),
    "transform": st.tuples(points, st.sampled_from([0.5, 2.0, -1.0])),
    "doubled_len": st.tuples(ints),
    "grow_while_counting": st.tuples(ints, st.integers(0, 9)),
    "label": st.tuples(st.integers(-5, 1200)),
    "labels": st.tuples(ints),
    "price_lines": st.tuples(price_rows),
    "totals_by_item": st.tuples(items, orders),
    "first_order": st.tuples(items, orders),
    "matched": st.tuples(items, orders),
    "consume": st.tuples(items, orders),
    "running_peaks": st.tuples(ints),
    "running_range": st.tuples(numbers),
    "peaks_with_len": st.tuples(ints),
    "first_seen": st.tuples(words),
    "new_codes": st.tuples(ints, ints),
    "seen_count": st.tuples(words),
    "medians": st.tuples(ints),
    "smallest_three": st.tuples(words),
    "factorial": st.tuples(st.integers(-3, 25)),
    "product_of": st.tuples(float_lists),
    "count_even": st.tuples(ints),
    "total_len": st.tuples(words),
    "float_total": st.tuples(float_lists),
    "close_pairs": st.tuples(ints),
    "triples": st.tuples(st.lists(st.integers(-2, 2), max_size=7), st.integers(-2, 2)),
    "first_equal_pairs": st.tuples(ints),
    "matmul": st.tuples(fmatrix, fmatrix),
    "row_sums": st.tuples(matrix),
    "shift_rows": st.tuples(matrix),
    "tallies": st.tuples(words),
    "tallies_of": st.tuples(words, words),
    "tallies_growing": st.tuples(words),
    "spread_over_max": st.tuples(ints, st.integers(-2, 2)),
    "window_medians": st.tuples(ints),
    "drawdowns": st.tuples(float_lists),
    "merge_runs": st.tuples(ints, st.integers(1, 4)),
    "schedule": st.tuples(
        st.lists(st.tuples(st.integers(-2, 2), st.sampled_from("abc")), max_size=6)
    ),
    "prefix_totals": st.tuples(ints),
    "dept_totals": st.tuples(
        st.one_of(
            st.lists(st.fixed_dictionaries({"dept": mixed_keys, "amount": st.integers(0, 3)})),
            st.lists(st.fixed_dictionaries({"dept": mixed_keys, "amount": st.integers(0, 3)})).map(
                tuple
            ),
        ),
        st.lists(mixed_keys, max_size=5),
    ),
    "first_qty": st.tuples(
        st.lists(st.builds(Item, mixed_keys, st.integers(0, 3)), max_size=6),
        st.lists(mixed_keys, max_size=5),
    ),
}


@dataclass
class Rec:
    """Stands in for the records of `corpus_inline` (read through `.key` and `.value`)."""

    key: Any
    value: int = 0


class Keyless:
    """An owner without a key: reading `.key` raises AttributeError."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Keyless)

    def __hash__(self) -> int:
        return 0


keys = st.sampled_from([1, 2, "a", "b", 1.0, True, None, float("nan"), (1,)])
recs = st.lists(st.builds(Rec, keys, st.integers(-3, 3)), max_size=8)
owners = st.lists(st.one_of(st.builds(Rec, keys), st.just(Keyless())), max_size=6)
dict_rows = st.lists(st.builds(lambda k: {"k": k}, keys), max_size=6)

_table = st.dictionaries(
    st.sampled_from(["a", "b", "c", 1, 1.0, True]),
    st.one_of(st.integers(-2, 2), st.sampled_from([0.5, -0.0, float("nan"), "x"])),
    max_size=4,
)
STRATEGIES_INLINE: dict[str, Any] = {
    "place_of": st.tuples(_table, st.sampled_from(["a", "b", 1, "zz"])),
    "places": st.tuples(_table),
    "places_of": st.tuples(_table, st.lists(st.sampled_from(["a", "b", 1, "zz"]), max_size=3)),
    "band": st.tuples(st.integers(-3, 3), _table),
    "bands": st.tuples(st.lists(st.integers(-3, 3), max_size=4), _table),
    "rows_for": st.tuples(st.builds(Rec, keys), recs),
    "totals_by_owner": st.tuples(owners, st.one_of(recs, recs.map(tuple))),
    "count_in": st.tuples(st.sampled_from(["a", "b"]), st.lists(st.text("ab", max_size=3))),
    "appearances": st.tuples(
        st.lists(st.sampled_from(["a", "b", "ab"]), max_size=5),
        st.lists(st.text("ab", max_size=3), max_size=6),
    ),
    "tagged": st.tuples(st.sampled_from(["a", "b"]), words, st.sampled_from(["", "!"])),
    "all_tagged": st.tuples(words),
    "keyed": st.tuples(dict_rows, keys),
    "groups_of": st.tuples(st.lists(keys, max_size=5), dict_rows),
    "peaks": st.tuples(st.lists(keys, max_size=8)),
    "peak_lows": st.tuples(
        st.one_of(
            st.lists(st.sampled_from([1, 2.5, -0.0, 0.0, True, float("nan"), 3, -4]), max_size=8),
            st.lists(st.integers(-5, 5), max_size=8).map(tuple),
            st.lists(st.sampled_from(["a", "b", 1]), max_size=4),
            st.text("abc", max_size=5),
        )
    ),
    "squeeze": st.tuples(st.one_of(text, st.integers(), st.none()), st.sampled_from([" ", "-"])),
    "squeeze_all": st.tuples(
        st.lists(
            st.one_of(st.sampled_from([" a B ", "x", "a b"]), text, st.integers(0, 2)), max_size=6
        )
    ),
    "pad_label": st.tuples(
        st.one_of(st.integers(-20, 20), text, st.floats(allow_nan=True), st.booleans()),
        st.integers(-1, 6),
    ),
    "money": st.tuples(
        st.one_of(st.floats(allow_nan=True), st.integers(-(10**6), 10**6), st.booleans()),
        st.sampled_from([0, 2, 1.0, "2"]),
    ),
    "money_lines": st.tuples(
        st.lists(
            st.one_of(
                st.sampled_from([1, 1.0, True, 0, 0.0, -0.0, float("nan"), 2.675, -1e-9]),
                st.floats(allow_nan=True),
                st.integers(-5, 5),
            ),
            max_size=10,
        )
    ),
    "lows_after": st.tuples(
        st.lists(st.sampled_from([1, 2.5, -0.0, 0.0, True, float("nan"), 3]), max_size=8),
        st.sampled_from([0, 0.5, False]),
    ),
}

team_keys = st.sampled_from(["a", "b", "c", 1, 2, True, 1.0, None])
games = st.lists(st.tuples(team_keys, team_keys, st.integers(0, 3), st.integers(0, 3)), max_size=8)
amounts = st.sampled_from([0.1, 0.2, 0.3, -0.0, 1, 2.5, 1e16, float("nan"), True])
entry_list = st.lists(
    st.tuples(team_keys, st.one_of(amounts, st.just("x"), st.just([1]))), max_size=8
)
day_postings = st.lists(
    st.tuples(
        st.integers(0, 5),
        st.lists(st.tuples(team_keys, st.one_of(amounts, st.just("x"))), max_size=4),
    ),
    max_size=6,
)

pair_rows = st.lists(
    st.one_of(
        st.tuples(team_keys, team_keys, st.integers(0, 3)),
        st.tuples(team_keys),
        st.just([[1], "a"]),
    ),
    max_size=8,
)

unpack_rows = st.lists(
    st.one_of(
        st.tuples(team_keys, team_keys, st.integers(0, 3)),
        st.lists(team_keys, min_size=3, max_size=3),
        st.just({"a": 0, "b": 1, 1: 2}),
        st.tuples(team_keys),
    ),
    max_size=8,
)
probe_keys = st.lists(team_keys, max_size=6)

key_rows = st.one_of(st.tuples(team_keys), st.tuples(team_keys, st.integers(0, 2)), st.just(()))

comb_args = st.one_of(st.integers(-3, 40), st.sampled_from([True, False, 2.0, 200, 171]))

STRATEGIES_GROUPS: dict[str, Any] = {
    "wins": st.tuples(team_keys, games),
    "goals": st.tuples(team_keys, games),
    "by_record": st.tuples(team_keys, team_keys, games),
    "table": st.tuples(
        st.one_of(
            st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=6),
            st.lists(team_keys, max_size=5),
        ),
        games,
    ),
    "best_score": st.tuples(team_keys, st.lists(st.tuples(team_keys, st.integers(0, 20)))),
    "closer": st.tuples(team_keys, team_keys, st.lists(st.tuples(team_keys, st.integers(0, 20)))),
    "rank_in_place": st.tuples(
        st.lists(team_keys, max_size=6),
        st.lists(st.tuples(team_keys, st.one_of(st.integers(0, 20), st.just("x"))), max_size=8),
    ),
    "owed": st.tuples(team_keys, entry_list),
    "owed_all": st.tuples(st.lists(team_keys, max_size=6), entry_list),
    "balance_of": st.tuples(team_keys, day_postings, st.one_of(st.none(), st.integers(0, 5))),
    "first_row": st.tuples(team_keys, st.lists(st.tuples(team_keys, st.integers(0, 3)))),
    "rows_of_skus": st.tuples(
        st.lists(team_keys, max_size=6),
        st.one_of(
            st.lists(st.tuples(team_keys, st.integers(0, 3)), max_size=8),
            st.lists(st.one_of(st.tuples(team_keys), st.just(()), st.just([[1], 2])), max_size=4),
        ),
    ),
    "choose": st.tuples(comb_args, comb_args),
    "arrangements": st.tuples(comb_args, comb_args),
    "balances": st.tuples(
        st.lists(team_keys, max_size=6), day_postings, st.one_of(st.none(), st.integers(0, 5))
    ),
    "kwh_of": st.tuples(team_keys, entry_list),
    "kwh_all": st.tuples(st.lists(team_keys, max_size=6), entry_list),
    "rows_of": st.tuples(team_keys, entry_list),
    "row_report": st.tuples(st.lists(team_keys, max_size=6), entry_list),
    "kwh_peak_of": st.tuples(team_keys, entry_list),
    "kwh_peaks": st.tuples(st.lists(team_keys, max_size=4), entry_list),
    "first_pair": st.tuples(team_keys, team_keys, pair_rows),
    "pairs_for": st.tuples(team_keys, st.lists(team_keys, max_size=6), pair_rows),
    "owed_before": st.tuples(entry_list, st.integers(-2, 8)),
    "running_owed": st.tuples(entry_list),
    "first_partner_before": st.tuples(pair_rows, st.integers(-1, 8), st.integers(0, 3)),
    "partners": st.tuples(pair_rows, st.integers(0, 3)),
    "marks_of": st.tuples(team_keys, entry_list),
    "owed_unless": st.tuples(team_keys, entry_list, amounts),
    "owed_unless_all": st.tuples(st.lists(team_keys, max_size=6), entry_list),
    "goals_by_venue": st.tuples(team_keys, games, st.integers(-1, 4)),
    "venues_all": st.tuples(st.lists(team_keys, max_size=6), games),
    "games_of": st.tuples(team_keys, games),
    "average_of": st.tuples(key_rows, entry_list, st.sampled_from([0, 1, 2.5])),
    "averages": st.tuples(st.lists(key_rows, max_size=5), entry_list),
    "owner_row": st.tuples(team_keys, pair_rows),
    "describe_item": st.tuples(key_rows, pair_rows, st.sampled_from(["-", 0])),
    "describe_all": st.tuples(st.lists(key_rows, max_size=5), pair_rows),
    "pair_rows_of": st.tuples(team_keys, team_keys, pair_rows),
    "pair_rows_grid": st.tuples(
        st.lists(team_keys, max_size=4), st.lists(team_keys, max_size=4), pair_rows
    ),
    "pair_total": st.tuples(team_keys, team_keys, pair_rows, st.sampled_from([None, 0, 2])),
    "pair_totals": st.tuples(st.lists(st.tuples(team_keys, team_keys), max_size=6), pair_rows),
    "best_pair": st.tuples(team_keys, team_keys, pair_rows),
    "entries_for": st.tuples(entry_list, team_keys, st.one_of(amounts, st.none())),
    "entries_by_who": st.tuples(st.lists(team_keys, max_size=6), entry_list),
    "owed_optional": st.tuples(entry_list, team_keys, st.sampled_from([None, 0, 0.2])),
    "owed_optional_all": st.tuples(
        st.lists(team_keys, max_size=6), entry_list, st.sampled_from([None, 0, 0.2])
    ),
    "best_pairs": st.tuples(st.lists(team_keys, max_size=4), st.integers(0, 3), pair_rows),
    "unpacked_sums": st.tuples(probe_keys, unpack_rows),
    "keyed_lists": st.tuples(probe_keys, unpack_rows),
    "unpacked_hits": st.tuples(probe_keys, unpack_rows),
    "any_unpacked": st.tuples(probe_keys, unpack_rows),
}

board_ops = st.lists(
    st.tuples(
        st.sampled_from(
            ["add", "add", "add", "take", "take_for", "first", "last", "names", "drop"]
        ),
        st.integers(1, 2),
        st.integers(0, 3),
    ),
    max_size=40,
)
numbers_and_more = st.one_of(
    st.integers(-3, 3),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1.0, True, None, "a"]),
)

CLASS_DRIVERS = {
    "Job": "use_board",
    "Worker": "use_board",
    "Board": "use_board",
    "Pool": "use_pool",
    "Tracker": "use_tracker",
    "Ledger": "use_ledger",
    "Rates": "use_rates",
    "Roster": "use_roster",
    "Entry": "use_catalog",
    "Catalog": "use_catalog",
    "Waitlist": "use_waitlist",
    "Desk": "use_desk",
    "Stop": "load_stops",
    "Line": "load_stops",
    "Queue": "use_queue",
    "Route": "use_trips",
    "Trip": "use_trips",
}
"""corpus_classes: a method is exercised through its class's driver (`Class.meth` -> driver)."""
_DRIVER_ARGS = {
    "use_desk": st.tuples(
        st.lists(st.tuples(team_keys, st.booleans(), st.one_of(amounts, st.just("x"))), max_size=8),
        st.lists(st.one_of(st.integers(0, 7), st.lists(team_keys, max_size=4)), max_size=6),
    ),
    "use_board": st.tuples(board_ops),
    "use_pool": st.tuples(st.lists(st.one_of(st.integers(-3, 3), st.just("take")), max_size=30)),
    "use_tracker": st.tuples(st.lists(st.one_of(numbers_and_more, st.just("line")), max_size=24)),
    "use_ledger": st.tuples(
        st.lists(st.one_of(st.integers(-3, 3), st.sampled_from(["largest", "oldest"])), max_size=20)
    ),
    "use_roster": st.tuples(
        st.lists(
            st.one_of(
                numbers_and_more,
                st.sampled_from(["order", "absent", "b", (1,), b"a"]),
                st.lists(st.integers(0, 1), max_size=2),
            ),
            max_size=24,
        )
    ),
    "use_catalog": st.tuples(
        st.lists(
            st.tuples(
                st.sampled_from(["add", "add", "add", "pair", "get", "get", "group", "retire"]),
                st.one_of(st.integers(0, 3), numbers_and_more, st.sampled_from(["a", "b", (1,)])),
                st.integers(-2, 5),
            ),
            max_size=30,
        )
    ),
    "use_waitlist": st.tuples(
        st.lists(
            st.tuples(
                st.sampled_from(["join", "join", "list", "waiting", "waiting", "leave"]),
                st.one_of(st.integers(0, 3), numbers_and_more, st.sampled_from(["a", (1,)])),
                st.integers(0, 3),
            ),
            max_size=30,
        )
    ),
    "use_trips": st.tuples(
        st.lists(
            st.tuples(
                st.sampled_from(
                    [
                        "calls",
                        "calls",
                        "calls",
                        "stop",
                        "put",
                        "item",
                        "route",
                        "start",
                        "skip",
                        "skips",
                    ]
                ),
                st.one_of(
                    st.sampled_from([("c", 1), ("b", 1.0), "b", "c", 3, 3.0, None]),
                    st.builds(list, st.tuples(st.just("c"), st.integers(0, 2))),
                    st.integers(-2, 2),
                ),
            ),
            max_size=24,
        )
    ),
    "use_rates": st.tuples(
        st.lists(
            st.one_of(
                st.integers(-3, 3),
                st.sampled_from(["a=1;b=2", "b=3;default=4", "a=x", "", "b= 5 ;a=1", "b=3;b=4"]),
            ),
            max_size=12,
        )
    ),
}
STRATEGIES_CLASSES: dict[str, Any] = {
    **_DRIVER_ARGS,
    **{
        f"{cls}.{meth}": _DRIVER_ARGS[driver]
        for cls, driver in CLASS_DRIVERS.items()
        if driver in _DRIVER_ARGS  # the others' corpora bring their own (strategies_grown)
        for meth in (
            "__init__",
            "rank",
            "__lt__",
            "fits",
            "add",
            "first",
            "last",
            "take",
            "take_for",
            "drop",
            "names",
            "give",
            "record",
            "line",
            "post",
            "largest",
            "oldest",
            "table",
            "rate",
            "sign",
            "absent",
            "order",
            "get",
            "group_weight",
            "retire",
            "join",
            "waiting",
            "leave",
            "open_for",
            "load",
            "loads",
            "close",
            "calls",
        )
    },
}
