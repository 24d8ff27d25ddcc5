"""Generalization on a slot that lost pairs to nearby inputs on which the base raised: those
pairs are left out, and a slot left with fewer than five cannot give a "faster" verdict at
any ratio (the exact rank test's smallest p for 4 against 4 is 1/70). More pairs are drawn
for it, so it is judged on evidence; a slot still short is judged as any other."""

from __future__ import annotations

import pytest

from profilers.checks.generalization import enough, lagging, short
from profilers.config import MeasureConfig
from profilers.stats import decide
from tests.profilers.conftest import OpenPair, generalization_of

CONFIG = MeasureConfig(instructions="never")
SPREAD = [1.0, 1.03, 0.97, 1.05, 0.95, 1.01, 0.99]
SLOT = "f|argument 0 resized"


def _verdict(ratio: float, pairs: int = 7) -> object:
    spread = SPREAD[:pairs]
    return decide(spread, [ratio * s for s in spread], CONFIG)


def test_five_pairs_are_the_fewest_that_can_be_judged_faster_at_the_default_level() -> None:
    assert enough(0.01) == 5 and enough(0.05) == 4 and enough(0.002) == 6
    assert enough(0.0) == 64  # a level no test reaches: no pairs are added for it


def test_a_slot_that_lost_pairs_to_raising_inputs_asks_for_more_pairs() -> None:
    got = {SLOT: ([1.0] * 4, [0.5] * 4), "f|captured": ([1.0] * 5, [0.5] * 5)}
    assert short(got, {SLOT}, 0.01, left=5)
    got[SLOT] = ([1.0] * 5, [0.5] * 5)
    assert not short(got, {SLOT}, 0.01, left=5)
    assert not short({SLOT: ([1.0] * 2, [0.5] * 2)}, set(), 0.01, left=5)  # none raised


def test_no_pairs_are_added_for_a_slot_that_cannot_get_enough() -> None:
    """Review finding: where the base raised on a slot in every pair, five more pairs were
    drawn (ten more replay processes) for a slot that still kept nothing."""
    assert not short({}, {SLOT}, 0.01, left=5)  # kept nothing: the base raises there
    assert not short({SLOT: ([1.0], [0.5])}, {SLOT}, 0.01, left=3)  # 1 + 3 < 5
    assert short({SLOT: ([1.0], [0.5])}, {SLOT}, 0.01, left=4)


@pytest.mark.parametrize(("ratio", "pairs"), [(1.0, 3), (1.0, 4), (0.99, 4), (0.47, 4)])
def test_a_slot_still_short_is_judged_as_any_other(ratio: float, pairs: int) -> None:
    """Guards the check's strength: a slot that could not be judged faster, with an interval
    wholly above the captured calls', lags however few its samples."""
    verdicts = {
        "captured": _verdict(0.2),
        "perturbed": _verdict(0.3),
        "f|captured": _verdict(0.2),
        SLOT: _verdict(ratio, pairs=pairs),
    }
    assert lagging(verdicts) == {"f": ["argument 0 resized"]}  # type: ignore[arg-type]


MARKS = """
def averages(table, weights):
    for row in table:
        if row[1] not in weights:
            raise KeyError(row[1])
    out = {}
    for student in STUDENTS:
        own = ROWS
        out[student] = sum(r[2] * weights[r[1]] for r in own) / len(own)
    return out
"""
BASE = MARKS.replace("STUDENTS", "dict.fromkeys(r[0] for r in table)").replace(
    "ROWS", "[r for r in table if r[0] == student]"
)
HEAD = (
    MARKS.replace("STUDENTS", "groups")
    .replace("ROWS", "groups[student]")
    .replace(
        "    out = {}\n",
        "    out = {}\n    groups = {}\n    for r in table:\n"
        "        groups.setdefault(r[0], []).append(r)\n",
    )
)
BENCH = """import random

from lib import averages

rng = random.Random(3)
weights = {"maths": 2, "art": 1}
table = [(f"s{rng.randrange(300)}", rng.choice(["maths", "art"]), rng.randrange(100))
         for _ in range(3000)]
print(round(sum(averages(table, weights).values()), 6))
"""


@pytest.mark.slow
def test_an_honest_grouping_pass_is_judged_on_enough_pairs(open_pair: OpenPair) -> None:
    """Regression (markbook): a changed subject makes the base raise on many nearby inputs of
    the mark table; those pairs are left out and more pairs are drawn, so each slot is judged
    on samples that could show it faster, and the grouping pass passes."""
    base, head = open_pair({"lib.py": BASE, "bench.py": BENCH}, {"lib.py": HEAD})
    found = generalization_of(base, head, CONFIG)
    assert found.passed is not False, found.reason
    if found.passed:  # judged (a loaded machine may fail a timing run: then not judged)
        assert found.evidence["left_out"] > 0 and found.evidence["n_pairs"] > 5
