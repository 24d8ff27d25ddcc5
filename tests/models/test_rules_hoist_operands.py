"""hoist-pure-call shares one result among the iterations of a loop whose local only reads
it as an operand (`amount * shares / total`) or as an argument a call neither changes,
keeps nor hands back (`Fraction(part, total)`): the "share of the total" loop that sums the
whole collection again for each of its elements. Before/after, one-shot iterators, and
refusals where the local could be changed or kept."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from tests.models.rules_corpus import helpers

RULE = "hoist-pure-call"

SHARES = """
from fractions import Fraction


def share_out(amount, members):
    out = []
    for member_id, shares in members:
        total = sum(s for _, s in members)
        out.append((member_id, Fraction(amount * shares, total), f"{shares / total:.2%}"))
    return out
"""


def outcome(fn: Any, *args: Any) -> Any:
    try:
        return ("ok", fn(*args))
    except Exception as e:
        return ("raised", type(e), str(e))


def test_a_total_read_as_an_operand_and_a_fraction_argument_is_summed_once() -> None:
    text = helpers.rewrite(SHARES, RULE, "share_out")
    assert text is not None
    body = helpers.body_of(text, "share_out")
    assert "            sum_value = sum(s for _, s in members)\n        total = sum_value\n" in body
    before = helpers.run_module(SHARES, "shares_before")["share_out"]
    after = helpers.run_module(text, "shares_after")["share_out"]
    for amount, members in (
        (100, [("a", 1), ("b", 3)]),
        (7, [("a", Fraction(1, 3)), ("b", 2)]),
        (5, []),
        (5, [("a", 0)]),  # ZeroDivisionError at the first member, both ways
        (5, [("a", 1), ("b", "x")]),  # TypeError from sum, both ways
    ):
        assert repr(outcome(after, amount, list(members))) == repr(
            outcome(before, amount, list(members))
        )
        # a one-shot iterator: the original's inner sum uses up the rest of it
        assert repr(outcome(after, amount, iter(members))) == repr(
            outcome(before, amount, iter(members))
        )


@pytest.mark.parametrize(
    "old, new",
    [
        ("        out.append((member_id,", "        kept = total\n        out.append((member_id,"),
        ("        out.append((member_id,", "        out.append(lambda: total)\n        out.append((member_id,"),
        ("        out.append((member_id,", "        remember(total)\n        out.append((member_id,"),
        ("    out = []\n", "    out = []\n    total = 0\n"),
    ],
    ids=["aliased", "nested-scope", "kept-by-callee", "bound-twice"],
)  # fmt: skip
def test_refuses_a_total_that_is_not_only_read(old: str, new: str) -> None:
    source = SHARES + "\n\nSEEN = []\n\n\ndef remember(value):\n    SEEN.append(value)\n"
    assert old in source
    assert helpers.rewrite(source.replace(old, new, 1), RULE, "share_out") is None
