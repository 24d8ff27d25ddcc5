"""hoist-per-counter: a pure call that the outer loops change only through an inner loop's
counter is computed once per counter value. Before/after, equal behaviour on random inputs
(results, exceptions, argument state), and refusals where each precondition fails."""

from __future__ import annotations

import copy
import random
from typing import Any

import pytest

from tests.models.rules_corpus import helpers

STATS = """
import math


def column(m, j):
    return [m[i][j] for i in range(len(m))]


def mean(values):
    if not values:
        raise ValueError("mean of no values")
    total = 0.0
    for v in values:
        total += v
    return total / len(values)


def stdev(values):
    mu = mean(values)
    return math.sqrt(sum((v - mu) ** 2 for v in values) / (len(values) - 1))


def zeros(rows, cols):
    return [[0.0] * cols for _ in range(rows)]


def standardize(m, rows, cols):
    out = zeros(rows, cols)
    for i in range(rows):
        for j in range(cols):
            values = column(m, j)
            sd = stdev(values)
            if sd == 0.0:
                out[i][j] = 0.0
            else:
                out[i][j] = (m[i][j] - mean(values)) / sd
    return out


def covariance(m, rows, cols):
    cov = zeros(cols, cols)
    for i in range(cols):
        for j in range(cols):
            mj = mean(column(m, j))
            total = 0.0
            for r in range(rows):
                total += m[r][i] * (m[r][j] - mj)
            cov[i][j] = total
    return cov
"""


def run(text: str, name: str, function: str, *args: Any) -> tuple[str, Any, Any]:
    fn = helpers.run_module(text, name)[function]
    args = copy.deepcopy(args)
    try:
        return "returned", fn(*args), args
    except Exception as exc:
        return "raised", type(exc).__name__, args


def matrices(seed: int) -> list[tuple[Any, ...]]:
    rng = random.Random(seed)
    out: list[tuple[Any, ...]] = []
    for _ in range(40):
        rows, cols = rng.randint(0, 5), rng.randint(0, 4)
        m = [[float(rng.randint(-3, 3)) for _ in range(cols)] for _ in range(rows)]
        if rows and rng.random() < 0.2:
            m[rng.randrange(rows)] = m[0][:-1]  # ragged: IndexError somewhere
        out.append((m, rows + rng.choice((0, 0, 1)), cols + rng.choice((0, 0, -1))))
    return out


def test_standardize_computes_each_columns_statistics_once_per_column() -> None:
    text = helpers.rewrite(STATS, "hoist-per-counter", "standardize")
    assert text is not None
    body = helpers.body_of(text, "standardize")
    assert "    column_by_j = {}\n    stdev_by_j = {}\n    for i in range(rows):" in body
    assert "            if j not in column_by_j or isinstance(m, _Iterator):\n" in body
    assert (
        "                column_by_j[j] = column(m, j)\n            values = column_by_j[j]\n"
        in body
    )
    assert "            if j not in stdev_by_j or isinstance(m, _Iterator):\n" in body
    for args in matrices(7):
        before = run(STATS, "keyed_before", "standardize", *args)
        after = run(text, "keyed_after", "standardize", *args)
        assert before == after, args


def test_a_call_nested_in_an_argument_is_computed_whole() -> None:
    text = helpers.rewrite(STATS, "hoist-per-counter", "covariance")
    assert text is not None
    body = helpers.body_of(text, "covariance")
    assert (
        "            if j not in mean_by_j:\n                mean_by_j[j] = mean(column(m, j))\n"
        in body
    )
    assert "            mj = mean_by_j[j]\n" in body
    for args in matrices(11):
        before = run(STATS, "keyed_before", "covariance", *args)
        after = run(text, "keyed_after", "covariance", *args)
        assert before == after, args


ONE_SHOT = """
def take(xs, n):
    return [x for _, x in zip(range(n), xs)]


def total(values):
    out = 0
    for v in values:
        out += v
    return out


def prefix_totals(xs, rows, cols):
    out = []
    for i in range(rows):
        for j in range(cols):
            head = take(xs, j)
            out.append(2 * total(head))
    return out
"""


def test_a_value_read_through_a_one_shot_iterator_is_computed_again() -> None:
    text = helpers.rewrite(ONE_SHOT, "hoist-per-counter", "prefix_totals")
    assert text is not None
    assert "if j not in total_by_j or isinstance(xs, _Iterator):" in text
    before = helpers.run_module(ONE_SHOT, "one_shot_before")["prefix_totals"]
    after = helpers.run_module(text, "one_shot_after")["prefix_totals"]
    assert after(iter(range(100)), 3, 4) == before(iter(range(100)), 3, 4)
    assert after(list(range(9)), 3, 4) == before(list(range(9)), 3, 4)


BOTH = ("column_by_j", "stdev_by_j")


@pytest.mark.parametrize(
    ("old", "new", "refused"),
    [
        # the counter is rebound in the loop: its value is not the key it was
        (
            "            values = column(m, j)\n",
            "            j = j % 2\n            values = column(m, j)\n",
            BOTH,
        ),
        # the matrix changes in the outer loop
        (
            "    for i in range(rows):\n",
            "    for i in range(rows):\n        m.append([0.0] * cols)\n",
            BOTH,
        ),
        # the name stdev reads depends on the outer loop's variable too
        (
            "            values = column(m, j)\n",
            "            values = column(m, j)[: i + 2]\n",
            ("stdev_by_j",),
        ),
        # the name stdev reads is bound only on some iterations
        (
            "            values = column(m, j)\n",
            "            if i % 2 == 0:\n                values = column(m, j)\n",
            ("stdev_by_j",),
        ),
        # the shared result is changed
        (
            "            sd = stdev(values)\n",
            "            values.sort()\n            sd = stdev(values)\n",
            BOTH,
        ),
        # the inner loop's variable is no counter (an element of a list may be unhashable)
        ("        for j in range(cols):\n", "        for j in list(range(cols)):\n", BOTH),
    ],
)
def test_refused_when_a_precondition_fails(old: str, new: str, refused: tuple[str, ...]) -> None:
    source = STATS.replace(old, new, 1)
    assert source != STATS
    text = helpers.rewrite(source, "hoist-per-counter", "standardize") or ""
    assert not any(memo in text for memo in refused)


def test_an_impure_callee_is_refused() -> None:
    source = STATS.replace(
        "def column(m, j):\n", "SEEN = []\n\n\ndef column(m, j):\n    SEEN.append(j)\n"
    )
    text = helpers.rewrite(source, "hoist-per-counter", "standardize")
    assert text is None or "column_by_j" not in text
