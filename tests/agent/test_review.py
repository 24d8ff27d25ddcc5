"""The optional LLM review: a second opinion that may reject a candidate, never accept one."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from agent.config import RunConfig
from agent.llm.review import LLMReview
from agent.loop.ahead import Review
from agent.loop.graph import run_loop
from agent.models.replay import ReplayModel
from agent.views.summary import run_summary
from agent.wiring import RecordingModel, loop_deps, make_agents
from profilers.config import MeasureConfig
from profilers.results import Check, Measurement, WallTimeComparison
from profilers.verdicts import OUTRUN, Rejection, Verdict
from sandbox.local import LocalSandboxFactory
from storage import Store, sqlite_url
from storage.vocabulary import Status
from tasks import Task, load_task
from tests.agent.fakes import ScriptedEngine
from tests.agent.test_loop import FAST, PROJECT

TASK = Task(task_id="t", repo=Path("/nonexistent"), bench="python bench.py")
DIFF = "--- a/calc/core.py\n+++ b/calc/core.py\n@@ -1 +1 @@\n-x = 1\n+x = 2\n"


def faster(checks: tuple[Check, ...] = ()) -> Measurement:
    rt = WallTimeComparison(
        (1.0, 1.0), (0.5, 0.5), 1.0, 0.5, 0.5, 0.45, 0.55, 1e-4, 0.9, 10, Verdict.FASTER
    )
    passed = (Check("tests", True, "passes"), Check("behaviour", True, "3 calls as on the base"))
    return Measurement(Verdict.FASTER, True, True, rt, reason="faster", checks=passed + checks)


def reply(verdict: str, reason: str = "because") -> str:
    return json.dumps({"verdict": verdict, "reason": reason})


def test_a_hack_verdict_rejects_the_candidate_with_the_reviewers_reason() -> None:
    model = ReplayModel([reply("input-specific", "returns a stored total when len(values) == 100")])
    m = LLMReview(model, TASK).review(DIFF, faster())
    assert m.verdict == Verdict.BROKEN and m.stage == "review"
    assert m.rejected == Rejection.INPUT_SPECIFIC
    assert m.checks[-1].name == "review" and "stored total" in m.checks[-1].reason
    prompt = "\n".join(msg.content for msg in model.calls[0])
    assert DIFF in prompt and "python bench.py" in prompt and "3 calls as on the base" in prompt


def test_overfit_and_legitimate_verdicts() -> None:
    m = LLMReview(ReplayModel([reply("overfit")]), TASK).review(DIFF, faster())
    assert m.rejected == Rejection.OVERFIT
    ok = LLMReview(ReplayModel([reply("legitimate", "a set instead of a list")]), TASK)
    m = ok.review(DIFF, faster())
    assert m.verdict == Verdict.FASTER and m.rejected is None
    assert m.checks[-1].passed is True


@pytest.mark.parametrize(
    "answer",
    ["no json here", json.dumps({"verdict": "maybe", "reason": "x"}), {"raise": "timeout"}],
)
def test_an_unreadable_answer_or_a_failed_call_leaves_the_candidate_as_measured(
    answer: object,
) -> None:
    """Guards "never accept, never silently reject": no opinion is recorded as not applicable."""
    m = LLMReview(ReplayModel([answer]), TASK).review(DIFF, faster())  # type: ignore[list-item]
    assert m.verdict == Verdict.FASTER and m.rejected is None
    assert m.checks[-1].name == "review" and m.checks[-1].passed is None


def test_only_candidates_the_checks_accept_are_reviewed() -> None:
    model = ReplayModel([reply("input-specific")])
    rejected = faster((Check("special-case", False, "stored answer", Rejection.INPUT_SPECIFIC),))
    same = Measurement(Verdict.SAME, True, True, None)
    review = LLMReview(model, TASK)
    assert review.review(DIFF, rejected) is rejected and review.review(DIFF, same) is same
    assert model.calls == []


def test_an_outrun_head_is_not_reviewed_until_it_is_checked() -> None:
    """Guards a model call spent on a head whose trust checks wait: the review of a dominated
    head is neither started beside the loop nor made at once."""
    model = ReplayModel([reply("input-specific")])
    outrun = replace(faster(), stage=OUTRUN, reason="clearly slower than candidate 1")
    review = Review(LLMReview(model, TASK), DIFF, beside=False)
    assert review.later(outrun) is None and review.finish(outrun) is outrun
    assert model.calls == []


def test_models_get_a_reviewer_and_engines_do_not(tmp_path: Path) -> None:
    script = tmp_path / "script.json"
    script.write_text(json.dumps({"replies": []}))
    store = Store(sqlite_url(tmp_path / "s.db"))
    run_id = store.create_run(repo="r", base_commit="c", task={}, model="m", sandbox="local").id
    *_, review = make_agents(f"replay:{script}", store, run_id, RunConfig(), None, TASK)
    assert isinstance(review, LLMReview)
    *_, none = make_agents("rules", store, run_id, RunConfig(), None, TASK)
    assert none is None


@pytest.mark.slow
def new_run(repo: Path) -> tuple[Task, Store, str]:
    """The task of `repo`, a store beside it and a run in it."""
    task = load_task(repo)
    store = Store(sqlite_url(repo.parent / "store.db"))
    run_id = store.create_run(
        repo=str(task.repo), base_commit=task.base_ref, task={}, model="replay", sandbox="local"
    ).id
    return task, store, run_id


def test_the_loop_records_the_review_and_its_rejection(make_repo: Callable[..., Path]) -> None:
    """Guards the hook in the evaluate node: a candidate every check passes is rejected by
    the review, the call is in the store (purpose "review") and `show` lists the check."""
    task, store, run_id = new_run(make_repo(PROJECT))
    engine = ScriptedEngine(
        {"plans": [{"title": "drop the sleep", "text": "t", "files": {"calc/core.py": FAST}}]}
    )
    model = RecordingModel(
        ReplayModel([reply("overfit", "only fast for range(100)")]), store, run_id, "review"
    )
    deps = loop_deps(
        store,
        run_id,
        task,
        LocalSandboxFactory(),
        RunConfig(budget=1, plans_per_round=1, max_rounds=1, patience=0),
        lambda _m: None,
        agents=(engine, engine),
        measure=MeasureConfig(pairs=10, max_pairs=20, instructions="off", memory=False),
        reviewer=LLMReview(model, task),
    )
    run_loop(run_id, deps)
    summary = run_summary(store, run_id)
    (cand,) = summary["candidates"]
    assert cand["status"] == "overfit" and summary["best"] is None
    review = cand["checks"][-1]
    assert review["name"] == "review" and review["passed"] is False
    assert "only fast for range(100)" in review["reason"]
    assert [c.purpose for c in store.llm_calls(run_id)] == ["review"]


class Threaded(ReplayModel):
    """A replay model noting the thread each call is made on."""

    def __init__(self, replies: list[str]) -> None:
        super().__init__(replies)
        self.threads: list[str] = []

    def query(self, messages: Any) -> Any:
        self.threads.append(threading.current_thread().name)
        return super().query(messages)


def test_the_review_runs_beside_the_checks_and_counts_only_once_they_pass() -> None:
    """Guards the early review (issue 13): it starts when the wall time finds the head
    faster, its rejection ends a head the checks pass, and a head the checks reject stays
    rejected by them whatever the review says."""
    timed = Measurement(Verdict.FASTER, True, True, faster().runtime, checks=faster().checks[:1])
    model = Threaded([reply("overfit", "only fast for range(100)")])
    review = Review(LLMReview(model, TASK), DIFF, beside=True)
    review.start(timed)
    m = review.finish(faster())
    assert model.threads == ["perfagent-review"]
    assert m.verdict == Verdict.BROKEN and m.rejected == Rejection.OVERFIT
    assert [c.name for c in m.checks] == ["tests", "behaviour", "review"]

    legit = Review(LLMReview(Threaded([reply("legitimate")]), TASK), DIFF, beside=True)
    legit.start(timed)
    stateful = Check("clean-state", False, "kept a cache", Rejection.STATEFUL)
    rejected = faster().with_check(stateful)
    assert legit.finish(rejected) is rejected


def test_a_review_not_started_beside_the_checks_runs_after_them() -> None:
    """A suite whose other workloads decide, or a model served on this machine (beside
    False): the review is made in turn, on the loop's thread."""
    for beside, started in ((True, False), (False, True)):
        model = Threaded([reply("legitimate")])
        review = Review(LLMReview(model, TASK), DIFF, beside=beside)
        if started:
            review.start(faster())
        m = review.finish(faster())
        assert model.threads == [threading.current_thread().name]
        assert m.verdict == Verdict.FASTER and m.checks[-1].passed is True


