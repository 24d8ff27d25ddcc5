"""while-range: counting while loops become `for i in range(...)`. Before/after, equivalence on
sample inputs, and refusals where the counter, the bound or the body breaks the precondition."""

from __future__ import annotations

import pytest

from tests.models.rules_corpus import helpers

rewrite = helpers.rewrite

NESTED = """
def walks(dist):
    n = len(dist)
    d = [row[:] for row in dist]
    k = 0
    while k < n:
        i = 0
        while i < n:
            if d[i][k] + d[k][i] < d[i][i]:
                d[i][i] = d[i][k] + d[k][i]
            i += 1
        k = k + 1
    return d
"""


def test_while_range_nested_before_after() -> None:
    text = rewrite(NESTED, "while-range", "walks")
    assert text is not None
    assert helpers.body_of(text, "walks") == (
        "def walks(dist):\n"
        "    n = len(dist)\n"
        "    d = [row[:] for row in dist]\n"
        "    for k in range(n):\n"
        "        for i in range(n):\n"
        "            if d[i][k] + d[k][i] < d[i][i]:\n"
        "                d[i][i] = d[i][k] + d[k][i]\n"
        "    return d\n"
    )
    before = helpers.run_module(NESTED, "wr_a")["walks"]
    after = helpers.run_module(text, "wr_b")["walks"]
    for dist in ([], [[0]], [[0, 5], [-2, 1]], [[3, 1, 2], [0, 0, 9], [4, -1, 2]]):
        assert after(dist) == before(dist)


def test_while_range_len_bound_and_inclusive() -> None:
    source = (
        "def cols(grid, extra):\n"
        "    out = []\n"
        "    c = 1\n"
        "    while len(grid[0]) >= c:\n"
        "        out.append(grid[0][c - 1] + extra)\n"
        "        c += 1\n"
        "    return out\n"
    )
    text = rewrite(source, "while-range", "cols")
    assert text is not None and "for c in range(1, len(grid[0]) + 1):" in text
    before = helpers.run_module(source, "wr_c")["cols"]
    after = helpers.run_module(text, "wr_d")["cols"]
    assert after([[1, 2, 3]], 1) == before([[1, 2, 3]], 1) == [2, 3, 4]
    with pytest.raises(IndexError):
        after([], 0)


@pytest.mark.parametrize(
    "source",
    [
        # the counter is read after the loop
        "def f(xs):\n    n = len(xs)\n    i = 0\n    while i < n:\n        i += 1\n    return i\n",
        # a continue skips the increment
        "def f(xs):\n    n = len(xs)\n    i = 0\n    while i < n:\n        if xs[i]:\n"
        "            continue\n        i += 1\n    return 0\n",
        # the body changes the counter
        "def f(xs):\n    n = len(xs)\n    i = 0\n    while i < n:\n        i += xs[i]\n"
        "        i += 1\n    return 0\n",
        # the bound may be a float (a parameter)
        "def f(xs, n):\n    i = 0\n    while i < n:\n        xs.append(i)\n        i += 1\n",
        # the body changes the length the bound reads
        "def f(xs):\n    i = 0\n    while i < len(xs):\n        if xs[i] > 0:\n"
        "            xs.pop()\n        i += 1\n",
        # the start is not an int literal
        "def f(xs, s):\n    n = len(xs)\n    i = s\n    while i < n:\n        xs[i] = 0\n"
        "        i += 1\n",
        # the bound is rebound in the loop
        "def f(xs):\n    n = len(xs)\n    i = 0\n    while i < n:\n        n = 3\n        i += 1\n",
        # an else clause
        "def f(xs):\n    n = len(xs)\n    i = 0\n    while i < n:\n        i += 1\n"
        "    else:\n        return 1\n",
        # a closure sees the counter
        "def f(xs):\n    n = len(xs)\n    fs = []\n    i = 0\n    while i < n:\n"
        "        fs.append(lambda: i)\n        i += 1\n    return fs\n",
        # a step of 2
        "def f(xs):\n    n = len(xs)\n    i = 0\n    while i < n:\n        xs[i] = 0\n        i += 2\n",
    ],
    ids=[
        "read-after",
        "continue",
        "rebinds-counter",
        "param-bound",
        "len-changes",
        "start-not-literal",
        "bound-rebound",
        "else",
        "closure",
        "step-2",
    ],
)
def test_while_range_refuses(source: str) -> None:
    assert rewrite(source, "while-range", "f") is None
