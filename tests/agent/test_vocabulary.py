"""One vocabulary: every status the loop writes is one that planning, the rules engine and the
report understand (issue 16's status-drift bug: the loop wrote `rejected` while planning tested
for `slower`, `same` and `tests-failed`, so a measured-slower rewrite stayed in combinations)."""

from __future__ import annotations

import pytest

from agent.engines.rules import RulesEngine
from agent.engines.rules.engine import FAILED_STATUSES
from agent.llm.planner import describe_outcome
from agent.loop.evaluation import status_of
from agent.protocols import Measurement, Outcome, WallTimeComparison
from agent.views.report import STATUS_WORDS
from profilers.verdicts import Rejection, Verdict
from storage.vocabulary import REJECTED_BY_CHECKS, Status
from tests.models.test_rules_engine import request


def comparison(verdict: Verdict, ratio: float) -> WallTimeComparison:
    return WallTimeComparison(
        base_s=(1.0, 1.0), head_s=(ratio, ratio), base_median_s=1.0, head_median_s=ratio,
        ratio=ratio, ci_low=ratio, ci_high=ratio, p_value=0.5, p_slower=0.5, n_pairs=2,
        verdict=verdict,
    )  # fmt: skip


WRITTEN = {
    status_of(Measurement(Verdict.BROKEN, False, None, None, stage="tests")),
    status_of(Measurement(Verdict.BROKEN, True, False, None, stage="equivalence")),
    *(
        status_of(Measurement(v, True, True, comparison(v, 1.0)))
        for v in Verdict
        if v != Verdict.BROKEN
    ),
}


def test_a_measurement_gives_the_status_of_its_verdict() -> None:
    assert {
        Status.TESTS_FAILED,
        Status.BROKEN,
        Status.FASTER,
        Status.SAME,
        Status.SLOWER,
    } == WRITTEN


def test_every_verdict_and_rejection_is_spelled_as_a_status() -> None:
    assert {v.value for v in Verdict} <= {s.value for s in Status}
    assert {r.value for r in Rejection} <= {s.value for s in Status}
    assert {Status(r.value) for r in Rejection} == REJECTED_BY_CHECKS


@pytest.mark.parametrize("status", list(Status))
def test_planning_and_the_report_have_words_for_every_status(status: Status) -> None:
    line = describe_outcome(Outcome("plan", status, runtime_ratio=1.02, ci=(0.99, 1.05)))
    assert line.startswith('"plan": ') and status.value not in ("", line)
    assert STATUS_WORDS[status]


def test_a_measured_slower_rewrite_is_left_out_of_later_combinations() -> None:
    """The status the loop writes for a slower candidate bans its rewrite from combinations."""
    title = "rules: deque-queue in inv/queue.py:drain"
    slower = status_of(Measurement(Verdict.SLOWER, True, True, comparison(Verdict.SLOWER, 1.2)))
    assert slower in FAILED_STATUSES
    plans = RulesEngine().plan(request(n_plans=20, history=[Outcome(title, slower, 1.2)]))
    assert plans
    for plan in plans:
        steps = {(s["rule"], s["function"]) for s in plan.data["steps"]}
        assert ("deque-queue", "drain") not in steps, plan.title
