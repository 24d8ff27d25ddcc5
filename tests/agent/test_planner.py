"""LLMPlanner driven by the replay model: evidence and history in prompts, dedup, bad JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from agent.exceptions import BudgetExhausted, ModelError
from agent.llm.planner import (
    LLMPlanner,
    PlannerConfig,
    describe_outcome,
    drop_duplicates,
    extract_json,
    similarity,
)
from agent.models.replay import ReplayModel
from agent.protocols import Hotspot, HotspotProfile, Message, Outcome, Plan, PlanRequest, Task

SOURCES = {
    "pkg/core.py": (
        "import re\n"
        "\n"
        "\n"
        "def parse(lines):\n"
        "    return [tokenize(line) for line in lines]\n"
        "\n"
        "\n"
        "def tokenize(line):\n"
        "    pattern = re.compile(r'\\w+')\n"
        "    return pattern.findall(line)\n"
    ),
    "pkg/cli.py": "from pkg.core import parse\n\n\ndef main(lines):\n    return parse(lines)\n",
}
PROFILE = HotspotProfile(
    hotspots=(
        Hotspot("tokenize", "pkg/core.py", 9, self_share=0.55, total_share=0.71),
        Hotspot("parse", "pkg/core.py", 5, self_share=0.05, total_share=0.93),
    ),
    samples=1234,
)
HISTORY = (
    Outcome(
        "Cache tokens per line",
        "tests-failed",
        detail="test_parse_unicode: AssertionError: ['é'] != []",
    ),
    Outcome("Use str.split", "same", runtime_ratio=0.995, ci=(0.97, 1.02)),
    Outcome("Inline tokenize", "accepted", runtime_ratio=0.82, ci=(0.79, 0.85)),
)
TASK = Task(task_id="t", repo=Path("/nonexistent"), bench="python bench.py", test="pytest -q")


def request(history: tuple[Outcome, ...] = HISTORY, n: int = 3) -> PlanRequest:
    return PlanRequest(
        task=TASK,
        profile=PROFILE,
        sources=SOURCES,
        baseline={"wall_s": 1.25, "instructions": 123456789, "hotspots": [], "tests_flaky": False},
        history=history,
        n_plans=n,
        round=2,
    )


def plan(title: str, text: str, **kw: object) -> dict:
    return {"title": title, "text": text, **kw}


HOIST = plan(
    "Compile the regex once at module level",
    "tokenize compiles r'\\w+' on every call (71 % of samples); move re.compile to a module "
    "constant.",
    targets=["pkg/core.py:tokenize"],
    observations=["O1"],
)
BATCH = plan(
    "Tokenize all lines with one findall",
    "parse calls tokenize per line; join the lines and split the matches per line instead.",
    targets="pkg/core.py:parse",
)
CHEAP = json.dumps(
    {"observations": [{"id": "O1", "text": "re.compile per call"}], "plans": [HOIST, BATCH]}
)


def text_of(messages: list[Message]) -> str:
    """Everything a call sent (evidence and task are separate messages)."""
    return "\n".join(m.content for m in messages)


def cheap() -> PlannerConfig:
    return PlannerConfig(mode="cheap")


def test_cheap_mode_one_call_grounded_prompt() -> None:
    model = ReplayModel([CHEAP])
    planner = LLMPlanner(model, cheap())
    plans = planner.plan(request())
    assert [p.title for p in plans] == [HOIST["title"], BATCH["title"]]
    assert plans[0].targets == ("pkg/core.py:tokenize",)
    assert plans[1].targets == ("pkg/core.py:parse",)
    assert plans[0].source == "replay" and plans[0].data["observations"] == ["re.compile per call"]
    assert planner.calls == 1
    prompt = text_of(model.calls[0])
    # measurements: profile, baseline figures, code of the hot function
    assert "| tokenize | pkg/core.py:9 | 71.0 % | 55.0 % |" in prompt
    assert "1234 samples" in prompt
    assert "wall_s: 1.25" in prompt and "instructions: 123,456,789" in prompt
    assert "pattern = re.compile(r'\\w+')" in prompt
    assert "pkg/core.py lines 8-10: hot `tokenize`" in prompt


def test_history_outcomes_appear_in_the_prompt() -> None:
    """Guards the closed loop: every earlier outcome reaches the model as an observation."""
    model = ReplayModel([CHEAP])
    LLMPlanner(model, cheap()).plan(request())
    prompt = text_of(model.calls[0])
    assert '"Cache tokens per line": the tests failed: test_parse_unicode: AssertionError' in prompt
    assert '"Use str.split": no measurable change, within noise (runtime ratio 0.995' in prompt
    assert (
        '"Inline tokenize": faster by 18.0 % (runtime ratio 0.820, 95 % CI 0.790-0.850)' in prompt
    )


def test_first_round_says_so() -> None:
    model = ReplayModel([CHEAP])
    LLMPlanner(model, cheap()).plan(request(history=()))
    assert "this is the first round" in text_of(model.calls[0])


def test_search_mode_runs_planseach_steps() -> None:
    obs = {
        "observations": [
            {"id": "O1", "text": "tokenize compiles the regex on every call", "evidence": "71 %"},
            {"id": "O2", "text": "parse calls tokenize once per line"},
            {"id": "O3", "text": "the cache attempt broke unicode handling"},
        ]
    }
    second = {
        "observations": [
            {
                "id": "C1",
                "from": ["O1", "O2"],
                "text": "hoist per-call setup out of the per-line loop",
            }
        ]
    }
    plans = {"plans": [HOIST, BATCH]}
    critique = {
        "plans": [
            {
                "title": "Compile the regex once",
                "critique": "fine, but keep the pattern identical",
                "text": "Move re.compile(r'\\w+') to a module-level constant _WORD and use it in tokenize.",
                "targets": ["pkg/core.py:tokenize"],
                "keep": True,
            },
            {"title": BATCH["title"], "critique": "changes behaviour across lines", "keep": False},
        ]
    }
    model = ReplayModel([json.dumps(x) for x in (obs, second, plans, critique)])
    planner = LLMPlanner(model)
    out = planner.plan(request(n=4))
    assert planner.calls == 4 and model.remaining == 0
    # the fixed plan first, then the original (different enough), the dropped one gone
    assert [p.title for p in out] == ["Compile the regex once", HOIST["title"]]
    assert out[0].data["critique"] == "fine, but keep the pattern identical"
    pairs_prompt = model.calls[1][-1].content
    assert "- O1 + O2" in pairs_prompt and "- O2 + O3" in pairs_prompt
    plans_prompt = model.calls[2][-1].content
    assert "C1: hoist per-call setup out of the per-line loop" in plans_prompt
    assert "Inline tokenize" in plans_prompt  # history reaches the plan step too
    assert "## Plan 2: Tokenize all lines with one findall" in model.calls[3][-1].content
    assert [o["id"] for o in planner.last_observations] == ["O1", "O2", "O3", "C1"]


def test_the_plans_are_told_as_drafts_before_the_critique_is_asked() -> None:
    """The loop codes a draft while the critique runs: the drafts are the plan step's plans,
    told after that call and before the critique's, with what the coder is shown of them."""
    obs = json.dumps({"observations": [{"id": "O1", "text": "tokenize is hot"}]})
    critique = {"plans": [{**HOIST, "critique": "sound", "keep": True}]}
    model = ReplayModel([obs, json.dumps({"plans": [HOIST, BATCH]}), json.dumps(critique)])
    planner = LLMPlanner(model)
    told: list[tuple[int, list[Plan]]] = []
    out = planner.plan_drafts(request(n=4), lambda plans: told.append((planner.calls, [*plans])))
    assert [(calls, [p.title for p in plans]) for calls, plans in told] == [
        (2, [HOIST["title"], BATCH["title"]])
    ]
    draft = told[0][1][0]
    assert draft.data["hot"] == out[0].data["hot"]  # the map the coder ranks by
    assert (draft.title, draft.text, draft.targets) == (out[0].title, out[0].text, out[0].targets)


