"""Hypothesis strategies for the arguments of each corpus function (as a tuple)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

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
