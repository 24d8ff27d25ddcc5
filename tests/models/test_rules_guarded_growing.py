"""running-min-max-guarded: the running min/max/sum of a growing list of values of unknown
type, kept while they are ints and one other kind of number. Before/after, and where the
precondition fails (behaviour on mixed numbers is checked in the equivalence corpus)."""

from __future__ import annotations

import pytest

from tests.models.rules_corpus import helpers

rewrite = helpers.rewrite

PEAKS = """
def f(values):
    seen = []
    out = []
    for value in values:
        seen.append(value)
        out.append(max(seen))
    return out
"""


def test_guarded_running_max_keeps_the_list_and_falls_back_for_other_values() -> None:
    text = rewrite(PEAKS, "running-min-max-guarded", "f")
    assert text is not None
    compile(text, "mod.py", "exec")
    assert "        seen_item = value\n        seen.append(seen_item)\n" in text
    assert "seen_kind = type(seen_item)" in text
    assert "seen_kind is int or seen_kind is seen_family" in text
    assert "out.append((seen_max if seen_numeric else max(seen)))" in text
    assert rewrite(PEAKS, "running-min-max", "f") is None  # unknown types are not its case


def test_guarded_running_max_is_left_to_the_plain_rule_for_known_numbers() -> None:
    source = PEAKS.replace("def f(values):", "def f(values: list[int]):")
    assert rewrite(source, "running-min-max-guarded", "f") is None
    assert rewrite(source, "running-min-max", "f") is not None


@pytest.mark.parametrize(
    "source",
    [
        PEAKS.replace("out.append(max(seen))", "out.append(max(seen))\n        seen.sort()"),
        PEAKS.replace("out.append(max(seen))", "out.append(max(seen, key=abs))"),
        PEAKS.replace("    out = []\n", "    out = []\n    int = str\n"),  # shadowed
        PEAKS.replace("    seen = []\n", "    seen = [0]\n"),  # not empty at the start
        PEAKS.replace(
            "        seen.append(value)\n        out.append(max(seen))\n",
            "        out.append(max(seen) if seen else None)\n        seen.append(value)\n",
        ),
    ],
    ids=["other-use", "key", "shadowed-int", "not-empty", "read-before-append"],
)
def test_guarded_running_max_refuses(source: str) -> None:
    assert rewrite(source, "running-min-max-guarded", "f") is None


RULE = "running-min-max-guarded"
LEDGER = """
from decimal import Decimal
from fractions import Fraction


def f(values, log):
    pnls = []
    out = []
    for value in values:
        pnls.append(value)
        out.append(sum(pnls, Decimal(0)))
    return out
"""


def test_a_running_sum_never_runs_on_floats_or_decimals() -> None:
    text = rewrite(LEDGER.replace("sum(pnls, Decimal(0))", "sum(pnls, -2)"), RULE, "f")
    assert text is not None
    assert "pnls_sum = -2" in text
    assert "in (fractions.Fraction,)" in text  # floats: 3.12 sums them apart; Decimals round
    assert "(pnls_sum if pnls_numeric else sum(pnls, -2))" in text


@pytest.mark.parametrize(
    "source",
    [
        # found by a review: a Decimal start (its additions round, trap and overflow under
        # the context of the moment, and `-Decimal(..)` rounds where it is evaluated), a
        # Fraction start (`Fraction(1, 0)` raises where the original never evaluates it)
        LEDGER,
        LEDGER.replace("Decimal(0)", "-Decimal('1.23456789')"),
        LEDGER.replace("Decimal(0)", "Fraction(1, 0)"),
        # sums from different starts, or from anything but an int literal
        LEDGER.replace(
            "out.append(sum(pnls, Decimal(0)))", "out.append((sum(pnls), sum(pnls, 1)))"
        ),
        LEDGER.replace("Decimal(0)))", "len(out)))"),
        LEDGER.replace("sum(pnls, Decimal(0))", "sum(pnls, start=[])"),
    ],
)
def test_running_sum_refused(source: str) -> None:
    assert rewrite(source, "running-min-max-guarded", "f") is None


def test_an_int_sum_in_a_loop_with_effects_is_still_kept() -> None:
    source = LEDGER.replace(
        "        out.append(sum", "        log.append(1)\n        out.append(sum"
    )
    source = source.replace("sum(pnls, Decimal(0))", "sum(pnls)")
    text = rewrite(source, "running-min-max-guarded", "f")
    assert text is not None
    assert "in (fractions.Fraction,)" in text
