"""Model calls beside a measurement (issue 13, pipelining): the coder's and the planner's calls
overlap the measurement, measurement stays one at a time, budgets hold, and a call that fails
ahead of time ends the run as it would in turn."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from agent.config import RunConfig
from agent.exceptions import BudgetExhausted
from agent.loop.graph import run_loop
from agent.loop.pace import Pace
from agent.protocols import CodeRequest, Edit, Measurement, Plan, PlanRequest, Profiler
from agent.views.summary import run_summary
from agent.wiring import lookahead_for, loop_deps
from profilers.config import MeasureConfig
from sandbox.local import LocalSandboxFactory
from storage import Store, sqlite_url
from tasks import load_task
from tests.agent.fakes import ScriptedEngine
from tests.agent.test_loop import FAST, PROJECT, WRONG

WAIT_S = 120.0
"""How long a measurement waits for the coder to start beside it (a bound, not a timing)."""


class Recorded(ScriptedEngine):
    """The scripted engine, noting each round it plans and each plan it codes (and, off the
    loop's thread, that a call ahead has started)."""

    def __init__(self, script: dict[str, Any], events: list[str], fail_on: str = "") -> None:
        super().__init__(script)
        self.events, self.fail_on = events, fail_on
        self.started = threading.Event()
        self.measuring_again = threading.Event()
        """Set when a second measurement starts; a planner with `hold` waits for it."""
        self.measured = threading.Event()
        """Set when the first measurement has ended; a coder ahead with `hold` waits for it."""
        self.measuring = threading.Event()
        """Set when the first measurement starts; a planner with `hold_first` waits for it."""
        self.counted = threading.Event()
        """Set when a count starts; a planner with `hold_for_count` waits for it."""

    def note(self, event: str) -> None:
        ahead = threading.current_thread() is not threading.main_thread()
        self.events.append(event + (" ahead" if ahead else ""))
        if ahead:
            self.started.set()

    def plan(self, request: PlanRequest) -> list[Plan]:
        self.note(f"plan round {request.round}")
        if request.round > 1 and self.script.get("hold"):
            held = self.measuring_again.wait(WAIT_S)
            self.events.append("planner released" if held else "planner gave up waiting")
        if request.round == 1 and self.script.get("hold_first"):
            self.events.append(f"round 1 asks for {request.n_plans} plans")
            held = self.measuring.wait(WAIT_S)
            self.events.append("planner released" if held else "planner gave up waiting")
        if request.round > 1 and self.script.get("hold_for_count"):
            held = self.counted.wait(WAIT_S)
            self.events.append("planner released" if held else "planner gave up waiting")
        return super().plan(request)

    def code(self, request: CodeRequest) -> Edit:
        self.note(f"code {request.plan.title}")
        if self.script.get("hold") and threading.current_thread() is not threading.main_thread():
            self.measured.wait(WAIT_S)  # still coding when the loop next decides
            time.sleep(0.5)
        if request.plan.title == self.fail_on:
            raise BudgetExhausted("model call budget of 1 calls spent")
        if "files" not in request.plan.data:  # the loop's own plan from the profile
            return Edit(files=dict(self.script["opening"]))
        return super().code(request)


class Watched:
    """The real profiler, noting each measurement; one with a coder started beside it waits
    (bounded) until that coder runs, and measurements are checked never to overlap."""

    def __init__(self, inner: Profiler, events: list[str], engine: Recorded, ahead: Any) -> None:
        self.inner, self.events, self.engine, self.ahead = inner, events, engine, ahead
        self.measuring = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def count(self, patch: str, progress: Callable[[str], None]) -> Any:
        assert self.measuring.acquire(blocking=False), "a count during a measurement"
        try:
            self.events.append("count")
            self.engine.counted.set()
            return self.inner.count(patch, progress)
        finally:
            self.measuring.release()

    def evaluate(self, patch: str, progress: Callable[[str], None], **kw: Any) -> Measurement:
        assert self.measuring.acquire(blocking=False), "two measurements at once"
        try:
            self.events.append("evaluate start")
            self.engine.measuring.set()
            if self.events.count("evaluate start") == 2:
                self.engine.measuring_again.set()
            if self.ahead.running:  # started just before this measurement
                self.engine.started.wait(WAIT_S)
                self.engine.started.clear()
            m = self.inner.evaluate(patch, progress, **kw)
            self.events.append("evaluate end")
            self.engine.measured.set()
            return m
        finally:
            self.measuring.release()


def run(
    repo: Path,
    plans: list[dict[str, Any]],
    budget: int,
    fail_on: str = "",
    rounds: list[list[dict[str, Any]]] | None = None,
    hold: bool = False,
    hold_for_count: bool = False,
    pace: Pace | None = None,
    opening: dict[str, str] | None = None,
) -> tuple[Store, str, list[str]]:
    """A run coding (and, with `rounds`, planning) ahead; with `hold`, a planner after the
    first round answers only once a second measurement has started; `pace` stands for the
    durations the run has seen."""
    task = load_task(repo)
    store = Store(sqlite_url(repo.parent / "store.db"))
    events: list[str] = []
    script = {"plans": plans, "rounds": rounds, "hold": hold, "hold_for_count": hold_for_count,
              "opening": opening, "hold_first": opening is not None}  # fmt: skip
    engine = Recorded(script, events, fail_on)
    run_id = store.create_run(
        repo=str(task.repo), base_commit=task.base_ref, task={}, model="scripted", sandbox="local"
    ).id
    deps = loop_deps(
        store,
        run_id,
        task,
        LocalSandboxFactory(),
        RunConfig(
            budget=budget,
            plans_per_round=max(map(len, rounds)) if rounds else len(plans),
            max_rounds=len(rounds) if rounds else 1,
            repair_attempts=0,
            patience=0,
        ),
        lambda _m: None,
        agents=(engine, engine),
        measure=MeasureConfig(pairs=10, max_pairs=20, instructions="never", memory=False),
    )
    deps.lookahead = 1
    deps.opening = opening is not None
    if pace is not None:
        deps.ahead.pace = pace
    deps.profiler = Watched(deps.profiler, events, engine, deps.ahead)  # type: ignore[assignment]
    run_loop(run_id, deps)
    return store, run_id, events


AGAIN = FAST + "\n# the same, said again\n"


def plan(title: str, source: str) -> dict[str, Any]:
    return {"title": title, "text": title, "files": {"calc/core.py": source}}


@pytest.mark.slow
def test_the_next_plan_is_coded_while_a_candidate_is_measured(
    make_repo: Callable[..., Path],
) -> None:
    repo = make_repo(PROJECT)
    store, run_id, events = run(repo, [plan("drop the sleep", FAST), plan("off by one", WRONG)], 2)
    # The second plan is coded on the coder's thread, before the first measurement ends.
    assert events.index("code off by one ahead") < events.index("evaluate end")
    assert events.count("evaluate start") == events.count("evaluate end") == 2
    summary = run_summary(store, run_id)
    by_title = {c["plan_title"]: c["status"] for c in summary["candidates"]}
    assert by_title == {"drop the sleep": "accepted", "off by one": "tests-failed"}


@pytest.mark.slow
def test_every_pending_plan_is_coded_side_by_side_while_a_candidate_is_measured(
    make_repo: Callable[..., Path],
) -> None:
    """Guards a slow coder starving the loop: each pending plan the budget has room for is
    coded beside the first measurement, not one per measurement."""
    repo = make_repo(PROJECT)
    plans = [plan("drop the sleep", FAST), plan("off by one", WRONG), plan("again", AGAIN)]
    store, run_id, events = run(repo, plans, budget=3)
    first_end = events.index("evaluate end")
    assert events.index("code off by one ahead") < first_end
    assert events.index("code again ahead") < first_end
    assert events.count("evaluate start") == events.count("evaluate end") == 3
    assert len(store.candidates(run_id)) == 3


@pytest.mark.slow
def test_coding_ahead_never_exceeds_the_candidate_budget(make_repo: Callable[..., Path]) -> None:
    repo = make_repo(PROJECT)
    plans = [plan("drop the sleep", FAST), plan("off by one", WRONG), plan("again", FAST)]
    store, run_id, events = run(repo, plans, budget=2)
    assert len(store.candidates(run_id)) == 2
    assert not [e for e in events if e.startswith("code again")]
    assert run_summary(store, run_id)["status"] == "finished"


@pytest.mark.slow
def test_a_budget_spent_while_coding_ahead_ends_the_run_as_in_turn(
    make_repo: Callable[..., Path],
) -> None:
    repo = make_repo(PROJECT)
    plans = [plan("drop the sleep", FAST), plan("off by one", WRONG)]
    store, run_id, _events = run(repo, plans, budget=3, fail_on="off by one")
    summary = run_summary(store, run_id)
    assert [c["plan_title"] for c in summary["candidates"]] == ["drop the sleep"]
    assert summary["best"]["plan_title"] == "drop the sleep"
    assert "budget" in (store.run(run_id).reason or "")  # type: ignore[union-attr]


@pytest.mark.slow
def test_the_next_round_is_planned_while_the_last_plan_is_measured(
    make_repo: Callable[..., Path],
) -> None:
    """Guards the planner's pipelining: once no plan is left to code, the next round is
    planned beside the measurement, and its first plan coded on the same thread; that
    candidate is measured in turn, and its plan is never coded twice."""
    repo = make_repo(PROJECT)
    rounds = [[plan("drop the sleep", FAST)], [plan("off by one", WRONG)]]
    store, run_id, events = run(repo, [], budget=2, rounds=rounds)
    first_end = events.index("evaluate end")
    assert events.index("plan round 2 ahead") < events.index("code off by one ahead") < first_end
    assert "code off by one" not in events
    assert events.count("evaluate start") == events.count("evaluate end") == 2
    assert not [e for e in events if e.startswith("plan round 3")]
    assert [p.round for p in store.plans(run_id)] == [1, 2]
    summary = run_summary(store, run_id)
    by_title = {c["plan_title"]: c["status"] for c in summary["candidates"]}
    assert by_title == {"drop the sleep": "accepted", "off by one": "tests-failed"}


@pytest.mark.slow
def test_a_round_slower_than_the_stock_is_planned_while_plans_are_pending(
    make_repo: Callable[..., Path],
) -> None:
    """Guards a slow model leaving the machine idle: when a round has taken far longer than
    measuring the candidates in stock, the next round is planned beside the first measurement
    although a plan of this round is still waiting to be coded; the budget still holds."""
    repo = make_repo(PROJECT)
    first = [plan("drop the sleep", FAST), plan("off by one", WRONG), plan("again", AGAIN)]
    rounds = [first, [plan("once more", FAST + "\n# and once more\n")]]
    slow = Pace(evaluations=[1.0] * 9, rounds=[1000.0] * 9)
    store, run_id, events = run(repo, [], budget=4, rounds=rounds, pace=slow)
    assert events.index("plan round 2 ahead") < events.index("evaluate end")
    assert events.count("evaluate start") == events.count("evaluate end") == 4
    assert [p.round for p in store.plans(run_id)] == [1, 1, 1, 2]
    assert len(store.candidates(run_id)) == 4


@pytest.mark.slow
def test_a_coder_failing_after_a_round_planned_ahead_keeps_the_round(
    make_repo: Callable[..., Path],
) -> None:
    """The plans of a round planned ahead are kept when the coder's call after it fails: the
    plan stays pending, the code node asks again in turn and meets the failure there."""
    repo = make_repo(PROJECT)
    rounds = [[plan("drop the sleep", FAST)], [plan("off by one", WRONG)]]
    store, run_id, events = run(repo, [], budget=3, fail_on="off by one", rounds=rounds)
    assert events.index("code off by one ahead") < events.index("code off by one")
    assert [p.title for p in store.plans(run_id)] == ["drop the sleep", "off by one"]
    summary = run_summary(store, run_id)
    assert [c["plan_title"] for c in summary["candidates"]] == ["drop the sleep"]
    assert "budget" in (store.run(run_id).reason or "")  # type: ignore[union-attr]


@pytest.mark.slow
def test_a_planner_with_nothing_left_ends_the_run_after_the_coded_candidates(
    make_repo: Callable[..., Path],
) -> None:
    """Guards a run that ended with candidates coded and never measured: the planner asked
    ahead says there is nothing left while the coder's call beside it produced a candidate;
    that candidate, already paid for, is measured before the run finishes."""
    repo = make_repo(PROJECT)
    rounds = [[plan("drop the sleep", FAST), plan("off by one", WRONG)], []]
    store, run_id, events = run(repo, [], budget=3, rounds=rounds)
    assert "plan round 2 ahead" in events and "code off by one ahead" in events
    assert events.count("evaluate end") == 2
    summary = run_summary(store, run_id)
    by_title = {c["plan_title"]: c["status"] for c in summary["candidates"]}
    assert by_title == {"drop the sleep": "accepted", "off by one": "tests-failed"}
    assert "nothing left" in (store.run(run_id).reason or "")  # type: ignore[union-attr]


@pytest.mark.slow
def test_a_coded_candidate_is_measured_without_waiting_for_the_planner(
    make_repo: Callable[..., Path],
) -> None:
    """Guards the loop waiting on every call made ahead before measuring: the coder's call
    beside the first measurement, still running when it ends, produces a candidate that is
    measured while the planner asked ahead at the same time is still thinking (the planner
    here answers only once that second measurement has started)."""
    repo = make_repo(PROJECT)
    again = plan("again", FAST + "\n# the same, said again\n")
    rounds = [[plan("drop the sleep", FAST), plan("off by one", WRONG)], [again]]
    store, run_id, events = run(repo, [], budget=3, rounds=rounds, hold=True)
    assert "plan round 2 ahead" in events and "planner released" in events
    assert events.count("evaluate end") == 3
    assert [p.round for p in store.plans(run_id)] == [1, 1, 2]


@pytest.mark.slow
def test_no_round_is_planned_ahead_for_a_candidate_the_budget_has_no_room_for(
    make_repo: Callable[..., Path],
) -> None:
    repo = make_repo(PROJECT)
    rounds = [[plan("drop the sleep", FAST)], [plan("off by one", WRONG)]]
    store, run_id, events = run(repo, [], budget=1, rounds=rounds)
    assert events == [
        "plan round 1",
        "code drop the sleep",
        "evaluate start",
        "evaluate end",
        "count",
    ]
    assert [p.round for p in store.plans(run_id)] == [1]


@pytest.mark.parametrize(
    ("model", "env", "expected"),
    [
        ("rules", {}, 0),
        ("replay:script.json", {}, 0),
        ("openai-compatible:gemma@http://127.0.0.1:8080/v1", {}, 0),
        ("openai-compatible:llama@http://localhost:11434/v1", {}, 0),
        ("openai:gpt-x", {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}, 0),
        ("anthropic:claude-x", {}, 1),
        ("openai:gpt-x", {}, 1),
    ],
)
def test_only_a_model_computing_elsewhere_codes_ahead(
    model: str, env: dict[str, str], expected: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("OPENAI_BASE_URL", "ANTHROPIC_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert lookahead_for(model, RunConfig(model=model)) == expected
    assert lookahead_for(model, RunConfig(model=model, lookahead=0)) == 0
    forced = lookahead_for(model, RunConfig(model=model, lookahead=1))
    assert forced == (0 if model.startswith(("rules", "replay")) else 1)


def test_a_plan_whose_candidate_was_written_before_a_kill_is_not_coded_again(
    tmp_path: Path,
) -> None:
    """Guards resume: a run killed between writing a candidate and marking its plan coded
    leaves the plan pending; the code node marks it and never asks the coder again."""
    from types import SimpleNamespace

    from agent.loop.coding import code
    from agent.loop.state import Deps
    from storage.vocabulary import PlanStatus, Status

    class NoCoder:
        name = "no-coder"

        def code(self, request: CodeRequest) -> Edit:
            raise AssertionError("the plan was coded again")

    store = Store(sqlite_url(tmp_path / "store.db"))
    run_id = store.create_run(repo="r", base_commit="c", task={}, model="m", sandbox="local").id
    store.add_plans(run_id, 1, [{"title": "p", "text": "p", "source": "s", "targets": []}])
    (row,) = store.plans(run_id)
    store.add_candidate(run_id, status=Status.EDIT_FAILED, reason="x", plan_id=row.id)
    deps = Deps(store, None, None, None, None, NoCoder())  # type: ignore[arg-type]
    assert code({"run_id": run_id}, runtime=SimpleNamespace(context=deps)) == {}  # type: ignore[arg-type]
    assert [p.status for p in store.plans(run_id)] == [PlanStatus.CODED]
    assert len(store.candidates(run_id)) == 1


@pytest.mark.slow
def test_a_front_candidate_is_counted_while_the_loop_waits_for_the_planner(
    make_repo: Callable[..., Path],
) -> None:
    """The machine idles while the loop waits on a model: the faster candidate's instruction
    count, owed at the finish, is made then (the planner here answers only once it starts),
    and not made again at the finish."""
    repo = make_repo(PROJECT)
    rounds = [[plan("drop the sleep", FAST)], [plan("off by one", WRONG)]]
    store, run_id, events = run(repo, [], budget=2, rounds=rounds, hold_for_count=True)
    assert events.index("count") < events.index("planner released")
    assert events.index("evaluate end") < events.index("count")
    assert events.count("count") == 1
    summary = run_summary(store, run_id)
    by_title = {c["plan_title"]: c["status"] for c in summary["candidates"]}
    assert by_title == {"drop the sleep": "accepted", "off by one": "tests-failed"}


BUSY = """def total(values):
    spin = 0
    for i in range(4_000_000):
        spin += i & 1
    return sum(values)
"""


@pytest.mark.slow
def test_a_plan_from_the_profile_is_measured_while_the_first_round_is_planned(
    make_repo: Callable[..., Path],
) -> None:
    """Guards the first candidate waiting for the planner's whole first round: a plan written
    from the profile (the hot function) is coded and measured while the round, held until
    a measurement has started, is still being planned; both become candidates in budget."""
    repo = make_repo({**PROJECT, "calc/core.py": BUSY})
    rounds = [[plan("off by one", WRONG)]]
    store, run_id, events = run(repo, [], budget=2, rounds=rounds, opening={"calc/core.py": FAST})
    assert events.index("evaluate start") < events.index("planner released")
    assert "round 1 asks for 2 plans" in events  # twice the usual: nothing measured to wait for
    opening, planned = store.plans(run_id)
    assert (opening.source, opening.round, planned.round) == ("profile", 1, 1)
    assert "calc/core.py:total" in opening.targets
    summary = run_summary(store, run_id)
    by_title = {c["plan_title"]: c["status"] for c in summary["candidates"]}
    assert by_title == {opening.title: "accepted", "off by one": "tests-failed"}