def test_a_plan_the_critique_copies_keeps_its_draft() -> None:
    """A critique that copies a plan it does not fix (its text re-wrapped) leaves the plan
    as drafted, so the edit coded from the draft stands."""
    obs = json.dumps({"observations": [{"id": "O1", "text": "tokenize is hot"}]})
    copied = {**HOIST, "text": "  " + HOIST["text"].replace(" ", "\n", 2), "critique": "sound"}
    model = ReplayModel([obs, json.dumps({"plans": [HOIST]}), json.dumps({"plans": [copied]})])
    told: list[Plan] = []
    (out,) = LLMPlanner(model).plan_drafts(request(), told.extend)
    assert (out.title, out.text, out.targets) == (told[0].title, told[0].text, told[0].targets)
    assert out.data["critique"] == "sound"


def test_a_budget_spent_at_the_critique_keeps_the_round_s_plans() -> None:
    """Guards a round lost to the last budget slot: the critique (its slot perhaps taken by a
    draft's coder) meets a spent budget; the unreviewed plans are returned, and the budget
    stops the next call."""

    class Spent(ReplayModel):
        def query(self, messages: Any) -> Any:
            if len(self.calls) == 2:
                raise BudgetExhausted("model call budget of 2 calls spent")
            return super().query(messages)

    obs = json.dumps({"observations": [{"id": "O1", "text": "tokenize is hot"}]})
    model = Spent([obs, json.dumps({"plans": [HOIST]})])
    assert [p.title for p in LLMPlanner(model).plan(request())] == [HOIST["title"]]


