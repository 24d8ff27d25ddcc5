"""Parent selection weighs front rank against children; convergence waits for patience."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from agent.exceptions import BadInput
from agent.loop.pareto import point_of as to_point
from agent.loop.selection import (
    SelectionConfig,
    choose_parents,
    front_ranks,
    joined_front,
    parent_weights,
    should_stop,
)
from storage import Store, sqlite_url
from storage.models import Candidate


def cand(id: int, ratio: float | None, half_ci: float = 0.02, **fields: Any) -> Candidate:
    """A transient candidate: runtime ratio with a symmetric CI, status faster by default."""
    defaults: dict[str, Any] = {
        "status": "faster",
        "diff": "+x\n",
        "tests_passed": True,
        "equivalent": True,
        "parent_id": None,
    }
    if ratio is not None:
        defaults.update(runtime_ratio=ratio, ci_low=ratio - half_ci, ci_high=ratio + half_ci)
    return Candidate(id=id, **{**defaults, **fields})


def test_overlapping_intervals_share_the_front() -> None:
    """Guards against ranking by point estimate: 0.80 and 0.82 with overlapping CIs are
    indistinguishable, so neither may be preferred."""
    cands = [cand(1, 0.80, 0.05), cand(2, 0.82, 0.05), cand(3, 0.79, 0.05)]
    assert front_ranks([to_point(c) for c in cands]) == {1: 0, 2: 0, 3: 0}
    weights = parent_weights(cands)
    assert len(set(weights.values())) == 1


def test_clear_dominance_orders_the_ranks_and_the_weights() -> None:
    cands = [cand(1, 0.60), cand(2, 0.80), cand(3, 0.95)]
    assert front_ranks([to_point(c) for c in cands]) == {1: 0, 2: 1, 3: 2}
    w = parent_weights(cands)
    assert w[1] > w[2] > w[3] > 0  # the worst rank keeps a chance: exploration


def test_fewer_instructions_dominate_when_runtimes_overlap() -> None:
    a = cand(1, 0.80, 0.05, instructions_ratio=0.5)
    b = cand(2, 0.78, 0.05, instructions_ratio=0.9)
    assert front_ranks([to_point(a), to_point(b)]) == {1: 0, 2: 1}


def test_a_trade_off_keeps_both_on_the_front() -> None:
    fast = cand(1, 0.60, instructions_ratio=0.95)
    lean = cand(2, 0.85, instructions_ratio=0.40)
    worse = cand(3, 0.90, instructions_ratio=0.96)
    assert front_ranks([to_point(c) for c in (fast, lean, worse)]) == {1: 0, 2: 0, 3: 1}


def test_children_discount_a_parent() -> None:
    """Guards against the search re-mining one parent forever: equal parents, one with
    three children, must no longer be equally likely."""
    cands = [cand(1, 0.8, 0.1), cand(2, 0.8, 0.1)]
    kids = [cand(10 + i, None, status="edit-failed", parent_id=1) for i in range(3)]
    w = parent_weights([*cands, *kids])
    assert w[1] == pytest.approx(w[2] / 4)
    rng = random.Random(7)
    picks = Counter(choose_parents([*cands, *kids], 1, rng)[0] for _ in range(400))
    assert picks[2] > 2 * picks[1] > 0


def test_one_call_spreads_its_picks() -> None:
    picks = choose_parents([cand(1, 0.8, 0.1), cand(2, 0.8, 0.1)], 6, random.Random(3))
    assert len(picks) == 6 and set(picks) == {1, 2}


def test_choice_is_deterministic_for_a_seed_and_independent_of_input_order() -> None:
    cands = [cand(i, 0.5 + 0.05 * i) for i in range(1, 9)]
    first = choose_parents(cands, 5, random.Random(42))
    assert choose_parents(list(reversed(cands)), 5, random.Random(42)) == first
    assert len(first) == 5 and set(first) <= {c.id for c in cands}


def test_sharpness_trades_exploitation_for_exploration() -> None:
    cands = [cand(1, 0.5), cand(2, 0.7), cand(3, 0.9)]
    flat = parent_weights(cands, SelectionConfig(sharpness=0.0))
    steep = parent_weights(cands, SelectionConfig(sharpness=8.0))
    assert len(set(flat.values())) == 1
    assert steep[1] / steep[3] > 1000


def test_unsound_candidates_are_never_parents() -> None:
    """Guards against building on a patch that failed its tests or changed the output."""
    cands = [
        cand(1, 0.5, status="broken", tests_passed=False),
        cand(2, 0.5, equivalent=False),
        cand(3, 0.5, tests_passed=False),
        cand(4, None, status="edit-failed"),
        cand(5, 0.5, status="duplicate"),
        cand(6, 0.5, status="error"),
    ]
    assert choose_parents(cands, 3, random.Random(0)) == []
    assert parent_weights(cands) == {}
    assert choose_parents([*cands, cand(7, 1.01, status="same")], 2, random.Random(0)) == [
        7,
        7,
    ]


def test_a_candidate_measured_slower_is_never_a_parent() -> None:
    """Guards against building on a change measured slower: its loss is carried into every
    child (the offline engine's rounds on a slower combination spent the budget on children
    slower than the base)."""
    cands = [cand(1, 0.6), cand(2, 1.2, status="slower"), cand(3, 1.0, status="same")]
    assert set(parent_weights(cands)) == {1, 3}
    assert 2 not in choose_parents(cands, 6, random.Random(0))
    assert choose_parents([cands[1]], 2, random.Random(0)) == []


def test_bad_k_is_bad_input() -> None:
    with pytest.raises(BadInput, match="k must be 0 or more"):
        choose_parents([cand(1, 0.5)], -1, random.Random(0))
    assert choose_parents([cand(1, 0.5)], 0, random.Random(0)) == []


def test_a_candidate_joins_the_front_only_if_it_improved_and_nothing_earlier_dominates_it() -> None:
    history = [
        cand(1, 0.80),
        cand(2, 0.70),  # clearly better: joins
        cand(3, 0.85),  # dominated by 1 and 2
        cand(4, 0.71),  # overlaps 2: not dominated, joins
        cand(5, 0.99, 0.03, status="same"),  # not an improvement
        cand(6, None, status="edit-failed"),  # never evaluated: not counted
        cand(7, None, status="broken", tests_passed=False),
    ]
    assert joined_front(history) == [True, True, False, True, False, False]


def test_should_stop_after_patience_candidates_without_a_new_front_member() -> None:
    """Guards against stopping early on overlapping CIs (each overlap is a new member) and
    against never stopping when everything new is dominated."""
    improving = [cand(1, 0.80), cand(2, 0.70)]
    dominated = [cand(3, 0.9), cand(4, 0.95, status="same"), cand(5, None, status="broken")]
    assert not should_stop(improving, 3)
    assert not should_stop(improving + dominated[:2], 3)
    assert should_stop(improving + dominated, 3)
    assert not should_stop([*improving, *dominated, cand(6, 0.69, 0.05)], 3)
    assert not should_stop([cand(1, 1.0, status="same")], 2)  # too early to tell
    assert should_stop([cand(1, 1.0, status="same"), cand(2, None, status="error")], 2)


def test_edit_failures_do_not_count_towards_patience() -> None:
    history = [cand(1, 0.7), *(cand(i, None, status="edit-failed") for i in range(2, 10))]
    assert not should_stop(history, 2)


def test_bad_patience_is_bad_input() -> None:
    with pytest.raises(BadInput, match="patience must be 1 or more"):
        should_stop([], 0)


def test_selection_over_candidates_read_back_from_the_store(tmp_path: Path) -> None:
    store = Store(sqlite_url(tmp_path / "s.db"))
    run_id = store.create_run(
        repo="/r", base_commit="abc", task={}, model="rules", sandbox="local"
    ).id
    best = store.add_candidate(
        run_id, status="faster", runtime_ratio=0.6, ci_low=0.58, ci_high=0.62, tests_passed=True
    )
    other = store.add_candidate(
        run_id, status="same", runtime_ratio=1.0, ci_low=0.97, ci_high=1.03, tests_passed=True
    )
    store.add_candidate(run_id, status="coded", parent_id=best)
    cands = store.candidates(run_id)
    w = parent_weights(cands)
    assert set(w) == {best, other} and w[best] > w[other]
    assert choose_parents(cands, 3, random.Random(1)) == choose_parents(
        store.candidates(run_id), 3, random.Random(1)
    )
