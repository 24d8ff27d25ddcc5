"""When a round is planned ahead (`agent.loop.pace`): as late as possible, unless a round takes
longer than measuring what is in stock."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from agent.loop.ahead import room_to_plan, stock
from agent.loop.pace import Pace
from storage.vocabulary import PlanStatus, Status


def test_nothing_seen_yet_never_plans_early() -> None:
    assert not Pace().plan_early(0)
    assert not Pace(evaluations=[5.0]).plan_early(0)  # no round timed yet


def test_a_round_slower_than_the_stock_starts_early() -> None:
    pace = Pace(evaluations=[10.0, 12.0, 30.0], rounds=[60.0])
    assert pace.each() == 12.0 and pace.lead() == 60.0
    assert pace.plan_early(4)  # 48 s of measurement left: the round would come too late
    assert not pace.plan_early(5)  # 60 s left: time enough to start after this measurement


def test_the_baseline_stands_in_for_the_first_evaluation() -> None:
    pace = Pace(rounds=[40.0], baseline_s=10.0)
    assert pace.plan_early(3) and not pace.plan_early(4)
    pace.evaluated(50.0)
    assert not pace.plan_early(1)


def rows(plans: list[Any], cands: list[Any]) -> tuple[list[Any], list[Any]]:
    return (
        [SimpleNamespace(id=i, status=s) for i, s in plans],
        [SimpleNamespace(plan_id=p, status=s) for p, s in cands],
    )


def test_an_early_round_still_fits_the_budget() -> None:
    """Two plans pending (one being coded), one candidate measured, one waiting."""
    plans, cands = rows(
        [(1, PlanStatus.PENDING), (2, PlanStatus.PENDING), (3, PlanStatus.PENDING)],
        [(1, Status.EVALUATING)],
    )
    plans.append(SimpleNamespace(id=4, status=PlanStatus.PENDING))
    cands.append(SimpleNamespace(plan_id=4, status=Status.CODED))
    assert stock(plans, cands) == 3
    assert room_to_plan(plans, cands, budget=6, coding=1) == 0  # in time: wait
    assert room_to_plan(plans, cands, budget=6, coding=1, early=True) == 2
    assert room_to_plan(plans, cands, budget=4, coding=1, early=True) == 0


def test_a_round_slower_than_its_plans_asks_for_more() -> None:
    """Guards a slow model's rounds running dry: a round that takes as long as measuring 9
    candidates asks for enough plans to keep measuring while the next round is planned, at
    most twice the usual number, never fewer than usual."""
    assert Pace(evaluations=[10.0], rounds=[90.0]).round_size(4) == 8
    assert Pace(evaluations=[10.0], rounds=[55.0]).round_size(4) == 6
    assert Pace(evaluations=[10.0], rounds=[30.0]).round_size(4) == 4
    assert Pace(evaluations=[10.0]).round_size(4) == 4  # no round timed yet
