"""exact-mean: `statistics.mean` of floats from `math.fsum` passes. The helper must return the
very float `statistics.mean` returns (its exact, once-rounded mean), raise what it raises, and
read its argument once; and the rule must leave alone calls it cannot be sure name
`statistics.mean`."""

from __future__ import annotations

import math
import statistics
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.models.rules_corpus import helpers

SOURCE = """
import statistics
from statistics import mean as avg


def centre(xs):
    return statistics.mean(xs)


def doubled(rows):
    return avg(r * 2.0 for r in rows)
"""


def _rewritten() -> dict[str, Any]:
    text = helpers.rewrite(SOURCE, "exact-mean", "centre")
    assert text is not None and "return _exact_mean(xs)" in text
    return helpers.run_module(text, "exact_mean_after")


HELPER = _rewritten()["_exact_mean"]


def _outcome(fn: Any, data: Any) -> tuple[str, Any]:
    try:
        value = fn(data)
    except Exception as exc:
        return "raised", type(exc)
    if isinstance(value, float):  # the very float: sign of zero and NaN included
        return type(value).__name__, "nan" if math.isnan(value) else value.hex()
    return type(value).__name__, value


floats = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(min_value=-1e-300, max_value=1e-300),  # subnormal sums
    st.floats(min_value=1e307, max_value=1.7976931348623157e308),  # overflowing sums
    st.floats(min_value=-1e6, max_value=1e6),
    st.sampled_from([0.1, 0.2, 0.3, -0.0, 5e-324, 1e16, 1.0, 3.0]),
)


@settings(max_examples=600, deadline=None)
@given(st.lists(floats, max_size=40))
def test_the_helper_returns_statistics_means_very_float(values: list[float]) -> None:
    assert _outcome(HELPER, values) == _outcome(statistics.mean, values)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            floats,
            st.floats(),  # NaN and infinities
            st.integers(-(10**30), 10**30),
            st.booleans(),
            st.fractions(max_denominator=50),
            st.decimals(allow_nan=False, allow_infinity=False, places=3),
        ),
        max_size=6,
    )
)
def test_anything_else_gets_statistics_means_own_answer(values: list[Any]) -> None:
    assert _outcome(HELPER, values) == _outcome(statistics.mean, values)


@pytest.mark.parametrize(
    "data",
    [
        [],
        ["a", "b"],
        [1.0, "x"],
        [float("inf"), float("-inf")],
        [float("nan"), 1.0],
        [1e308, 1e308, -1e308],
        [Decimal("1.5"), 2.5],
        [Fraction(1, 3), 1.0],
        (0.1, 0.2, 0.3),
        {0.5, 0.25},
        {0.1: "a", 0.7: "b"},
        [-0.0, -0.0],
    ],
    ids=repr,
)
def test_edge_inputs_behave_as_statistics_mean(data: Any) -> None:
    assert _outcome(HELPER, data) == _outcome(statistics.mean, data)


def test_an_iterator_is_read_once_and_its_error_comes_through() -> None:
    after = _rewritten()
    assert after["doubled"](iter([0.1, 0.2, 0.7])) == statistics.mean(
        x * 2.0 for x in [0.1, 0.2, 0.7]
    )

    def failing():
        yield 1.0
        raise KeyError("mid-way")

    with pytest.raises(KeyError):
        after["centre"](failing())


def test_both_spellings_share_one_helper() -> None:
    text = helpers.rewrite(SOURCE, "exact-mean", "centre")
    assert text is not None
    again = helpers.rewrite(text, "exact-mean", "doubled")
    assert again is not None
    assert again.count("def _exact_mean") == 1
    assert "return _exact_mean(r * 2.0 for r in rows)" in again


@pytest.mark.parametrize(
    "source",
    [
        "import statistics\n\n\ndef f(xs):\n    return statistics.mean(data=xs)\n",
        "import statistics\n\n\ndef f(xs):\n    return statistics.mean(*xs)\n",
        "import statistics\n\n\ndef f(xs, statistics):\n    return statistics.mean(xs)\n",
        "def mean(xs):\n    return 0\n\n\ndef f(xs):\n    return mean(xs)\n",
        "import statistics\n\n\ndef f(xs):\n    return statistics.fmean(xs)\n",
        "import statistics\n\n\ndef g(statistics):\n    def f(xs):\n"
        "        return statistics.mean(xs)\n    return f\n",
    ],
    ids=["keyword", "starred", "shadowed", "own-mean", "fmean", "nested"],
)
def test_exact_mean_refuses(source: str) -> None:
    function = "g.f" if "def g(" in source else "f"
    assert helpers.rewrite(source, "exact-mean", function) is None
