"""Generalization on nearby inputs that leave the base almost no work: an index the head
builds once per call is no fast path for the benchmark's inputs, and a real fast path is
still caught on the slots that cost the base as much as the captured call."""

from __future__ import annotations

import pytest

from profilers.checks.generalization import CHEAP, add_pair, lagging
from profilers.config import MeasureConfig
from profilers.stats import decide
from tests.profilers.conftest import OpenPair, generalization_of

CONFIG = MeasureConfig(instructions="never")


def _verdict(base_s: float, ratio: float) -> object:
    spread = [1.0, 1.01, 0.99, 1.02, 0.98, 1.0]
    return decide([base_s * s for s in spread], [base_s * ratio * s for s in spread], CONFIG)


def test_a_slot_almost_free_for_the_base_is_no_evidence_of_a_fast_path() -> None:
    """Regression: the routes dev project's edge index was rejected as overfit. A start that
    is nowhere in the graph leaves the base one scan of the edges, where the head first builds
    its index: 15x slower there, 4x faster on every input that asks for a search."""
    verdicts = {
        "captured": _verdict(1.0, 0.25),
        "perturbed": _verdict(1.0, 0.26),
        "f|captured": _verdict(1.0, 0.25),
        "f|argument 0 shuffled": _verdict(1.0, 0.25),
        "f|argument 1 with one element changed": _verdict(0.001, 15.0),
    }
    assert lagging(verdicts) == {}  # type: ignore[arg-type]


@pytest.mark.parametrize("share", [CHEAP * 1.5, 0.5, 1.0, 2.0])
def test_a_fast_path_lags_on_a_slot_that_costs_the_base_as_much(share: float) -> None:
    """Guards the exemption's reach: only slots far cheaper for the base are set aside."""
    verdicts = {
        "captured": _verdict(1.0, 0.05),
        "perturbed": _verdict(1.0, 0.2),
        "f|captured": _verdict(1.0, 0.05),
        "f|argument 0 shuffled": _verdict(share, 1.0),
    }
    assert lagging(verdicts) == {"f": ["argument 0 shuffled"]}  # type: ignore[arg-type]


def test_all_nearby_inputs_together_still_count_when_every_slot_is_cheap() -> None:
    verdicts = {
        "captured": _verdict(1.0, 0.05),
        "perturbed": _verdict(0.05, 1.0),
        "f|captured": _verdict(1.0, 0.05),
        "f|argument 0 resized": _verdict(0.05, 1.0),
    }
    assert lagging(verdicts) == {"all changed functions": ["perturbed"]}  # type: ignore[arg-type]


GRAPH = """
def neighbours(edges, node):
    return [b for a, b in edges if a == node]


def reach(edges, start):
    seen = {start}
    queue = [start]
    while queue:
        node = queue.pop()
        for nxt in NEIGHBOURS:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return len(seen)
"""
BASE = GRAPH.replace("NEIGHBOURS", "neighbours(edges, node)")
HEAD = GRAPH.replace("NEIGHBOURS", "index.get(node, ())").replace(
    "    seen = {start}\n",
    "    index = {}\n    for a, b in edges:\n        index.setdefault(a, []).append(b)\n"
    "    seen = {start}\n",
)
BENCH = """import random

from lib import reach

rng = random.Random(5)
names = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(9)) for _ in range(300)]
edges = [(rng.choice(names), rng.choice(names)) for _ in range(1200)]
print(reach(edges, names[0]))
"""


@pytest.mark.slow
def test_an_index_built_per_call_passes_generalization(open_pair: OpenPair) -> None:
    base, head = open_pair({"lib.py": BASE, "bench.py": BENCH}, {"lib.py": HEAD})
    found = generalization_of(base, head, CONFIG)
    assert found.passed is not False, found.reason


def test_a_nearby_input_on_which_the_base_raised_is_no_evidence_of_a_fast_path() -> None:
    """Regression: markbook's build_reports was rejected as overfit. Fresh nearby inputs are
    drawn for every pair, unchecked; a resized roster missing a student sent both sides
    down the same error path in a moment, which read as "not faster on that slot". Only that
    pair's sample of that slot is left out (a slot may also be missing from some pairs)."""
    got: dict[str, tuple[list[float], list[float]]] = {}
    spread = [1.0, 1.01, 0.99, 1.02, 0.98, 1.0]
    for n, s in enumerate(spread):
        base = {"captured": s, "f|captured": s, "f|argument 0 shuffled": s}
        head = {"captured": 0.4 * s, "f|captured": 0.4 * s, "f|argument 0 shuffled": 0.4 * s}
        if n % 2:  # the base raised on this pair's resized input: both sides fast
            base.update({"f|argument 1 resized": 0.01, "raised:f|argument 1 resized": 1.0})
            head["f|argument 1 resized"] = 0.01
        else:
            base["f|argument 1 resized"], head["f|argument 1 resized"] = s, 0.4 * s
        if n == 4:  # a slot drawn in some pairs only
            base["f|argument 2 resized"], head["f|argument 2 resized"] = s, 0.4 * s
        assert add_pair(got, base, head) == (1 if n % 2 else 0)
    assert len(got["f|argument 1 resized"][0]) == 3 == len(got["f|argument 1 resized"][1])
    assert len(got["perturbed"][0]) == 6 == len(got["perturbed"][1])
    assert got["perturbed"][0][4] == 1.0 * 0.98 * 3  # the three slots of pair 4
    judged = {k: decide(b, h, CONFIG) for k, (b, h) in got.items() if len(b) >= 2}
    assert lagging(judged) == {}  # type: ignore[arg-type]
