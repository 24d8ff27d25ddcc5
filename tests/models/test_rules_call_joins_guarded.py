"""join-index-call on a helper that skips the other records with a `continue` guard (`if
r.key != q: continue`, or `... or rest`) before the rest of its loop body: the same records
reach the rest, in the same order, with or without the index. Before/after and refusals."""

from __future__ import annotations

import pytest

from tests.models.rules_corpus import helpers

TOTALS = """
def total_of(customer, orders):
    total = 0
    for order in orders:
        if order.customer != customer.ident or order.void:
            continue
        total += order.amount
        if total > 1000:
            break
    return total


def totals(customers, orders):
    out = []
    for c in customers:
        out.append(total_of(c, orders))
    return out
"""


class _Rec:
    def __init__(self, **fields: object) -> None:
        self.__dict__.update(fields)

    def __repr__(self) -> str:
        return repr(self.__dict__)


def test_a_continue_guard_lets_the_same_records_on() -> None:
    text = helpers.rewrite(TOTALS, "join-index-call", "totals")
    assert text is not None
    assert "total_of(c, _candidates(orders_groups, orders, " in text
    before = helpers.run_module(TOTALS, "guard_before")["totals"]
    after = helpers.run_module(text, "guard_after")["totals"]
    keys = ["a", "b", 1, 1.0, True, "a", None, "b", "a"]
    orders = [
        _Rec(customer=k, void=n % 4 == 3, amount=300 * (n % 3 + 1)) for n, k in enumerate(keys)
    ]
    customers = [_Rec(ident=i) for i in ("a", "b", 1, True, None, "zz")]
    assert after(customers, orders) == before(customers, orders)
    assert after(customers, orders[:1]) == before(customers, orders[:1])
    assert after(customers, []) == before(customers, [])


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("            continue\n", "            return total\n"),  # leaves instead of skipping
        ("!= customer.ident or", "!= customer.ident and"),  # skips fewer records
        ("!= customer.ident or", "== customer.ident or"),
        ("    return total\n", "    return total, order\n"),  # the last record read
    ],
    ids=["return-not-continue", "and-not-or", "equal-not-unequal", "record-after-the-loop"],
)
def test_refusals(old: str, new: str) -> None:
    source = TOTALS.replace(old, new, 1)
    assert source != TOTALS
    compile(source, "mod.py", "exec")
    assert helpers.rewrite(source, "join-index-call", "totals") is None