def test_no_drafts_are_told_without_a_critique() -> None:
    model = ReplayModel([CHEAP])
    told: list[object] = []
    assert LLMPlanner(model).plan_drafts(request(), told.append)
    assert told == []


def test_search_mode_short_circuits_on_plans() -> None:
    model = ReplayModel([CHEAP])
    planner = LLMPlanner(model)
    assert len(planner.plan(request())) == 2
    assert planner.calls == 1


def test_bad_critique_falls_back_to_unreviewed_plans() -> None:
    obs = json.dumps({"observations": [{"id": "O1", "text": "x is hot"}]})
    model = ReplayModel([obs, json.dumps({"plans": [HOIST]}), "not json", "still not json"])
    out = LLMPlanner(model).plan(request())
    assert [p.title for p in out] == [HOIST["title"]]
    assert model.remaining == 0


def test_near_duplicate_plans_are_dropped() -> None:
    dup = plan(
        "Compile the regex once at module level.",
        "tokenize compiles r'\\w+' on every call (71 % of samples): move the re.compile to a "
        "module constant",
    )
    tried = plan("inline TOKENIZE", "Inline tokenize into parse again.")
    reply = json.dumps({"plans": [HOIST, dup, BATCH, tried]})
    out = LLMPlanner(ReplayModel([reply]), cheap()).plan(request(n=5))
    assert [p.title for p in out] == [HOIST["title"], BATCH["title"]]


def test_n_plans_caps_the_result() -> None:
    reply = json.dumps({"plans": [HOIST, BATCH]})
    assert len(LLMPlanner(ReplayModel([reply]), cheap()).plan(request(n=1))) == 1


def test_malformed_json_is_reasked_with_the_error() -> None:
    model = ReplayModel(["Sure! {plans: [oops", "```json\n" + CHEAP + "\n```"])
    out = LLMPlanner(model, cheap()).plan(request())
    assert len(out) == 2 and len(model.calls) == 2
    retry = model.calls[1][-1].content
    assert "could not be used: invalid JSON" in retry
    assert "It began: Sure! {plans: [oops" in retry
    assert [m.role for m in model.calls[1]] == ["system", "user", "user", "user"]


@pytest.mark.parametrize(
    "bad",
    [
        "no json at all",
        '{"plans": [{"title": "no text"}]}',
        '["a", "list"]',
    ],
)
def test_persistently_malformed_json_is_a_clear_error(bad: str) -> None:
    model = ReplayModel([bad, bad])
    with pytest.raises(ModelError) as info:
        LLMPlanner(model, cheap()).plan(request())
    message = str(info.value)
    assert message.startswith("planner: replay gave no usable plan reply after 2 attempts")
    assert "\n" not in message


