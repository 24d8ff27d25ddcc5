"""Which candidates to build on next, and when the search has stopped finding anything.

Parents are drawn at random with weights that favour the Pareto front (exploit) while
keeping every sound candidate not measured slower possible and discounting parents that
already have many children (explore). It follows the shape of ShinkaEvolve's weighted-sigmoid sampling with
a children penalty, re-derived for Pareto ranks instead of a scalar score:

    w_i = sigmoid(sharpness * (median_rank - rank_i)) / (1 + children_penalty * children_i)

Rank 0 is the front (non-dominated under the CI-aware dominance of `agent.loop.pareto`), rank 1
the front of what remains, and so on. Overlapping confidence intervals decide nothing, so
candidates whose intervals overlap share a rank.
"""

from __future__ import annotations

import math
import random
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from agent.exceptions import BadInput
from agent.loop.pareto import Point, dominates, point_of
from storage.models import Candidate
from storage.vocabulary import EVALUATED, IMPROVING, PARENTS


@dataclass(frozen=True)
class SelectionConfig:
    """How strongly parent choice prefers the front over exploring."""

    sharpness: float = 2.0
    """Slope of the sigmoid over ranks: 0 treats every rank alike, large values pick only the front."""
    children_penalty: float = 1.0
    """How much each existing child discounts a parent: weight / (1 + penalty * children)."""


def eligible(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Sound, measured candidates not found slower, in id order (so results do not depend on
    input order)."""
    return sorted(
        (
            c
            for c in candidates
            if c.status in PARENTS
            and c.runtime_ratio is not None
            and c.tests_passed is not False
            and c.equivalent is not False
        ),
        key=lambda c: c.id,
    )


def front_ranks(points: Sequence[Point]) -> dict[int, int]:
    """Non-dominated sorting: id -> 0 for the front, 1 for the front of the rest, ..."""
    ranks: dict[int, int] = {}
    remaining = list(points)
    rank = 0
    while remaining:
        layer = [p for p in remaining if not any(dominates(q, p) for q in remaining if q is not p)]
        for p in layer:
            ranks[p.id] = rank
        remaining = [p for p in remaining if p.id not in ranks]
        rank += 1
    return ranks


def rank_weights(pool: Sequence[Candidate], config: SelectionConfig) -> dict[int, float]:
    """The front-rank part of each weight: a sigmoid centred on the median rank."""
    ranks = front_ranks([point_of(c) for c in pool])
    middle = statistics.median(ranks.values())
    return {i: _sigmoid(config.sharpness * (middle - r)) for i, r in ranks.items()}


def parent_weights(
    candidates: Sequence[Candidate], config: SelectionConfig | None = None
) -> dict[int, float]:
    """Selection weight of every eligible candidate (unnormalized); children are counted by
    `parent_id` over all of `candidates`, whatever their status."""
    cfg = config or SelectionConfig()
    pool = eligible(candidates)
    if not pool:
        return {}
    children = Counter(c.parent_id for c in candidates if c.parent_id is not None)
    return {
        i: w / (1.0 + cfg.children_penalty * children[i])
        for i, w in rank_weights(pool, cfg).items()
    }


def choose_parents(
    candidates: Sequence[Candidate],
    k: int,
    rng: random.Random,
    config: SelectionConfig | None = None,
) -> list[int]:
    """Draw `k` parent ids; an empty list means "start from the baseline".

    Each draw counts as a child of the drawn parent before the next draw, so one call
    spreads its picks the way successive rounds would; an id repeats only when the pool is
    small. Deterministic for a seeded `rng`.
    """
    if k < 0:
        raise BadInput(f"cannot choose {k} parents: k must be 0 or more")
    cfg = config or SelectionConfig()
    pool = eligible(candidates)
    if not pool or k == 0:
        return []
    base = rank_weights(pool, cfg)
    children = Counter(c.parent_id for c in candidates if c.parent_id is not None)
    ids = [c.id for c in pool]
    picks: list[int] = []
    for _ in range(k):
        weights = [base[i] / (1.0 + cfg.children_penalty * children[i]) for i in ids]
        [chosen] = rng.choices(ids, weights=weights)
        picks.append(chosen)
        children[chosen] += 1
    return picks


def joined_front(history: Sequence[Candidate]) -> list[bool]:
    """For each evaluated candidate in evaluation order: was it on the front when it arrived?

    A candidate joins when it improved on the baseline and no earlier improving candidate
    dominates it; with overlapping intervals nothing dominates, so it joins.
    """
    seen: list[Point] = []
    joined: list[bool] = []
    for c in evaluated(history):
        if c.status not in IMPROVING or c.runtime_ratio is None:
            joined.append(False)
            continue
        p = point_of(c)
        joined.append(not any(dominates(q, p) for q in seen))
        seen.append(p)
    return joined


def evaluated(history: Sequence[Candidate]) -> list[Candidate]:
    return sorted((c for c in history if c.status in EVALUATED), key=lambda c: c.id)


def should_stop(history: Sequence[Candidate], patience: int) -> bool:
    """True when none of the last `patience` evaluated candidates joined the front.

    Fewer than `patience` evaluations never stop the search: it has not had its chance yet.
    """
    if patience < 1:
        raise BadInput(f"patience must be 1 or more, not {patience}")
    joined = joined_front(history)
    return len(joined) >= patience and not any(joined[-patience:])


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))
