"""Every budget of a run, checked in one place against what the store has recorded.

Candidates, model calls, dollars and wall time all count from the store, so a resumed run
goes on from what it had spent, never from zero.
"""

from __future__ import annotations

import time

from agent.exceptions import BudgetExhausted
from agent.loop.state import Deps
from storage.vocabulary import SPENT


def wall_spent(d: Deps, run_id: str) -> float:
    """Seconds this run has been worked on, by every process that ran it."""
    run = d.store.run(run_id)
    before = run.spent_s if run is not None else 0.0
    return before + (time.monotonic() - d.started)


def save_wall(d: Deps, run_id: str) -> None:
    """Persist the wall time spent so far and restart this process's clock."""
    spent = wall_spent(d, run_id)
    d.started = time.monotonic()
    d.store.update_run(run_id, spent_s=spent)


def check_candidates(d: Deps, run_id: str) -> None:
    spent = len(d.store.candidates(run_id, status=SPENT))
    if spent >= d.config.budget:
        raise BudgetExhausted(f"{spent} candidates evaluated")


def check(d: Deps, run_id: str) -> None:
    """Raise BudgetExhausted naming the first budget that is spent."""
    cfg = d.config
    check_candidates(d, run_id)
    calls, cost = d.store.llm_totals(run_id)
    if cfg.max_llm_calls and calls >= cfg.max_llm_calls:
        raise BudgetExhausted(f"model call budget of {cfg.max_llm_calls} calls spent")
    if cfg.max_cost_usd and cost >= cfg.max_cost_usd:
        raise BudgetExhausted(f"model cost budget of ${cfg.max_cost_usd:.2f} spent (${cost:.4f})")
    wall = wall_spent(d, run_id)
    if cfg.max_wall_s and wall > cfg.max_wall_s:
        raise BudgetExhausted(f"wall-time budget of {cfg.max_wall_s:.0f} s spent")
