"""prefix-aggregate-guarded: the running max/min/sum of a growing prefix of a sequence of
unknown type, used while it is a list or tuple of numbers. Before/after, and refusals."""

from __future__ import annotations

import pytest

from tests.models.rules_corpus import helpers

rewrite = helpers.rewrite

DRAWDOWN = """
def f(prices):
    out = []
    for i in range(len(prices)):
        peak = max(prices[: i + 1])
        out.append(peak - prices[i])
    return out
"""


def test_guarded_prefix_max_checks_the_sequence_and_each_element() -> None:
    text = rewrite(DRAWDOWN, "prefix-aggregate-guarded", "f")
    assert text is not None
    assert "prices_max_numeric = type(prices) is list or type(prices) is tuple\n" in text
    assert "if type(prices_item) is int or type(prices_item) is float:" in text
    assert "peak = (prices_max if prices_max_numeric else max(prices[: i + 1]))" in text
    f = helpers.run_module(text, "guarded_prefix_mod")["f"]
    assert f([1, 3, 2.5, 7]) == [0, 0, 0.5, 0]
    with pytest.raises(TypeError):
        f([2, "a"])  # the rescan runs once a str turns up, and raises as before


def test_guarded_prefix_sum_serves_only_ints() -> None:
    text = rewrite(DRAWDOWN.replace("max(", "sum("), "prefix-aggregate-guarded", "f")
    assert text is not None
    assert "if type(prices_item) is int:\n" in text


@pytest.mark.parametrize(
    "source",
    [
        DRAWDOWN.replace("def f(prices):", "def f(prices: list[int]):"),  # the plain rule's
        DRAWDOWN.replace("out.append(peak - prices[i])", "prices[i] = peak"),  # stored into
        DRAWDOWN.replace("range(len(prices))", "range(len(prices) - 1)"),
        DRAWDOWN.replace("    out = []\n", "    out = []\n    float = int\n"),  # shadowed
        DRAWDOWN.replace("prices[: i + 1]", "prices[1 : i + 1]"),
    ],
    ids=["typed", "stored", "other-bound", "shadowed", "not-a-prefix"],
)
def test_guarded_prefix_refuses(source: str) -> None:
    assert rewrite(source, "prefix-aggregate-guarded", "f") is None
