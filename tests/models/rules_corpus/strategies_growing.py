"""Inputs for corpus_growing: ints with repeats and bools among them (True == 1, yet a
different object), words of repeated lengths."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

ints = st.lists(st.one_of(st.integers(-3, 5), st.booleans()), max_size=8)

STRATEGIES_GROWING: dict[str, Any] = {
    "running_medians": st.tuples(ints),
    "running_tops": st.tuples(st.lists(st.text("ab", max_size=3), max_size=8)),
    "seen_in_order": st.tuples(ints),
    "spelled_product": st.tuples(ints),
    "spelled_total": st.tuples(ints),
}