@pytest.mark.parametrize(
    ("config", "reply"),
    [
        (PlannerConfig(mode="cheap"), {"plans": []}),
        (PlannerConfig(mode="cheap"), {"observations": [{"id": "O1", "text": "x"}], "plans": []}),
        (PlannerConfig(), {"plans": []}),
    ],
)
def test_an_empty_plan_list_means_nothing_left_to_try(config: PlannerConfig, reply: dict) -> None:
    """Guards the issue-14 failure: `{"plans": []}` raised, the error escaped the plan node and
    the run ended with exit 2 and no JSON. It is the model saying it has converged."""
    model = ReplayModel([json.dumps(reply)])
    assert LLMPlanner(model, config).plan(request()) == []
    assert model.remaining == 0


def test_extract_json_variants() -> None:
    assert extract_json('{"a": 1}') == {"a": 1}
    assert extract_json('Here you go:\n```json\n{"a": 2}\n```\nDone.') == {"a": 2}
    assert extract_json('Plans: {"a": {"b": "}"}} trailing') == {"a": {"b": "}"}}
    with pytest.raises(ValueError, match="no JSON object"):
        extract_json("nothing")


def test_similarity_and_drop_duplicates() -> None:
    a = Plan("Use a set for membership", "Replace the list lookup in f with a set.", "m")
    b = Plan("use a SET for membership!", "Something else entirely.", "m")
    c = Plan("Vectorize with numpy", "Rewrite the loop in g with numpy arrays.", "m")
    assert similarity(a.text, a.text + " ") == 1.0
    assert similarity(a.text, c.text) < 0.75
    assert drop_duplicates([a, b, c], 0.75) == [a, c]
    assert drop_duplicates([a, c], 0.75, tried=["Use a set for membership"]) == [c]


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        (Outcome("p", "slower", runtime_ratio=1.08), '"p": slower by 8.0 % (runtime ratio 1.080)'),
        (
            Outcome("p", "edit-failed", detail="no match"),
            '"p": the edit could not be applied: no match',
        ),
        (
            Outcome("p", "unconfirmed", runtime_ratio=0.9),
            '"p": faster by 10.0 % (runtime ratio 0.900), not confirmed on re-measurement',
        ),
        (
            Outcome("p", "broken", detail="exit 1\nTraceback"),
            '"p": broke the workload or changed its output: exit 1 Traceback',
        ),
    ],
)
def test_describe_outcome(outcome: Outcome, expected: str) -> None:
    assert describe_outcome(outcome) == expected


def test_a_reask_quotes_an_excerpt_not_the_whole_reply() -> None:
    """Guards against a junk reply sent back whole: on a small local model it overflowed the
    context (HTTP 400) and ended the run."""
    junk = "I think " + "the answer is more tokens " * 800
    model = ReplayModel([junk, CHEAP])
    LLMPlanner(model, cheap()).plan(request())
    first, second = model.calls
    assert second[: len(first)] == first  # the same prompt, then the re-ask
    retry = second[-1].content
    assert "It began: I think the answer is more tokens" in retry
    assert len(retry) < 600 and "assistant" not in [m.role for m in second]


@pytest.mark.parametrize(
    "echo",
    [
        {"observations": [{"id": "O1", "text": "...", "evidence": "..."}]},
        {"observations": [{"id": "O1", "text": " \u2026 "}]},
        {
            "plans": [
                {
                    "title": "short imperative title",
                    "text": "the plan in plain words",
                    "targets": ["path/file.py:function"],
                }
            ]
        },
        {"plans": [{"title": "Real title", "text": "..."}]},
    ],
)
def test_echoed_templates_count_as_empty(echo: dict) -> None:
    """Guards against the prompt's own example, echoed back with "..." in it, being taken
    for a real observation or plan (seen with a small local model)."""
    model = ReplayModel([json.dumps(echo)] * 2)
    with pytest.raises(ModelError, match="example values of the prompt do not count"):
        LLMPlanner(model, PlannerConfig(critique=False)).plan(request())


