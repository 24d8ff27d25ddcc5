"""Generalization on a slot left with few samples: where the base raised on most of a slot's
nearby inputs, the few pairs left cannot give a "faster" verdict at any ratio. Such a slot
counts on its own only when it shows no clear gain; all nearby inputs together are always
judged."""

from __future__ import annotations

import pytest

from profilers.checks.behaviour import behaviour
from profilers.checks.generalization import generalization, lagging, short
from profilers.checks.perturbed import perturbed
from profilers.config import MeasureConfig
from profilers.evaluate import Cascade, equivalence, walltime
from profilers.stats import decide
from profilers.workload import Workload
from tests.profilers.conftest import OpenPair

CONFIG = MeasureConfig(instructions="never")
SPREAD = [1.0, 1.03, 0.97, 1.05, 0.95, 1.01, 0.99]


def _verdict(ratio: float, pairs: int = 7) -> object:
    spread = SPREAD[:pairs]
    return decide(spread, [ratio * s for s in spread], CONFIG)


def test_a_slot_with_too_few_samples_to_be_judged_is_not_taken_for_a_fast_path() -> None:
    """Regression: markbook's student_averages (a group-by-call pass) was rejected as overfit.
    A changed subject in the mark table made the base raise on most draws, leaving four
    pairs at x0.47: clearly faster, but a rank test of 4 against 4 never reaches p < 0.01."""
    few = _verdict(0.47, pairs=4)
    assert few.verdict != "faster" and few.ci_high < 1.0  # type: ignore[attr-defined]
    verdicts = {
        "captured": _verdict(0.33),
        "perturbed": _verdict(0.34),
        "f|captured": _verdict(0.33),
        "f|argument 0 shuffled": _verdict(0.31),
        "f|argument 0 with one element changed": few,
    }
    assert few.ci_low > verdicts["f|captured"].ci_high  # type: ignore[attr-defined]
    assert lagging(verdicts) == {}  # type: ignore[arg-type]


@pytest.mark.parametrize(("ratio", "pairs"), [(1.0, 3), (1.0, 4), (0.99, 4), (0.5, 2)])
def test_a_slot_with_few_samples_and_no_clear_gain_still_lags(ratio: float, pairs: int) -> None:
    """Guards the exemption's reach: a fast path for the benchmark's own inputs shows no gain,
    or less than the least that counts, on a nearby input however few its samples; two pairs
    are no evidence of a gain."""
    verdicts = {
        "captured": _verdict(0.2),
        "perturbed": _verdict(0.5),
        "f|captured": _verdict(0.2),
        "f|argument 0 with one element changed": _verdict(ratio, pairs=pairs),
    }
    assert lagging(verdicts) == {"f": ["argument 0 with one element changed"]}  # type: ignore[arg-type]


def test_all_nearby_inputs_together_are_judged_however_few_their_samples() -> None:
    verdicts = {
        "captured": _verdict(0.2),
        "perturbed": _verdict(0.9, pairs=4),
        "f|captured": _verdict(0.2),
    }
    assert lagging(verdicts) == {"all changed functions": ["perturbed"]}  # type: ignore[arg-type]


def test_a_slot_with_enough_samples_is_judged_as_before() -> None:
    verdicts = {
        "captured": _verdict(0.2),
        "perturbed": _verdict(0.3),
        "f|captured": _verdict(0.2),
        "f|argument 1 resized": _verdict(0.985),
    }
    assert verdicts["f|argument 1 resized"].verdict != "faster"  # type: ignore[attr-defined]
    assert lagging(verdicts) == {"f": ["argument 1 resized"]}  # type: ignore[arg-type]


def test_a_slot_that_lost_pairs_to_raising_inputs_asks_for_more_pairs() -> None:
    """Four pairs against four never reach p < 0.01 (the smallest p is 1/70): a slot that
    lost one of five pairs to an input the base raised on is short until it has five."""
    got = {"f|argument 0 resized": ([1.0] * 4, [0.5] * 4), "f|captured": ([1.0] * 5, [0.5] * 5)}
    assert short(got, {"f|argument 0 resized"}, 0.01)
    got["f|argument 0 resized"] = ([1.0] * 5, [0.5] * 5)
    assert not short(got, {"f|argument 0 resized"}, 0.01)
    assert short({}, {"f|argument 0 resized"}, 0.01)  # every pair raised so far
    assert not short({"f|argument 0 resized": ([1.0] * 2, [0.5] * 2)}, set(), 0.01)


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
        "    out = {}\n    groups = {}\n    for r in table:\n        groups.setdefault(r[0], []).append(r)\n",
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
    c = Cascade(base, head, Workload("command", "python3 bench.py"), None, CONFIG, print)
    for stage in (equivalence, walltime, behaviour, perturbed, generalization):
        assert stage(c) is None, c.checks[-1].reason
    found = {ch.name: ch for ch in c.checks}["generalization"]
    assert found.passed is not False, found.reason
    evidence = found.evidence or {}
    assert evidence["left_out"] > 0 and evidence["n_pairs"] > 5  # pairs were added
