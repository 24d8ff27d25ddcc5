"""exact-mean: `statistics.mean` of floats from `math.fsum` passes. The helper must return the
very float `statistics.mean` returns (its exact, once-rounded mean), raise what it raises,
read its argument as far as `statistics.mean` would, and call whatever the rewritten call
named when that is not `statistics.mean` itself."""

from __future__ import annotations

import math
import statistics
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agent.engines.rules import Step, StepFailed, run_step
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
    assert text is not None and "return _exact_mean(statistics.mean, xs)" in text
    return helpers.run_module(text, "exact_mean_after")


_HELPER = _rewritten()["_exact_mean"]


def HELPER(data: Any) -> Any:
    return _HELPER(statistics.mean, data)


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
    assert "return _exact_mean(avg, (r * 2.0 for r in rows))" in again


@pytest.mark.parametrize(
    "source",
    [
        "import statistics\n\n\ndef f(xs):\n    return statistics.mean(data=xs)\n",
        "import statistics\n\n\ndef f(xs):\n    return statistics.mean(*xs)\n",
        "import statistics\n\n\ndef f(xs, statistics):\n    return statistics.mean(xs)\n",
        "import statistics\n__import__ = None\n\n\ndef f(xs):\n    return statistics.mean(xs)\n",
        "def mean(xs):\n    return 0\n\n\ndef f(xs):\n    return mean(xs)\n",
        "import statistics\n\n\ndef f(xs):\n    return statistics.fmean(xs)\n",
    ],
    ids=["keyword", "starred", "shadowed", "import-rebound", "own-mean", "fmean"],
)
def test_exact_mean_refuses(source: str) -> None:
    assert helpers.rewrite(source, "exact-mean", "f") is None


REBOUND = [
    "from statistics import mean\n\n\ndef f(xs):\n    return mean(xs)\n\n\n"
    "def mean(xs):\n    return 'mine'\n",
    "from statistics import mean\n\n\ndef f(xs):\n    return mean(xs)\n\n\n"
    "try:\n    from fastmean import mean\nexcept ImportError:\n    mean = len\n",
    "import statistics\n\n\ndef f(xs):\n    return statistics.mean(xs)\n\n\n"
    "class statistics:\n    mean = staticmethod(lambda xs: 'own class')\n",
    "import statistics\n\n\ndef g(statistics):\n    def f(xs):\n        return statistics.mean(xs)\n"
    "    return f\n\n\nclass _S:\n    mean = staticmethod(lambda xs: 'enclosing')\n\n\n"
    "f = g(_S())\n",
    "import statistics\n\n\ndef f(xs):\n    return statistics.mean(xs)\n\n\n"
    "class _M:\n    fsum = staticmethod(lambda xs: 0.0)\n\n\nmath = _M()\n",
]


@pytest.mark.parametrize("source", REBOUND, ids=["def", "try-import", "class", "enclosing", "math"])
def test_the_call_still_calls_what_its_name_means_at_run_time(source: str) -> None:
    """Guards against the fast path standing in for a function the name no longer meant: the
    reviewer's `def mean` after the import gave 0.2333... where the original said 'mine'."""
    function = "g.f" if "def g(" in source else "f"
    text = helpers.rewrite(source, "exact-mean", function)
    assert text is not None
    before = helpers.run_module(source, "mean_rebound_before")["f"]
    after = helpers.run_module(text, "mean_rebound_after")["f"]
    for data in ([0.1, 0.2, 0.4], [1, 2]):
        assert _outcome(after, data) == _outcome(before, data)


def test_a_patched_statistics_mean_is_called(monkeypatch: pytest.MonkeyPatch) -> None:
    after = _rewritten()
    monkeypatch.setattr(statistics, "mean", lambda xs: "patched")
    assert after["centre"]([0.1, 0.2]) == "patched"