def test_placeholder_targets_are_dropped() -> None:
    hoist = {**HOIST, "targets": ["path/file.py:function", "pkg/core.py:tokenize"]}
    reply = json.dumps({"plans": [hoist]})
    [out] = LLMPlanner(ReplayModel([reply]), cheap()).plan(request())
    assert out.targets == ("pkg/core.py:tokenize",)


def test_structured_models_get_one_schema_and_a_stable_cached_prefix() -> None:
    """Every step asks through structured output with the same schema, and every call starts
    with the same system and evidence messages marked for the prompt cache (volatile parts
    last), so a provider's cache serves the whole round."""
    obs = {
        "observations": [
            {"id": "O1", "text": "tokenize compiles per call"},
            {"id": "O2", "text": "parse loops per line"},
        ]
    }
    second = {"observations": [], "plans": []}
    plans = {"observations": [], "plans": [HOIST]}
    review = {"plans": [{**HOIST, "critique": "ok", "keep": True}]}
    model = ReplayModel([json.dumps(x) for x in (obs, second, plans, review)])
    out = LLMPlanner(model).plan(request())
    assert [p.title for p in out] == [HOIST["title"]]
    assert [s.name if s else None for s in model.schemas] == ["planner_reply"] * 4
    schema = model.schemas[0].schema  # type: ignore[union-attr]
    assert schema["required"] == ["observations", "plans"]
    assert schema["additionalProperties"] is False
    item = schema["properties"]["plans"]["items"]
    assert set(item["required"]) == {"title", "text", "targets", "observations", "critique", "keep"}
    prefixes = [call[:2] for call in model.calls]
    assert all(p == prefixes[0] for p in prefixes)
    assert [m.cache for m in prefixes[0]] == [True, True]
    assert "| tokenize | pkg/core.py:9 |" in prefixes[0][1].content
    assert "Earlier attempts" not in prefixes[0][1].content  # history is volatile: last
    assert all(not call[-1].cache for call in model.calls)


def test_plain_models_are_asked_in_text() -> None:
    from agent.models.accounting import BudgetedModel

    class Plain:
        name = "plain"

        def __init__(self) -> None:
            self.inner = ReplayModel([CHEAP])

        def query(self, messages):  # type: ignore[no-untyped-def]
            return self.inner.query(messages)

    plain = Plain()
    LLMPlanner(plain, cheap()).plan(request())
    assert plain.inner.schemas == [None]
    budgeted = BudgetedModel(Plain(), max_calls=3)
    LLMPlanner(budgeted, cheap()).plan(request())
    assert budgeted.ledger.calls == 1


PARENT_DIFF = """diff --git a/sub/pkg/core.py b/sub/pkg/core.py
--- a/sub/pkg/core.py
+++ b/sub/pkg/core.py
@@ -8,3 +8,3 @@ def parse(lines):
 def tokenize(line):
-    pattern = re.compile(r'\\w')
+    pattern = re.compile(r'\\w+')
     return pattern.findall(line)
"""


def test_a_round_on_a_candidate_says_the_shares_are_the_baselines() -> None:
    """Guards the issue-14 mislabel: in later rounds the planner saw the parent's changed
    code labelled with the baseline's shares, numbers about code that no longer exists."""
    from dataclasses import replace

    model = ReplayModel([CHEAP])
    req = replace(request(), parent_id=7, parent_diff=PARENT_DIFF)
    LLMPlanner(model, cheap()).plan(req)
    evidence = model.calls[0][1].content
    assert "py-spy, 1234 samples, taken on the unedited code" in evidence
    assert "| tokenize (changed since: share is of the old code) | pkg/core.py:9 |" in evidence
    assert "| parse | pkg/core.py:5 |" in evidence
    assert "builds on candidate 7, whose change is already in the code below" in evidence
    assert "changed since, so their shares describe code that no longer exists: " in evidence
    assert evidence.rstrip().count("pkg/core.py:tokenize") == 1
    plain = ReplayModel([CHEAP])
    LLMPlanner(plain, cheap()).plan(request())
    assert "unedited code" not in plain.calls[0][1].content
