"""Generalization on nearby inputs that leave the base almost no work: an index the head
builds once per call is no fast path for the benchmark's inputs, and a real fast path is
still caught on the slots that cost the base as much as the captured call."""

from __future__ import annotations

import pytest

from profilers.checks.behaviour import behaviour
from profilers.checks.generalization import CHEAP, generalization, lagging, without_raised
from profilers.checks.perturbed import perturbed
from profilers.config import MeasureConfig
from profilers.evaluate import Cascade, equivalence, walltime
from profilers.stats import decide
from profilers.workload import Workload
from tests.profilers.conftest import OpenPair

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
    c = Cascade(base, head, Workload("command", "python3 bench.py"), None, CONFIG, print)
    for stage in (equivalence, walltime, behaviour, perturbed, generalization):
        assert stage(c) is None, c.checks[-1].reason
    found = {ch.name: ch for ch in c.checks}["generalization"]
    assert found.passed is not False, found.reason


def _series(base_s: float, ratio: float) -> tuple[list[float], list[float]]:
    spread = [1.0, 1.01, 0.99, 1.02, 0.98, 1.0]
    return [base_s * s for s in spread], [base_s * ratio * s for s in spread]


def test_a_slot_where_the_base_raised_is_no_evidence_of_a_fast_path() -> None:
    """Regression: markbook's build_reports was rejected as overfit. Fresh nearby inputs are
    drawn for every pair, unchecked; a resized roster missing a student sent both sides
    down the same error path in a moment, which read as "not faster on that slot"."""
    got = {
        "captured": _series(1.0, 0.4),
        "f|captured": _series(1.0, 0.4),
        "f|argument 0 shuffled": _series(1.0, 0.4),
        "f|argument 1 resized": _series(0.5, 1.0),  # the base raised there
    }
    got["perturbed"] = tuple(  # type: ignore[assignment]
        [
            a + b
            for a, b in zip(
                got["f|argument 0 shuffled"][side], got["f|argument 1 resized"][side], strict=True
            )
        ]
        for side in (0, 1)
    )
    judged = {k: decide(b, h, CONFIG) for k, (b, h) in got.items()}
    assert lagging(judged) == {"f": ["argument 1 resized"]}  # type: ignore[arg-type]
    kept = without_raised(got, {"f|argument 1 resized"})
    assert "f|argument 1 resized" not in kept
    assert kept["perturbed"] == got["f|argument 0 shuffled"]
    assert lagging({k: decide(b, h, CONFIG) for k, (b, h) in kept.items()}) == {}  # type: ignore[arg-type]
    assert "perturbed" not in without_raised(got, {"f|argument 0 shuffled", "f|argument 1 resized"})