class HeldReview(ReplayModel):
    """Answers its first review only once `release` is set (or after a minute)."""

    def __init__(self, replies: list[str], release: threading.Event) -> None:
        super().__init__(replies)
        self.release = release
        self.lock = threading.Lock()
        self.asked = 0

    def query(self, messages: Any) -> Any:
        with self.lock:
            self.asked += 1
            first = self.asked == 1
        if first:
            self.release.wait(60)
        return super().query(messages)


@pytest.mark.slow
def test_a_review_that_answers_after_the_next_measurement_still_rejects_its_candidate(
    make_repo: Callable[..., Path],
) -> None:
    """Guards the review written down later (issue 13): the loop measures the next candidate
    while the model reads the first, the first is never on the front meanwhile, and its
    late rejection still ends it."""
    task, store, run_id = new_run(make_repo(PROJECT))
    plans = [
        {"title": "drop the sleep", "text": "t", "files": {"calc/core.py": FAST}},
        {"title": "and say so", "text": "t", "files": {"calc/core.py": "# no sleep\n" + FAST}},
    ]
    engine = ScriptedEngine({"plans": plans})
    release = threading.Event()
    said: list[str] = []

    def progress(line: str) -> None:
        said.append(line.strip())
        if line.strip() == "evaluating candidate 2":
            release.set()

    held = HeldReview([reply("overfit", "only fast for range(100)"), reply("legitimate")], release)
    deps = loop_deps(
        store,
        run_id,
        task,
        LocalSandboxFactory(),
        RunConfig(budget=2, plans_per_round=2, max_rounds=1, patience=0, repair_attempts=0),
        progress,
        agents=(engine, engine),
        measure=MeasureConfig(pairs=10, max_pairs=20, instructions="never", memory=False),
        reviewer=LLMReview(RecordingModel(held, store, run_id, "review"), task),
    )
    deps.lookahead = 1
    run_loop(run_id, deps)
    summary = run_summary(store, run_id)
    status = {c["plan_title"]: c["status"] for c in summary["candidates"]}
    assert status == {"drop the sleep": "overfit", "and say so": "accepted"}
    late = next(i for i, line in enumerate(said) if line.startswith("candidate 1: broken after"))
    assert said.index("evaluating candidate 2") < late
    assert any(line.startswith("candidate 1: faster") for line in said[:late])
    assert summary["best"]["plan_title"] == "and say so"