def test_a_generator_is_read_only_as_far_as_statistics_mean_reads_it() -> None:
    """Guards against reading a generator to its end before handing it over: statistics.mean
    stops at the first item it cannot add, and what follows must not run."""
    ran = []

    def rows():
        yield 1.0
        yield "x"
        ran.append("after the bad item")
        raise KeyError("never reached by statistics.mean")

    with pytest.raises(TypeError):
        statistics.mean(rows())
    expected = list(ran)
    ran.clear()
    with pytest.raises(TypeError):
        _rewritten()["centre"](rows())
    assert ran == expected


class _Sized:
    """An iterable whose length is wrong: statistics.mean (3.11+) never asks for it."""

    def __iter__(self):
        return iter([1.0, 2.0])

    def __len__(self) -> int:
        raise RuntimeError("asked for the length")


def test_other_iterables_go_to_statistics_mean_as_they_are() -> None:
    assert _outcome(HELPER, _Sized()) == _outcome(statistics.mean, _Sized())
    it, again = iter([1.0, "x", 2.0, 3.0]), iter([1.0, "x", 2.0, 3.0])
    assert _outcome(HELPER, it) == _outcome(statistics.mean, again)
    assert list(it) == list(again)


def test_a_sum_needing_many_parts_costs_at_most_four_fsum_passes() -> None:
    """Guards the reviewer's slow case: a ladder of powers of two 2**-54 apart needs about 40
    parts, and each pass reads every value; past three parts statistics.mean answers."""
    ladder = [2.0 ** (1023 - 54 * k) for k in range(19)] + [0.0] * 1000
    calls = []

    def counting(values: Any) -> float:
        calls.append(values)
        return math.fsum(values)

    assert _HELPER(statistics.mean, ladder, _fsum=counting) == statistics.mean(ladder)
    assert len(calls) <= 4


def test_a_module_named_statistics_in_the_repository_refuses_the_rule() -> None:
    """Guards against a script beside its own `statistics.py`: `import statistics` there
    (and the helper's) finds the local module, whose `mean` rounds differently."""
    texts = {
        "scripts/report.py": "import statistics\n\n\ndef f(xs):\n    return statistics.mean(xs)\n",
        "scripts/statistics.py": "def mean(xs):\n    return round(sum(xs) / len(xs), 2)\n",
    }
    with pytest.raises(StepFailed):
        run_step(texts, Step("exact-mean", "scripts/report.py", "f"), verify=False)


def test_calls_in_annotations_are_left_as_written() -> None:
    source = (
        "from __future__ import annotations\nimport statistics\n\n\n"
        "def f(xs) -> statistics.mean([0.3]):\n    y: statistics.mean([0.1]) = 1\n"
        "    return statistics.mean(xs)\n"
    )
    text = helpers.rewrite(source, "exact-mean", "f")
    assert text is not None
    assert "-> statistics.mean([0.3])" in text and "y: statistics.mean([0.1]) = 1" in text
    assert "return _exact_mean(statistics.mean, xs)" in text


def test_the_fallback_runs_outside_the_helpers_own_error_handling() -> None:
    """Guards against statistics.mean's own error carrying fsum's OverflowError as its
    context (it ran inside the `except` that caught it)."""

    def overflowing(values: Any) -> float:
        raise OverflowError("intermediate overflow in fsum")

    def failing(data: Any) -> float:
        raise KeyError("from the mean itself")

    with pytest.raises(KeyError) as raised:
        _HELPER(failing, [1.0, 2.0], _real=failing, _fsum=overflowing)
    assert raised.value.__context__ is None


def test_a_long_generator_is_handed_over_instead_of_kept_whole() -> None:
    """Guards against keeping every item of a long generator (statistics.mean streams it)."""
    given = []

    def recording(data: Any) -> float:
        given.append(type(data))
        return statistics.mean(data)

    items = (float(i) for i in range(70_000))
    assert _HELPER(recording, items, _real=recording) == statistics.mean(
        float(i) for i in range(70_000)
    )
    assert given and given[0] is not list
