"""row-binding on the function's own table: rows of a list the function builds (a copy of a
matrix) are bound once per row even where the loop stores into them (Floyd-Warshall), since
no other code can reach the table; before/after on any matrix, negative cycles included."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.models.rules_corpus import helpers

rewrite = helpers.rewrite
RULE = "row-binding"

CLOSE = """
import math


def close_roads(matrix, closed):
    n = len(matrix)
    dist = [row[:] for row in matrix]
    for a, b in closed:
        dist[a][b] = math.inf
        dist[b][a] = math.inf
    for k in range(n):
        for i in range(n):
            for j in range(n):
                if dist[i][k] + dist[k][j] < dist[i][j]:
                    dist[i][j] = dist[i][k] + dist[k][j]
                    note(i, j)
    return dist


def note(i, j):
    pass


def shrink(rows):
    rows.pop()
"""


def test_rows_of_the_functions_own_table_are_bound_once_per_row() -> None:
    text = rewrite(CLOSE, RULE, "close_roads")
    assert text is not None
    body = helpers.body_of(text, "close_roads")
    assert "    for k in range(n):\n        dist_k = dist[k]\n" in body
    assert "            dist_i = dist[i]\n" in body
    assert "if dist_i[k] + dist_k[j] < dist_i[j]:" in body
    assert "dist_i[j] = dist_i[k] + dist_k[j]" in body


_CELLS = st.one_of(st.integers(-3, 9), st.sampled_from([math.inf, 0.5, -0.5]))


@settings(max_examples=150, deadline=None)
@given(
    size=st.integers(0, 5),
    cells=st.lists(_CELLS, min_size=25, max_size=25),
    closed=st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), max_size=3),
)
def test_own_table_rows_answer_as_before(
    size: int, cells: list[float], closed: list[tuple[int, int]]
) -> None:
    """Any matrix (negative edges and cycles too, where a row's own cells change while the
    row is bound) and any closed pairs, out-of-range ones raising the same IndexError."""
    text = rewrite(CLOSE, RULE, "close_roads")
    assert text is not None
    matrix = [cells[i * 5 : i * 5 + size] for i in range(size)]
    results = []
    for source, name in ((CLOSE, "close_before"), (text, "close_after")):
        fn = helpers.run_module(source, name)["close_roads"]
        try:
            results.append(repr(fn([row[:] for row in matrix], closed)))  # type: ignore[operator]
        except IndexError as exc:
            results.append(f"IndexError: {exc}")
    assert results[1] == results[0]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    dist = [row[:] for row in matrix]\n", "    dist = matrix\n"),  # not its own
        ("                    note(i, j)\n", "                    note(dist, j)\n"),  # escapes
        ("    n = len(matrix)\n", "    n = len(closed)\n"),  # rows may be missing
        (
            "    n = len(matrix)\n    dist",
            "    n = len(matrix)\n    shrink(matrix)\n    dist",
        ),  # the length changed before the copy
        ("        dist[b][a] = math.inf\n", "        dist[b] = [math.inf]\n"),  # a row replaced
    ],
    ids=["not-its-own", "escapes", "other-length", "length-changed", "row-replaced"],
)
def test_row_binding_on_an_impure_loop_refuses(old: str, new: str) -> None:
    source = CLOSE.replace(old, new, 1)
    assert source != CLOSE
    text = rewrite(source, RULE, "close_roads")
    assert text is None or "dist_i = dist[i]" not in text


FILL = """
def fill(n, visit):
    a = [[0] * n for _ in range(n)]

    def grid():
        return a

    for i in range(len(a)):
        for k in range(n):
            a[i][k] = visit(grid, i, k)
    return a
"""


def test_a_table_a_nested_function_hands_out_is_not_its_own() -> None:
    """Regression (review): `return a` inside a nested function counted as a plain read, so
    `visit` could replace a row through `grid()` while the old row stayed bound."""
    text = rewrite(FILL, RULE, "fill")
    assert text is None or "a_i = a[i]" not in text
    lam = FILL.replace("    def grid():\n        return a\n", "    grid = lambda t=a: t\n")
    text = rewrite(lam, RULE, "fill")
    assert text is None or "a_i = a[i]" not in text