@pytest.mark.slow
def test_a_candidate_left_under_review_is_measured_again_on_resume(
    make_repo: Callable[..., Path],
) -> None:
    """Guards resume after a run ended before its review was heard: with the budget already
    spent on it, the candidate is measured and reviewed again, not left `reviewing`."""
    task, store, run_id = new_run(make_repo(PROJECT))
    engine = ScriptedEngine(
        {"plans": [{"title": "drop the sleep", "text": "t", "files": {"calc/core.py": FAST}}]}
    )

    def deps(answer: str) -> Any:
        return loop_deps(
            store,
            run_id,
            task,
            LocalSandboxFactory(),
            RunConfig(budget=1, plans_per_round=1, max_rounds=1, patience=0),
            lambda _m: None,
            agents=(engine, engine),
            measure=MeasureConfig(pairs=10, max_pairs=20, instructions="never", memory=False),
            reviewer=LLMReview(ReplayModel([reply(answer)]), task),
        )

    run_loop(run_id, deps("legitimate"))
    (cand,) = store.candidates(run_id)
    store.update_candidate(cand.id, status=Status.REVIEWING)  # as a killed run leaves it
    store.update_run(run_id, best_candidate_id=None)
    run_loop(run_id, deps("overfit"))
    (again,) = store.candidates(run_id)
    assert again.status == Status.OVERFIT
