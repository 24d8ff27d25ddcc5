"""math-prod and int-sum also take the update spelled out (`p = p * x`, `t = t + x`), and
only that spelling: before/after and refusals."""

from __future__ import annotations

import pytest

from tests.models.rules_corpus import helpers

PROD = """
def product(xs: list[int]) -> int:
    p = 1
    for x in xs:
        p = p * x
    return p
"""

TOTAL = """
def total(xs: list[int]) -> int:
    t = 0
    for x in xs:
        if x > 0:
            t = t + x * 2
    return t
"""


def test_a_spelled_out_product_becomes_math_prod() -> None:
    text = helpers.rewrite(PROD, "math-prod", "product")
    assert text is not None
    assert "    p = math.prod(xs)\n    return p\n" in text
    before = helpers.run_module(PROD, "fold_prod_a")["product"]
    after = helpers.run_module(text, "fold_prod_b")["product"]
    for xs in ([], [3], [2, -5, 7], [True, 4]):
        assert after(xs) == before(xs)


def test_a_spelled_out_int_total_becomes_sum() -> None:
    text = helpers.rewrite(TOTAL, "int-sum", "total")
    assert text is not None
    assert "    t = sum(x * 2 for x in xs if x > 0)\n" in text
    before = helpers.run_module(TOTAL, "fold_sum_a")["total"]
    after = helpers.run_module(text, "fold_sum_b")["total"]
    for xs in ([], [3, -1, 4], [True, 2]):
        assert after(xs) == before(xs)


@pytest.mark.parametrize(
    "update",
    ["p = x * p", "p = p * x * 2", "p = (p) * x", "q = p * x", "p = p + x", "p = p * p"],
    ids=["operand-order", "longer-chain", "parenthesized", "other-target", "other-op", "self"],
)
def test_other_spellings_are_refused(update: str) -> None:
    source = PROD.replace("p = p * x", update)
    assert helpers.rewrite(source, "math-prod", "product") is None
